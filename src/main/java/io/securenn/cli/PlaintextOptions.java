package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.nn.Backend;
import io.securenn.nn.FloatBackend;
import io.securenn.nn.PlainFixedBackend;
import picocli.CommandLine.Option;

/** Options shared by the plaintext variants of train and infer, and the choice of plaintext backend. */
final class PlaintextOptions {
    @Option(names = "--plaintext", description = "Run the plaintext fixed-point twin (no parties, no communication): "
            + "the same encodings, truncations (simulated as shares do them), ReLU, MaxPool and Division as the "
            + "secure protocols.")
    boolean plaintext;

    @Option(names = "--float64", description = "With --plaintext: run the float64 reference instead of the "
            + "fixed-point twin.")
    boolean float64;

    @Option(names = "--threads", paramLabel = "T", description = "Threads for the twin's matrix products "
            + "(default: ${DEFAULT-VALUE}, at most the number of processors).", defaultValue = "2")
    int threads;

    /** Fails with a usage error unless a plaintext backend was asked for (the secure variants are not built yet). */
    void requirePlaintext(String command) {
        if (!plaintext) {
            throw SecureNnException.usage("secure " + command + " is not available in this build yet; "
                    + "pass --plaintext to run the fixed-point twin");
        }
        if (threads < 1) throw SecureNnException.usage("--threads must be at least 1");
    }

    String backendName() {
        return float64 ? "plaintext-float64" : "plaintext-fixed";
    }

    interface BackendUser<R> {
        <V> R run(Backend<V> be);
    }

    /** Runs the user with the chosen plaintext backend (the twin's truncation stream from the seed). */
    <R> R with(long seed, BackendUser<R> user) {
        if (float64) return user.run(new FloatBackend());
        int t = Math.min(threads, Runtime.getRuntime().availableProcessors());
        try (PlainFixedBackend be = new PlainFixedBackend(seed * 0x2545F4914F6CDD1DL + 0x7f4a7c15L, Math.max(1, t))) {
            return user.run(be);
        }
    }
}
