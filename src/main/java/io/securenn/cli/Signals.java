package io.securenn.cli;

/** SIGTERM for the long-running commands (serve): a handler of our own, so a drained stop exits 0, not 143. */
final class Signals {
    private Signals() {}

    @SuppressWarnings("removal")
    static void onTerm(Runnable r) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> Thread.ofPlatform().name("securenn-sigterm").start(r));
        } catch (IllegalArgumentException e) {
            // no SIGTERM on this platform: the default (exit) stays
        }
    }
}
