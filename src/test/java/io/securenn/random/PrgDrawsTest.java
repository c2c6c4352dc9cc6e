package io.securenn.random;

import io.securenn.ring.Vectors;
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

    /** Critical value of the uniformity tests here (63 to 66 degrees of freedom, false-positive rate about 1e-6). */
    static final double CRITICAL = 140;

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
        assertThat(chi2(ca)).isLessThan(CRITICAL);
        assertThat(chi2(cb)).isLessThan(CRITICAL);
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
        for (long[] w : where) assertThat(chi2(w)).isLessThan(CRITICAL);   // 63 dof
    }

    /**
     * Negative controls: the same statistic, sample sizes and critical value reject biased samplers of the same
     * draws: bytes reduced mod 67 (or mod 66) without rejection, and a Fisher–Yates shuffle that takes its index as
     * 7 bits mod the bound without rejection.
     */
    @Test
    void theUniformityTestsRejectBiasedSamplers() {
        byte[] raw = prg(1).bytes(670_000);
        long[] c67 = new long[67], c66 = new long[66];
        for (byte b : raw) {
            c67[(b & 0xff) % 67]++;
            c66[(b & 0xff) % 66]++;
        }
        assertThat(chi2(c67)).isGreaterThan(CRITICAL);
        assertThat(chi2(c66)).isGreaterThan(CRITICAL);

        int count = 20_000, size = 64;
        long[][] where = new long[4][size];
        byte[] b = prg(2).bytes(count * size);
        int at = 0;
        for (int k = 0; k < count; k++) {
            int[] perm = new int[size];
            for (int i = 0; i < size; i++) perm[i] = i;
            for (int i = size - 1; i > 0; i--) {
                int j = (b[at++] & 127) % (i + 1);   // biased: no rejection
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int i = 0; i < size; i++) if (perm[i] < 4) where[perm[i]][i]++;
        }
        double worst = 0;
        for (long[] w : where) worst = Math.max(worst, chi2(w));
        assertThat(worst).isGreaterThan(CRITICAL);
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

    /**
     * The vector rejection samplers (64 and 32 stream bytes at a time) are the scalar loop's twins: same values, same
     * stream position, any length, whatever the acceptance pattern (runs of rejected and of accepted bytes come from
     * the keystream itself).
     */
    @Test
    void vectorRejectionSamplingDrawsExactlyWhatTheScalarLoopDraws() {
        for (Vectors.Form form : new Vectors.Form[] {Vectors.Form.V512, Vectors.Form.V256}) {
            for (int key : new int[] {4, 9}) {
                Prg v = prg(key), s = prg(key);
                int[] limits = {3 * 67, 3 * 66, 3 * 66};
                byte[][] tables = new byte[3][256];
                for (int b = 0; b < 256; b++) {
                    tables[0][b] = (byte) (b % 67);
                    tables[1][b] = (byte) (b % 66 + 1);
                    tables[2][b] = (byte) (b % 66);
                }
                long seed = 44 + key;
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
                for (int round = 0; round < 300; round++) {
                    int kind = round % 3;
                    // lengths around the 32- and 64-byte blocks, and long ones that cross the 64 KiB buffer refills
                    int n = round % 7 == 0 ? 70_000 + rnd.nextInt(70_000) : rnd.nextInt(200);
                    String what = String.format("%s, key %d, seed %d, round %d, n %d", form, key, seed, round, n);
                    assertThat(v.rejectionSample(n, limits[kind], tables[kind], form)).as(what)
                            .isEqualTo(s.rejectionSample(n, limits[kind], tables[kind], Vectors.Form.SCALAR));
                    assertThat(v.position()).as(what).isEqualTo(s.position());
                    if (round % 5 == 0) assertThat(v.bytes(round % 64)).isEqualTo(s.bytes(round % 64));   // misalign
                }
            }
        }
    }

    /** The 256-bit sampler writes only inside the range it fills (its 8-byte stores run ahead of the kept values). */
    @Test
    void samplingIntoARangeLeavesTheRestOfTheArray() {
        for (int n : new int[] {1, 31, 32, 33, 63, 64, 65, 1000, 4097}) {
            Prg a = prg(10), b = prg(10);
            byte[] r = new byte[n + 80];
            java.util.Arrays.fill(r, (byte) -7);
            a.modP(r, 40, n);
            byte[] want = b.modP(n);
            for (int i = 0; i < r.length; i++) {
                if (i < 40 || i >= 40 + n) assertThat(r[i]).as("n %d, index %d", n, i).isEqualTo((byte) -7);
                else assertThat(r[i]).as("n %d, index %d", n, i).isEqualTo(want[i - 40]);
            }
        }
    }

    @Test
    void bulkFillDrawsTheSameLongsAsOneAtATime() {
        Prg a = prg(5), b = prg(5);
        for (int round = 0; round < 40; round++) {
            int n = round % 4 == 0 ? 20_000 + round : round * 3;
            long[] bulk = a.longs(n);
            long[] one = new long[n];
            for (int i = 0; i < n; i++) one[i] = b.longs(1)[0];
            assertThat(bulk).isEqualTo(one);
            assertThat(a.position()).isEqualTo(b.position());
            a.bytes(round % 11);
            b.bytes(round % 11);
        }
    }

    @Test
    void modPMinusOneIsUniformOnZ66() {
        byte[] a = prg(6).modPMinusOne(660_000);
        long[] c = new long[66];
        for (byte v : a) {
            assertThat(v).isBetween((byte) 0, (byte) 65);
            c[v]++;
        }
        assertThat(chi2(c)).isLessThan(CRITICAL);
    }

    /** Chunked protocols draw a vector in pieces: the pieces must be exactly the whole draw, and leave the same position. */
    @Test
    void drawingInConsecutivePiecesGivesTheWholeDrawsValues() {
        Prg whole = prg(4), pieces = prg(4);
        whole.bytes(3);   // start unaligned, as after a Z_67 draw
        pieces.bytes(3);
        long[] l = whole.longs(70_001), o = whole.oddRing(5_003);
        byte[] z = whole.modP(64 * 999);
        long[] bits = whole.bits(640);
        long[] l2 = new long[70_001], o2 = new long[5_003];
        byte[] z2 = new byte[64 * 999];
        for (int at = 0; at < l2.length; at += 8_191) pieces.fill(l2, at, Math.min(8_191, l2.length - at));
        for (int at = 0; at < o2.length; at += 1_000) pieces.oddRing(o2, at, Math.min(1_000, o2.length - at));
        for (int at = 0; at < z2.length; at += 64 * 7) pieces.modP(z2, at, Math.min(64 * 7, z2.length - at));
        long[] words = pieces.bitWords(640);
        assertThat(l2).isEqualTo(l);
        assertThat(o2).isEqualTo(o);
        assertThat(z2).isEqualTo(z);
        assertThat(Prg.bits(words, 0, 640)).isEqualTo(bits);
        for (int i = 0; i < 640; i++) assertThat(Prg.bit(words, i)).isEqualTo(bits[i]);
        assertThat(pieces.position()).isEqualTo(whole.position());
        // a packed draw whose length is not a multiple of 64 holds no bits beyond it
        long[] w = prg(5).bitWords(70);
        assertThat(w).hasSize(2);
        assertThat(w[1] >>> 6).isZero();
        assertThat(Prg.bits(w, 0, 70)).isEqualTo(prg(5).bits(70));
    }

    @Test
    void forksOfTheSamePointAreTheSameStreamAndSeedsReplayIt() {
        Prg a = prg(6), b = prg(6);
        a.longs(5);
        b.longs(5);
        Prg fa = a.fork(), fb = b.fork();
        assertThat(a.position()).isEqualTo(b.position()).isEqualTo(40 + Prg.SEED_BYTES);
        byte[] whole = fa.modP(64 * 100);
        byte[] later = new byte[64 * 100];
        for (int at = 0; at < later.length; at += 64 * 9) fb.modP(later, at, Math.min(64 * 9, later.length - at));
        assertThat(later).isEqualTo(whole);
        assertThat(a.longs(3)).isEqualTo(b.longs(3));   // the parents stay in step
        assertThat(fa.longs(4)).isNotEqualTo(a.longs(4)); // the child is another stream

        byte[] seed = prg(7).bytes(Prg.SEED_BYTES);
        assertThat(Prg.fromSeed(seed).longs(9)).isEqualTo(Prg.fromSeed(seed.clone()).longs(9));
    }
}
