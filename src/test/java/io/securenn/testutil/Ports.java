package io.securenn.testutil;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Locale;

/**
 * Ports for tests whose parties must know each other's ports before any of them listens (a cluster config names
 * host:port). Where a test can, it binds port 0 and hands the bound socket on instead; here a port found free a
 * moment ago may be taken by another program before the party listens on it (EADDRINUSE), and then the whole
 * scenario runs again on new ports.
 */
public final class Ports {
    private Ports() {}

    /** Attempts of a scenario, the first included, before a port that is taken every time fails the test. */
    public static final int ATTEMPTS = 5;

    /** A scenario on the given ports (as many as asked for). */
    @FunctionalInterface
    public interface Scenario {
        void run(int[] ports) throws Exception;
    }

    /** Ports that were free a moment ago (bound to port 0 together, then released). */
    public static int[] freeNow(int n) throws IOException {
        ServerSocket[] s = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                s[i] = new ServerSocket(0);
                ports[i] = s[i].getLocalPort();
            }
        } finally {
            for (ServerSocket x : s) if (x != null) x.close();
        }
        return ports;
    }

    /**
     * Runs the scenario on n ports free a moment ago; if it fails and the failure says a port was taken (a party's
     * "cannot listen on …: address already in use", found in the messages of the failure, its causes or its
     * suppressed exceptions: a scenario adds its parties' output there when it has to), runs it again on new ports,
     * at most {@link #ATTEMPTS} times in all. Any other failure is the test's.
     */
    public static void fixedInAdvance(int n, Scenario scenario) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freeNow(n);
            try {
                scenario.run(ports);
                return;
            } catch (Exception | AssertionError e) {
                if (attempt >= ATTEMPTS || !saysTaken(e)) throw e;
                System.err.println("[test] a port was taken by another program meanwhile (attempt " + attempt
                        + "): running the scenario again on new ports");
            }
        }
    }

    /** True if the text is a party's refusal to start because its port is in use. */
    public static boolean saysTaken(String text) {
        return text != null && text.toLowerCase(Locale.ROOT).contains("address already in use");
    }

    private static boolean saysTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (saysTaken(t.getMessage())) return true;
            for (Throwable s : t.getSuppressed()) if (saysTaken(s)) return true;
        }
        return false;
    }
}
