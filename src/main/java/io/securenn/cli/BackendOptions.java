package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.job.Execution;
import io.securenn.protocol.maxpool.MaxPool;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;


/**
 * Where train and infer compute: securely by default (three parties; in this process over loopback TLS, or one
 * party per process with --party/--config), or with --plaintext in the fixed-point twin or the float64 reference.
 */
final class BackendOptions {
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

    @Option(names = "--maxpool", paramLabel = "tournament|sequential", defaultValue = "tournament",
            description = "Secure MaxPool: pairwise tournament (log2 n comparison levels) or the paper's sequential "
                    + "form (n - 1 levels); same result (default: ${DEFAULT-VALUE}).")
    String maxpool;

    @Mixin
    PartyOptions parties = new PartyOptions();

    /** The command (train, infer) these options belong to: its name goes into the party options' messages. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    void validate() {
        if (mixee != null) parties.mixee = mixee;
        if (threads < 1) throw SecureNnException.usage("--threads must be at least 1");
        if (float64 && !plaintext) throw SecureNnException.usage("--float64 needs --plaintext");
        if (plaintext && parties.perProcess()) throw SecureNnException.usage("--plaintext runs alone: drop --party/--config");
        parties.refusePlainTcpOutsideBenchmarks();
        if (!plaintext) {
            parties.validate();
            maxForm();
        }
    }

    MaxPool.Form maxForm() {
        return parseMaxPool(maxpool);
    }

    /** The --maxpool option's value: tournament or sequential. */
    static MaxPool.Form parseMaxPool(String s) {
        return switch (s) {
            case "tournament" -> MaxPool.Form.TOURNAMENT;
            case "sequential" -> MaxPool.Form.SEQUENTIAL;
            default -> throw SecureNnException.usage("--maxpool must be tournament or sequential, not '" + s + "'");
        };
    }

    boolean secure() {
        return !plaintext;
    }

    /** True if this process prints results: always in plaintext, else where P0 (the model owner's proxy) runs. */
    boolean reporterProcess() {
        return plaintext || parties.isP0();
    }

    String backendName() {
        return execution().backendName();
    }

    /** Where the job computes, from these options. */
    Execution execution() {
        validate();
        if (plaintext) return Execution.plaintext(float64, threads);
        return Execution.secure(parties, maxForm());
    }

    interface BackendUser<R> extends Execution.Job<R> {}

    /** Runs the user with the chosen backend and returns the reporter's result ({@link Execution#run}). */
    <R> R with(long seed, String command, String params, BackendUser<R> user) {
        return execution().run(seed, command, params, user);
    }
}
