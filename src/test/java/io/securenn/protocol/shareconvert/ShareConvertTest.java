package io.securenn.protocol.shareconvert;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;

import static io.securenn.ring.ZpWire.PACKED7;
import static org.assertj.core.api.Assertions.assertThat;

class ShareConvertTest {

    /** Edge values, each shared three ways: random shares, shares that wrap (x0 = 2^64−1), shares that do not. */
    static long[][] edgeShares(Seeded s) {
        long[] values = {0, 1, 2, -2L, -3L, 1L << 63, (1L << 63) - 1, (1L << 63) + 1, 8192, -8192, s.rnd.nextLong() >>> 1};
        int k = values.length;
        long[] a0 = new long[3 * k], a1 = new long[3 * k];
        for (int i = 0; i < k; i++) {
            long v = values[i], r = s.rnd.nextLong();
            a0[i] = r;                  // random
            a1[i] = v - r;
            a0[k + i] = -1L;            // 2^64 − 1 + (v + 1): wraps for every v ≠ 2^64 − 1
            a1[k + i] = v + 1;
            a0[2 * k + i] = 0;          // no wrap
            a1[2 * k + i] = v;
        }
        return new long[][] {a0, a1};
    }

    static long[] reconstructZl(long[][] sh) {
        return Shares2.add(sh[0], sh[1]);
    }

    static SeededCluster.Outcome<long[]> convert(long seed, long[][] sh) {
        int n = sh[0].length;
        return SeededCluster.run(seed, ctx -> ShareConvert.run(ctx, Shares2.mine(sh, ctx.id()), n));
    }

    static void assertConverted(Seeded s, long[] a, SeededCluster.Outcome<long[]> out) {
        long[] y0 = out.of(0), y1 = out.of(1);
        for (int i = 0; i < a.length; i++) {
            assertThat(y0[i]).isNotEqualTo(-1L);  // canonical
            assertThat(y1[i]).isNotEqualTo(-1L);
        }
        Check.equal(s, a, Shares2.addOdd(y0, y1), i -> "ShareConvert of " + Long.toUnsignedString(a[i]));
    }

    @Test
    void edgeInputsAndWrappingShares() {
        Seeded s = Seeded.fromEnvOr(401);
        long[][] sh = edgeShares(s);
        assertConverted(s, reconstructZl(sh), convert(s.seed, sh));
    }

    @Test
    void hundredThousandRandomInputsCostTheFormula() {
        Seeded s = Seeded.fromEnvOr(402);
        int n = 100_000;
        long[] a = s.longs(n);
        for (int i = 0; i < n; i++) if (a[i] == -1L) a[i] = 0;
        long[][] sh = Shares2.split(a, s);
        var out = convert(s.seed, sh);
        assertConverted(s, a, out);
        assertThat(out.bytes()).isEqualTo(ShareConvert.bytes(PACKED7, n));
        assertThat(out.rounds()).isEqualTo(ShareConvert.rounds()).isEqualTo(4);
        assertThat(out.streamsInLockStep()).isTrue();
    }

    /** Outside the documented domain: 2^64 − 1 ≡ 0 in Z_{L−1}, and that is what comes out (so MSB would be lost). */
    @Test
    void allOnesConvertsToZeroOfTheOddRing() {
        Seeded s = Seeded.fromEnvOr(403);
        long[][] sh = Shares2.split(new long[] {-1L, -1L, -1L}, s);
        sh[0][1] = -1L;
        sh[1][1] = 0;
        var out = convert(s.seed, sh);
        assertThat(Shares2.addOdd(out.of(0), out.of(1))).containsExactly(0, 0, 0);
    }

    @Test
    void maskSharesSummingToZeroAreRedrawn() {
        // scripted stream: the first pair sums to 0 mod 2^64 and must be replaced by the next draw
        ArrayDeque<long[]> script = new ArrayDeque<>(List.of(new long[] {5, 9}, new long[] {-5, 4},
                new long[] {7, -7}, new long[] {3, 11}));
        long[][] r = ShareConvert.maskShares(k -> script.removeFirst(), 2);
        assertThat(r[0]).containsExactly(3, 9);
        assertThat(r[1]).containsExactly(11, 4);
        assertThat(script).isEmpty();
    }
}
