package io.securenn.job;

import io.securenn.nn.Backend;
import io.securenn.nn.FloatBackend;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.nn.secure.SecureBackend;
import io.securenn.protocol.maxpool.MaxPool;

import java.util.List;

/**
 * Where a job computes: securely (three parties, P0 the model owner's and input owner's proxy and the output
 * party), or in plaintext in the fixed-point twin or the float64 reference. Jobs are written once against
 * {@link Backend} and run through {@link #run}.
 *
 * @param threads threads of the twin's matrix products
 * @param form    the secure MaxPool's form
 * @param parties where the parties run (secure only; null in plaintext)
 */
public record Execution(Kind kind, int threads, MaxPool.Form form, PartyRunner parties) {
    public enum Kind { SECURE, PLAIN_FIXED, PLAIN_FLOAT }

    public Execution {
        if (kind == Kind.SECURE && parties == null) throw new IllegalArgumentException("a secure run needs parties");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    }

    public static Execution plaintext(boolean float64, int threads) {
        return new Execution(float64 ? Kind.PLAIN_FLOAT : Kind.PLAIN_FIXED, threads, MaxPool.Form.TOURNAMENT, null);
    }

    public static Execution secure(PartyRunner parties, MaxPool.Form form) {
        return new Execution(Kind.SECURE, 1, form, parties);
    }

    public boolean secure() {
        return kind == Kind.SECURE;
    }

    /** True where this process prints results and learns outputs: always in plaintext, else where P0 runs. */
    public boolean reporterProcess() {
        return !secure() || parties.playsP0();
    }

    public String backendName() {
        return switch (kind) {
            case PLAIN_FLOAT -> "plaintext-float64";
            case PLAIN_FIXED -> "plaintext-fixed";
            case SECURE -> parties.partyId() >= 0 ? "secure, party P" + parties.partyId() + " over TLS"
                    : "secure, three parties over loopback TLS";
        };
    }

    /** A job written once against {@link Backend}. */
    public interface Job<R> {
        /** @param reporter true at the one party (or plaintext run) that learns the outputs */
        <V> R run(Backend<V> be, boolean reporter);
    }

    /**
     * Runs the job and returns the reporter's result (P0's in a secure run; null in a process that plays only P1
     * or P2). {@code command} and {@code params} go into the session's job hash: every party must be started with
     * the same ones.
     */
    public <R> R run(long seed, String command, String params, Job<R> job) {
        return runEach(seed, command, params, job).get(0);
    }

    /**
     * As {@link #run}, with the result of every party this process plays, by party id (a plaintext run: one, the
     * reporter's; a secure run: three, null for parties that run elsewhere).
     */
    public <R> List<R> runEach(long seed, String command, String params, Job<R> job) {
        switch (kind) {
            case PLAIN_FLOAT -> {
                return java.util.Collections.singletonList(job.run(new FloatBackend(), true));
            }
            case PLAIN_FIXED -> {
                int t = Math.max(1, Math.min(threads, Runtime.getRuntime().availableProcessors()));
                try (PlainFixedBackend be = new PlainFixedBackend(seed * 0x2545F4914F6CDD1DL + 0x7f4a7c15L, t)) {
                    return java.util.Collections.singletonList(job.run(be, true));
                }
            }
            default -> {
                return parties.run(command, params + " maxpool=" + form,
                        ctx -> job.run(new SecureBackend(ctx, form), ctx.id() == 0));
            }
        }
    }
}
