package io.securenn.random;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The vectorised draws are exact in range and uniform (chi-square, fixed keys so the test is deterministic). */
class PrgDrawsTest {
    static Prg prg(int k) {
        byte[] key = new byte[16], iv = new byte[16];
        key[0] = (byte) k;
        return new Prg(key, iv);
    }

    /** Chi-square statistic of counts against a uniform expectation. */
    static double chi2(long[] counts) {
        long total = Arrays.stream(counts).sum();
        double e = (double) total / counts.length, x = 0;
        for (long c : counts) x += (c - e) * (c - e) / e;
        return x;
    }

    @Test
    void modPAndNonZeroModPAreUniformOverTheirRange() {
        Prg p = prg(1);
        byte[] a = p.modP(670_000), b = p.nonZeroModP(660_000);
        long[] ca = new long[67], cb = new long[66];
        for (byte v : a) ca[v]++;
        for (byte v : b) {
            assertThat(v).isBetween((byte) 1, (byte) 66);
            cb[v - 1]++;
        }
        // 66 / 65 degrees of freedom: the 1e-6 critical value is about 140
        assertThat(chi2(ca)).isLessThan(140);
        assertThat(chi2(cb)).isLessThan(140);
    }

    @Test
    void permutationsArePermutationsAndUniformInEachPosition() {
        Prg p = prg(2);
        int count = 20_000, size = 64;
        byte[] perms = p.permutations(count, size);
        long[][] where = new long[4][size];
        for (int k = 0; k < count; k++) {
            boolean[] seen = new boolean[size];
            for (int i = 0; i < size; i++) {
                int v = perms[k * size + i] & 0xff;
                assertThat(seen[v]).isFalse();
                seen[v] = true;
                if (v < 4) where[v][i]++;
            }
        }
        for (long[] w : where) assertThat(chi2(w)).isLessThan(140);   // 63 dof
    }

    @Test
    void twoHoldersStayInStepAcrossMixedDraws() {
        Prg a = prg(3), b = prg(3);
        for (int round = 0; round < 50; round++) {
            assertThat(a.permutations(3, 64)).isEqualTo(b.permutations(3, 64));
            assertThat(a.modP(1000 + round)).isEqualTo(b.modP(1000 + round));
            assertThat(a.longs(7)).isEqualTo(b.longs(7));
            assertThat(a.nonZeroModP(77)).isEqualTo(b.nonZeroModP(77));
            assertThat(a.position()).isEqualTo(b.position());
        }
    }
}
