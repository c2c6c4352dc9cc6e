package io.securenn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in this JVM and captures what it prints (public: the CLI tests of other packages use it too). */
public record CliRun(int exit, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new CliRun(code, o.toString(), e.toString());
    }

    /** Runs the command line with a system property set to value (the CLI reads a few when it builds a session). */
    public static CliRun withProperty(String property, String value, String... args) {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return of(args);
        } finally {
            if (before == null) System.clearProperty(property); else System.setProperty(property, before);
        }
    }

    /** The one error line, asserting there is exactly one line on stderr. */
    public String errorLine() {
        String t = err.strip();
        if (t.isEmpty() || t.contains("\n")) throw new AssertionError("expected one stderr line, got: [" + err + "]");
        return t;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
