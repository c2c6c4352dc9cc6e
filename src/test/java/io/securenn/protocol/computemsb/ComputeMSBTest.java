package io.securenn.protocol.computemsb;

import io.securenn.ring.OddRing;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;

import static io.securenn.ring.ZpWire.PACKED7;
import static org.assertj.core.api.Assertions.assertThat;

class ComputeMSBTest {

    static SeededCluster.Outcome<long[]> msb(long seed, long[][] sh) {
        int n = sh[0].length;
        return SeededCluster.run(seed, ctx -> ComputeMSB.run(ctx, Shares2.mine(sh, ctx.id()), n));
    }

    static void assertMsb(Seeded s, long[] a, SeededCluster.Outcome<long[]> out) {
        long[] expect = new long[a.length];
        for (int i = 0; i < a.length; i++) expect[i] = a[i] >>> 63;
        Check.equal(s, expect, Shares2.add(out.of(0), out.of(1)), i -> "MSB of " + Long.toUnsignedString(a[i]));
    }

    @Test
    void edgeInputsIncludingNonCanonicalShares() {
        Seeded s = Seeded.fromEnvOr(501);
        long[] values = {0, 1, 2, (1L << 63) - 1, 1L << 63, (1L << 63) + 1, -2L, -3L, 8192, s.rnd.nextLong() >>> 1};
        int k = values.length;
        long[] a = new long[3 * k], a0 = new long[3 * k], a1 = new long[3 * k];
        for (int i = 0; i < k; i++) {
            long v = values[i];
            a[i] = a[k + i] = a[2 * k + i] = v;
            long[][] r = Shares2.splitOdd(new long[] {v}, s);
            a0[i] = r[0][0];
            a1[i] = r[1][0];
            a0[k + i] = -1L;                    // the non-canonical 2^64 − 1, ≡ 0
            a1[k + i] = v;
            a0[2 * k + i] = OddRing.MAX;        // 2^64 − 2 ≡ −1: the shares wrap
            a1[2 * k + i] = OddRing.add(v, 1);
        }
        assertMsb(s, a, msb(s.seed, new long[][] {a0, a1}));
    }

    @Test
    void hundredThousandRandomInputsCostTheFormula() {
        Seeded s = Seeded.fromEnvOr(502);
        int n = 100_000;
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = OddRing.reduce(s.rnd.nextLong());
        var out = msb(s.seed, Shares2.splitOdd(a, s));
        assertMsb(s, a, out);
        assertThat(out.bytes()).isEqualTo(ComputeMSB.bytes(PACKED7, n));
        assertThat(out.rounds()).isEqualTo(ComputeMSB.rounds()).isEqualTo(4);
        assertThat(out.streamsInLockStep()).isTrue();
    }
}
