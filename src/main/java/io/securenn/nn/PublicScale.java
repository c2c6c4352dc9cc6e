package io.securenn.nn;

import io.securenn.ring.FixedPoint;

/**
 * Multiplication of FIXED values by public real constants (an average's 1/k, a public scale) with extra precision
 * and one truncation: each constant c becomes the integer round(c·2^s), the product of a value (13 fractional
 * bits) with it has 13 + s, and one local truncation by s brings it back. s = 13 + ⌈log2(1/|c|)⌉ for the smallest
 * non-zero |c| (at least 13), so every constant keeps at least 13 significant bits: 1/49 is 10 700·2^-19 (relative
 * error 5·10^-5) where 13 bits alone would give 167·2^-13 (0.1 %).
 *
 * <p>What the truncation may cost: local truncation of shares fails with probability about |x·2^s| / 2^63 for a
 * value x (raw fixed point), so s is capped at {@link #MAX_BITS}.
 */
public final class PublicScale {
    private PublicScale() {}

    /** The largest extra precision used (keeps |x|·2^s far below 2^63 for activations below 2^(13+20)). */
    public static final int MAX_BITS = 24;

    public static void check(int length, double[] c) {
        if (c.length != length) throw new IllegalArgumentException("public constants: " + c.length + " for " + length + " values");
    }

    /** The extra fractional bits s for these constants (the same at every party: public). */
    public static int bits(double[] c) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : c) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("public constant " + v + " is not finite");
            double a = Math.abs(v);
            if (a > 0 && a < min) min = a;
        }
        if (min == Double.POSITIVE_INFINITY || min >= 1) return FixedPoint.FRAC_BITS;
        int extra = (int) Math.ceil(-Math.log(min) / Math.log(2));
        return Math.min(MAX_BITS, FixedPoint.FRAC_BITS + extra);
    }

    public static long[] encode(double[] c, int bits) {
        long[] e = new long[c.length];
        for (int i = 0; i < c.length; i++) e[i] = Math.round(Math.scalb(c[i], bits));
        return e;
    }

    /** a[i]·e[i] in Z_2^64 (shares and plaintext alike). */
    public static long[] multiply(long[] a, long[] e) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * e[i];
        return r;
    }
}
