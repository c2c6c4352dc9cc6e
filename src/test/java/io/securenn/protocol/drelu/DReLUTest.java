package io.securenn.protocol.drelu;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;

import static io.securenn.ring.ZpWire.PACKED7;
import static org.assertj.core.api.Assertions.assertThat;

class DReLUTest {
    /** The largest magnitude in DReLU's domain: |a| < 2^62. */
    static final long MAX = (1L << 62) - 1;

    /** Edge values of the domain: 0, ±1 raw (±2^-13), ±1.0, ±2, the extremes, powers of two near them. */
    static long[] edgeValues(Seeded s) {
        return new long[] {0, 1, -1, 2, -2, 8192, -8192, 8191, -8191, MAX, -MAX, MAX - 1, -MAX + 1, 1L << 61,
                -(1L << 61), (1L << 49) - 1, -(1L << 49), s.rnd.nextLong() >> 2, s.rnd.nextLong() >> 40};
    }

    /** Each value with random shares, shares that wrap (P0 holds 2^64 − 1) and shares that do not (P0 holds 0). */
    static long[][] threeWays(long[] v, Seeded s) {
        int k = v.length;
        long[] a0 = new long[3 * k], a1 = new long[3 * k];
        for (int i = 0; i < k; i++) {
            long r = s.rnd.nextLong();
            a0[i] = r;
            a1[i] = v[i] - r;
            a0[k + i] = -1L;
            a1[k + i] = v[i] + 1;
            a0[2 * k + i] = 0;
            a1[2 * k + i] = v[i];
        }
        return new long[][] {a0, a1};
    }

    /** Random values: uniform over the whole domain, and small fixed-point values (|x| < 64). */
    static long[] randomValues(Seeded s, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 2 == 0 ? s.rnd.nextLong() >> 2 : Math.round((s.rnd.nextDouble() * 2 - 1) * 64 * 8192);
            if (v[i] == -(1L << 62)) v[i] = 0;
        }
        return v;
    }

    static void assertDrelu(Seeded s, long[][] sh, long[] got) {
        long[] a = Shares2.add(sh[0], sh[1]);
        long[] expect = new long[a.length];
        for (int i = 0; i < a.length; i++) expect[i] = a[i] >= 0 ? 1 : 0;
        Check.equal(s, expect, got, i -> "DReLU(" + a[i] + ")");
    }

    static SeededCluster.Outcome<long[]> drelu(long seed, long[][] sh) {
        int n = sh[0].length;
        return SeededCluster.run(seed, ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
    }

    @Test
    void edgeInputsWithWrappingShares() {
        Seeded s = Seeded.fromEnvOr(601);
        long[][] sh = threeWays(edgeValues(s), s);
        var out = drelu(s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
    }

    @Test
    void hundredThousandRandomInputsCostTheFormulaInEightRounds() {
        Seeded s = Seeded.fromEnvOr(602);
        int n = 100_000;
        long[][] sh = Shares2.split(randomValues(s, n), s);
        var out = drelu(s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
        assertThat(out.bytes()).isEqualTo(DReLU.bytes(PACKED7, n));
        assertThat(out.rounds()).isEqualTo(DReLU.rounds()).isEqualTo(8);
        assertThat(out.streamsInLockStep()).isTrue();
    }

    @Test
    void roundsDoNotGrowWithTheNumberOfElements() {
        Seeded s = Seeded.fromEnvOr(603);
        for (int n : new int[] {1, 7, 5000}) {
            var out = drelu(s.seed + n, Shares2.split(randomValues(s, n), s));
            assertThat(out.rounds()).isEqualTo(8);
            assertThat(out.bytes()).isEqualTo(DReLU.bytes(PACKED7, n));
        }
    }
}
