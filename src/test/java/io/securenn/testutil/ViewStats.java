package io.securenn.testutil;

import io.securenn.ring.ZpWire;
import io.securenn.ring.Zp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** Histograms of what P2 receives, and the chi-square assertions the view tests make on them. */
public final class ViewStats {
    private ViewStats() {}

    public static final int RATIO_CLASSES = Zp.P + 2;

    public static long[] longs(byte[] frame) {
        long[] r = new long[frame.length / 8];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(r);
        return r;
    }

    /** The count Z_67 values of a message in the given wire format (the session's). */
    public static byte[] zp(ZpWire wire, byte[] frame, int count) {
        byte[] v = new byte[count];
        assertThat(wire.decode(ByteBuffer.wrap(frame), count, v, 0)).isTrue();
        return v;
    }

    /** Counts of each Z_67 value. */
    public static long[] zpHistogram(byte[] v) {
        long[] h = new long[Zp.P];
        for (byte b : v) h[b]++;
        return h;
    }

    /** Counts of the reconstructed values d = d0 + d1 mod 67. */
    public static long[] sumHistogram(byte[] d0, byte[] d1) {
        long[] h = new long[Zp.P];
        for (int i = 0; i < d0.length; i++) h[(d0[i] + d1[i]) % Zp.P]++;
        return h;
    }

    /**
     * Counts of the ratio class of each pair: d0·d1^-1 mod 67 when d1 ≠ 0 (bins 0..66), "infinite" when only d1 is
     * 0 (bin 67), both zero (bin 68). Multiplying both shares by the same s_i keeps the class, so without
     * re-randomisation it is a function of the c shares alone.
     */
    public static long[] ratioClasses(byte[] d0, byte[] d1) {
        int[] inv = new int[Zp.P];
        for (int v = 1; v < Zp.P; v++) for (int w = 1; w < Zp.P; w++) if (v * w % Zp.P == 1) inv[v] = w;
        long[] h = new long[RATIO_CLASSES];
        for (int i = 0; i < d0.length; i++) {
            int a = d0[i], b = d1[i];
            h[b != 0 ? a * inv[b] % Zp.P : a != 0 ? Zp.P : Zp.P + 1]++;
        }
        return h;
    }

    /** Per element (64 positions each), how many reconstructed d_i are 0. */
    public static long[] zerosPerElement(byte[] d0, byte[] d1) {
        long[] h = new long[65];
        for (int e = 0; e < d0.length / 64; e++) {
            int z = 0;
            for (int k = 0; k < 64; k++) if ((d0[e * 64 + k] + d1[e * 64 + k]) % Zp.P == 0) z++;
            h[z]++;
        }
        return h;
    }

    /** Counts of every byte of every value (little endian): a uniform 64-bit value has uniform bytes. */
    public static long[] byteHistogram(long[] v) {
        long[] h = new long[256];
        for (long x : v) for (int k = 0; k < 8; k++) h[(int) (x >>> (8 * k)) & 0xff]++;
        return h;
    }

    /** Counts of the top 8 bits. */
    public static long[] highByteHistogram(long[] v) {
        long[] h = new long[256];
        for (long x : v) h[(int) (x >>> 56)]++;
        return h;
    }

    public static void assertUniform(Seeded s, long[] h, String what) {
        double chi = ChiSquare.uniform(h), crit = ChiSquare.critical(h.length - 1);
        assertThat(chi).as(s.msg(what + ": chi-square " + chi + " vs critical " + crit)).isLessThan(crit);
    }

    public static void assertSameDistribution(Seeded s, long[] a, long[] b, String what) {
        double chi = ChiSquare.twoSample(a, b), crit = ChiSquare.critical(ChiSquare.twoSampleDf(a, b));
        assertThat(chi).as(s.msg(what + ": two-sample chi-square " + chi + " vs critical " + crit)).isLessThan(crit);
    }

    public static void assertDifferentDistribution(Seeded s, long[] a, long[] b, String what) {
        double chi = ChiSquare.twoSample(a, b), crit = ChiSquare.critical(ChiSquare.twoSampleDf(a, b));
        assertThat(chi).as(s.msg(what + ": two-sample chi-square " + chi + " vs critical " + crit))
                .isGreaterThan(crit);
    }
}
