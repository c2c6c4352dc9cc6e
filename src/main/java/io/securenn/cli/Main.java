package io.securenn.cli;

import io.securenn.SecureNnException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of the {@code securenn} command. Every failure ends as one line on stderr starting
 * {@code securenn: error:} and a documented non-zero exit code (docs/ERRORS.md); never a stack trace.
 */
@Command(name = "securenn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Three-party secure training and inference of neural networks (SecureNN).",
        subcommands = {
                CommandLine.HelpCommand.class,
                TrainCommand.class,
                InferCommand.class,
                InspectCommand.class,
                ExportCommand.class,
                // each subcommand is its own class in this package; register it here
                KeysCommand.class,
                OpCommand.class,
                DemoCommand.class,
                ShareCommand.class,
                RevealCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                QueryCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this directly). */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)}, with stdout and stderr of the commands sent to the given writers. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (out != null) cl.setOut(out);
        if (err != null) cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fail(cmd.getErr(), ex));
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter w = c.getErr();
            w.println("securenn: error: " + oneLine(usageMessage(ex)) + " (see: "
                    + c.getCommandSpec().qualifiedName() + " --help)");
            w.flush();
            return SecureNnException.Kind.USAGE.exitCode;
        });
        return cl.execute(args);
    }

    /** picocli's message, except that a word where a command was expected is called an unknown command. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !ex.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        return ex.getMessage();
    }

    static int fail(PrintWriter err, Throwable ex) {
        Throwable t = ex;
        while (!(t instanceof SecureNnException) && t.getCause() != null) t = t.getCause();
        int code;
        String msg;
        if (t instanceof SecureNnException se) {
            code = se.kind().exitCode;
            msg = se.getMessage();
        } else if (ex instanceof OutOfMemoryError) {
            code = SecureNnException.Kind.INTERNAL.exitCode;
            msg = "out of memory (raise -Xmx through SECURENN_JAVA_OPTS)";
        } else {
            code = SecureNnException.Kind.INTERNAL.exitCode;
            msg = "internal error: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() != null ? ": " + ex.getMessage() : "");
        }
        err.println("securenn: error: " + oneLine(msg));
        err.flush();
        return code;
    }

    /** The message on one line: line breaks and tabs become spaces, other control characters '?'. */
    static String oneLine(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') b.append(' ');
            else if (Character.isISOControl(c)) b.append('?');
            else b.append(c);
        }
        return b.toString();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"securenn " + (v != null ? v : "dev")};
        }
    }
}
