package io.securenn.ring;

import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The vector forms (512- and 256-bit) of the Z_67 bit kernels equal their scalar references, on random and edge inputs. */
class ZpKernelsTest {
    @Test
    void bitSharesMinusVectorEqualsScalar() {
        Seeded s = Seeded.fromEnvOr(1801);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + s.rnd.nextInt(200);
            long[] v = s.longs(n);
            long[] edges = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE};
            for (int i = 0; i < Math.min(n, edges.length); i++) v[i] = edges[i];
            byte[] s0 = new byte[n * 64];
            for (int i = 0; i < s0.length; i++) s0[i] = (byte) (trial == 0 ? 0 : trial == 1 ? 66 : s.rnd.nextInt(Zp.P));
            byte[] ref = ZpKernels.bitSharesMinusScalar(v, s0, n);
            assertThat(ZpKernelsVector.bitSharesMinus(v, s0, n)).as(s.msg("trial " + trial)).isEqualTo(ref);
            assertThat(ZpKernelsVector256.bitSharesMinus(v, s0, n)).as(s.msg("256-bit, trial " + trial)).isEqualTo(ref);
            for (int e = 0; e < n; e++)
                for (int k = 0; k < 64; k++) {
                    int bit = (int) ((v[e] >>> (63 - k)) & 1);
                    assertThat((ref[e * 64 + k] + s0[e * 64 + k]) % Zp.P).as(s.msg("reconstructs")).isEqualTo(bit);
                }
        }
    }

    @Test
    void anyZeroSumVectorEqualsScalar() {
        Seeded s = Seeded.fromEnvOr(1802);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + s.rnd.nextInt(200);
            byte[] d0 = new byte[n * 64], d1 = new byte[n * 64];
            for (int i = 0; i < d0.length; i++) {
                d0[i] = (byte) s.rnd.nextInt(Zp.P);
                // mostly non-zero sums; some elements get one zero sum (0 + 0 or a + (67 − a)) at a random position
                d1[i] = (byte) ((Zp.P - d0[i] + 1 + s.rnd.nextInt(Zp.P - 1)) % Zp.P);
            }
            for (int e = 0; e < n; e += 3) {
                int at = e * 64 + s.rnd.nextInt(64);
                d1[at] = (byte) ((Zp.P - d0[at]) % Zp.P);
            }
            if (n > 1) {
                d0[64] = 66;
                d1[64] = 1;   // 67 ≡ 0 in element 1
            }
            if (n > 5) {
                d0[5 * 64 + 63] = 0;
                d1[5 * 64 + 63] = 0;   // 0 + 0 at the last position of element 5 (the second 256-bit half)
            }
            long[] ref = ZpKernels.anyZeroSumScalar(d0, d1, n);
            assertThat(ZpKernelsVector.anyZeroSum(d0, d1, n)).as(s.msg("trial " + trial)).isEqualTo(ref);
            assertThat(ZpKernelsVector256.anyZeroSum(d0, d1, n)).as(s.msg("256-bit, trial " + trial)).isEqualTo(ref);
            for (int e = 0; e < n; e++) assertThat(ref[e]).isEqualTo(e % 3 == 0 || e == 1 || e == 5 ? 1 : 0);
        }
    }

    @Test
    void bitSharesMinusInPlaceVectorEqualsScalarAtAnOffset() {
        Seeded s = Seeded.fromEnvOr(1803);
        int n = 150, from = 37, count = 100;
        long[] v = s.longs(n);
        v[from] = -1;
        v[from + 1] = 0;
        byte[] a = new byte[count * 64];
        for (int i = 0; i < a.length; i++) a[i] = (byte) s.rnd.nextInt(Zp.P);
        byte[] b = a.clone(), c = a.clone(), p0 = a.clone();
        ZpKernels.bitSharesMinusInPlaceScalar(v, from, a, count);
        ZpKernelsVector.bitSharesMinusInPlace(v, from, b, count);
        ZpKernelsVector256.bitSharesMinusInPlace(v, from, c, count);
        assertThat(b).as(s.msg("in place")).isEqualTo(a);
        assertThat(c).as(s.msg("in place, 256-bit")).isEqualTo(a);
        for (int e = 0; e < count; e++)
            for (int k = 0; k < 64; k++)
                assertThat((a[e * 64 + k] + p0[e * 64 + k]) % Zp.P).isEqualTo((int) ((v[from + e] >>> (63 - k)) & 1));
    }
}
