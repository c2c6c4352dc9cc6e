package io.securenn.nn;

import io.securenn.ring.Truncation;
import io.securenn.testutil.ChiSquare;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ShareTruncationSimulatorTest {

    @Test
    void smallValuesTruncateToFloorOrOneMore() {
        Seeded s = Seeded.fromEnvOr(21);
        ShareTruncationSimulator sim = new ShareTruncationSimulator(s.seed);
        long[] x = s.fixed(100_000, 1000);
        long[] edges = {0, 1, -1, 8191, 8192, -8192, -8193, (1L << 40), -(1L << 40)};
        System.arraycopy(edges, 0, x, 0, edges.length);
        long[] t = x.clone();
        sim.truncateInPlace(t, 13);
        for (int i = 0; i < x.length; i++) {
            long d = t[i] - (x[i] >> 13);
            assertThat(d).as(s.msg("x = " + x[i])).isBetween(0L, 1L);
        }
        assertThat(sim.failures()).isZero();
        assertThat(sim.truncations()).isEqualTo(x.length);
    }

    @Test
    void roundsUpWithProbabilityOfTheDroppedFraction() {
        Seeded s = Seeded.fromEnvOr(22);
        ShareTruncationSimulator sim = new ShareTruncationSimulator(s.seed);
        int n = 200_000;
        long x = 5L * 8192 + 2048; // 5.25: dropped fraction 0.25
        long[] v = new long[n];
        java.util.Arrays.fill(v, x);
        sim.truncateInPlace(v, 13);
        long up = 0;
        for (long t : v) up += t - 5;
        // binomial(n, 0.25): sd ≈ 194; allow 6 sd
        assertThat((double) up).as(s.msg("round-ups")).isCloseTo(0.25 * n, within(1200.0));
    }

    @Test
    void largeValuesFailAtTheExpectedRateAndAreCounted() {
        Seeded s = Seeded.fromEnvOr(23);
        ShareTruncationSimulator sim = new ShareTruncationSimulator(s.seed);
        int n = 100_000;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = (i % 2 == 0 ? 1 : -1) * (1L << 61); // P(fail) = 2^61 / 2^64 = 1/8
        long[] t = v.clone();
        sim.truncateInPlace(t, 13);
        long fails = 0;
        for (int i = 0; i < n; i++) {
            long d = t[i] - (v[i] >> 13);
            if (d != 0 && d != 1) {
                fails++;
                assertThat(Math.abs(d)).as("a failure is catastrophic").isGreaterThan(1L << 40);
            }
        }
        assertThat(sim.failures()).isEqualTo(fails);
        assertThat(sim.expectedFailures()).isCloseTo(n / 8.0, within(1.0));
        // binomial(n, 1/8): sd ≈ 105
        assertThat((double) fails).as(s.msg("failures")).isCloseTo(n / 8.0, within(650.0));
        sim.resetCounters();
        assertThat(sim.failures()).isZero();
        assertThat(sim.expectedFailures()).isZero();
    }

    /** Dropped parts k·512 + 100 (k = 0..15) of one ulp 2^13: round-up probabilities spread over (0, 1). */
    static final int FRACTIONS = 16, PER_FRACTION = 20_000;

    static long dropped(int k) {
        return k * 512L + 100;
    }

    /** PER_FRACTION values of each dropped part, with integer parts in [−1000, 1000]. */
    static long[] valuesWithEachDroppedPart(Seeded s) {
        long[] x = new long[FRACTIONS * PER_FRACTION];
        for (int i = 0; i < x.length; i++) x[i] = (s.rnd.nextInt(2001) - 1000) * 8192L + dropped(i % FRACTIONS);
        return x;
    }

    /**
     * Pearson chi-square of the round-ups per dropped part d against binomial(n, d/2^13), both outcomes of each of
     * the 16 parts (16 degrees of freedom).
     */
    static double roundUpChiSquare(long[] x, long[] t) {
        long[] up = new long[FRACTIONS], all = new long[FRACTIONS];
        for (int i = 0; i < x.length; i++) {
            int k = (int) ((x[i] & 8191) >> 9);
            up[k] += t[i] - (x[i] >> 13);
            all[k]++;
        }
        double chi = 0;
        for (int k = 0; k < FRACTIONS; k++) {
            double p = dropped(k) / 8192.0, eUp = all[k] * p, eDown = all[k] * (1 - p);
            chi += (up[k] - eUp) * (up[k] - eUp) / eUp + (all[k] - up[k] - eDown) * (all[k] - up[k] - eDown) / eDown;
        }
        return chi;
    }

    @Test
    void roundUpRatesFollowTheDroppedPartsChiSquare() {
        Seeded s = Seeded.fromEnvOr(24);
        long[] x = valuesWithEachDroppedPart(s), t = x.clone();
        new ShareTruncationSimulator(s.seed).truncateInPlace(t, 13);
        assertThat(roundUpChiSquare(x, t)).as(s.msg("round-ups per dropped part")).isLessThan(ChiSquare.critical(16));
    }

    /**
     * Negative control: the simulator's rule with a biased share mask must fail the same test: a mask that is
     * byte % 67 (small and non-uniform), and a mask uniform but for its low byte, drawn as byte % 67.
     */
    @Test
    void theRoundUpTestRejectsABiasedMask() {
        Seeded s = Seeded.fromEnvOr(25);
        long[] x = valuesWithEachDroppedPart(s);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(s.seed);
        java.util.function.LongSupplier[] masks = {
                () -> rnd.nextInt(256) % 67,
                () -> (rnd.nextLong() & ~0xFFL) | (rnd.nextInt(256) % 67)};
        for (var mask : masks) {
            long[] t = new long[x.length];
            for (int i = 0; i < x.length; i++) {
                long r = mask.getAsLong();
                t[i] = Truncation.truncateShare(r, 13, 0) + Truncation.truncateShare(x[i] - r, 13, 1);
            }
            assertThat(roundUpChiSquare(x, t)).as(s.msg("biased mask")).isGreaterThan(ChiSquare.critical(16));
        }
    }

    @Test
    void sameSeedSameResults() {
        long[] a = new Seeded(5).fixed(1000, 10), b = a.clone();
        new ShareTruncationSimulator(9).truncateInPlace(a, 13);
        new ShareTruncationSimulator(9).truncateInPlace(b, 13);
        assertThat(a).containsExactly(b);
    }
}
