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
                // each subcommand is its own class in this package; register it here
                KeysCommand.class,
                OpCommand.class,
                DemoCommand.class,
                ShareCommand.class,
                RevealCommand.class,
                BenchCommand.class,
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
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("securenn: error: " + oneLine(ex.getMessage()) + " (see: securenn "
                    + ex.getCommandLine().getCommandName() + " --help)");
            w.flush();
            return SecureNnException.Kind.USAGE.exitCode;
        });
        return cl.execute(args);
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

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"securenn " + (v != null ? v : "dev")};
        }
    }
}
