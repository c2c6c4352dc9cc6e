package io.securenn.nn;

import io.securenn.ring.Truncation;

import java.util.SplittableRandom;

/**
 * Truncates plaintext values the way SecureNN truncates shares (spec §1.2, Alg. 11): each value x is split into
 * two simulated shares x = (x − r) + r with r uniform over Z_{2^64} from a seeded stream, P0 and P1 apply their
 * local rules ({@link Truncation#truncateShare}) and the results are added. So the twin rounds up with probability
 * equal to the dropped fraction, like the secure run, instead of flooring; and when the shares wrap it suffers the
 * same catastrophic error (about ±2^(64−d)) the secure run would.
 *
 * <p>It counts truncations, failures (result differing from floor(x / 2^d) by more than 1) and the expected number
 * of failures, Σ P(fail | x) with P(fail | x) = |x| / 2^64 (exactly x/2^64 for x ≥ 0 and (|x| − 1)/2^64 for
 * x &lt; 0: the shares wrap iff r falls in an interval of that length). The expectation is the useful figure:
 * failures are too rare to observe in a run, but their expected count over a run is easy to sum.
 */
public final class ShareTruncationSimulator {
    private final SplittableRandom rng;
    private long truncations;
    private long failures;
    private double expectedFailures;

    public ShareTruncationSimulator(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** Truncates every element of v by d bits in place. */
    public void truncateInPlace(long[] v, int d) {
        if (d == 0) return;
        if (d < 0 || d > 62) throw new IllegalArgumentException("truncation by " + d + " bits");
        long fails = 0;
        double expected = 0;
        for (int i = 0; i < v.length; i++) {
            long x = v[i];
            long r = rng.nextLong();
            long t = Truncation.truncateShare(r, d, 0) + Truncation.truncateShare(x - r, d, 1);
            long diff = t - (x >> d);
            if (diff != 0 && diff != 1) fails++;
            expected += x >= 0 ? (double) x : -(double) x - 1;
            v[i] = t;
        }
        truncations += v.length;
        failures += fails;
        expectedFailures += expected * 0x1p-64;
    }

    public long truncations() {
        return truncations;
    }

    public long failures() {
        return failures;
    }

    public double expectedFailures() {
        return expectedFailures;
    }

    /** Resets the counters (not the stream). */
    public void resetCounters() {
        truncations = 0;
        failures = 0;
        expectedFailures = 0;
    }
}
