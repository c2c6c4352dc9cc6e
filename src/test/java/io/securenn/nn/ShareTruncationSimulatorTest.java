package io.securenn.nn;

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

    @Test
    void sameSeedSameResults() {
        long[] a = new Seeded(5).fixed(1000, 10), b = a.clone();
        new ShareTruncationSimulator(9).truncateInPlace(a, 13);
        new ShareTruncationSimulator(9).truncateInPlace(b, 13);
        assertThat(a).containsExactly(b);
    }
}
