package io.securenn.protocol.privatecompare;

import io.securenn.ring.Zp;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vector kernel of PrivateCompare's local work is the scalar reference's twin: equal outputs for both parties,
 * both β, random r and the edge r values (0, 1, −1 with and without the u branch, 2^63, 2^63 − 1), random and
 * extreme bit shares (all 0, all 66) and every rotation.
 */
class MaskedSharesTest {
    @Test
    void vectorKernelEqualsTheScalarReference() {
        Seeded s = Seeded.fromEnvOr(1701);
        long[] edges = {0, 1, -1, -2, Long.MIN_VALUE, Long.MAX_VALUE, 0x5555_5555_5555_5555L};
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + s.rnd.nextInt(300);
            int len = n * PrivateCompare.BITS;
            byte[] x = new byte[len], a = new byte[len], mask = new byte[len], rotation = new byte[n];
            long[] r = new long[n], beta = new long[n];
            for (int i = 0; i < len; i++) {
                x[i] = (byte) (trial == 0 ? 0 : trial == 1 ? 66 : s.rnd.nextInt(Zp.P));
                a[i] = (byte) (trial == 2 ? 0 : trial == 3 ? 65 : s.rnd.nextInt(Zp.P - 1));
                mask[i] = (byte) (trial == 4 ? 0 : trial == 5 ? 66 : s.rnd.nextInt(Zp.P));
            }
            int ones = 0;
            for (int e = 0; e < n; e++) {
                r[e] = e < edges.length && trial % 2 == 0 ? edges[e] : s.rnd.nextLong();
                beta[e] = s.rnd.nextInt(2);
                rotation[e] = (byte) (e < 64 ? e * 4 + trial : s.rnd.nextInt(256));
                if (beta[e] != 0 && r[e] == -1L) ones++;
            }
            byte[] u = new byte[ones * PrivateCompare.BITS];
            for (int i = 0; i < u.length; i++) u[i] = (byte) (1 + s.rnd.nextInt(Zp.P - 1));
            for (int j = 0; j < 2; j++) {
                byte[] ref = MaskedShares.scalar(j, x, r, beta, a, rotation, mask, u, n);
                byte[] vec = MaskedSharesVector.compute(j, x, r, beta, a, rotation, mask, u, n);
                assertThat(vec).as(s.msg("trial " + trial + ", P" + j)).isEqualTo(ref);
                assertThat(MaskedSharesVector256.compute(j, x, r, beta, a, rotation, mask, u, n))
                        .as(s.msg("256-bit, trial " + trial + ", P" + j)).isEqualTo(ref);
                for (byte d : ref) assertThat(d).isBetween((byte) 0, (byte) 66);
            }
        }
    }

    @Test
    void generatorTablesAreInverse() {
        assertThat(Zp.GENERATOR).isEqualTo(2);
        boolean[] seen = new boolean[Zp.P];
        for (int k = 0; k < Zp.P - 1; k++) {
            int v = Zp.exp(k);
            assertThat(seen[v]).isFalse();
            seen[v] = true;
            assertThat(Zp.log(v)).isEqualTo(k);
            assertThat(Zp.exp((k + 1) % (Zp.P - 1))).isEqualTo(v * Zp.GENERATOR % Zp.P);
        }
        assertThat(seen[0]).isFalse();
    }
}
