package io.securenn.ring;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Fixed point with {@value #FRAC_BITS} fractional bits in two's complement over Z_{2^64}:
 * encode rounds to the nearest multiple of 2^-13, decode is exact (a double holds any |v| < 2^53 exactly).
 */
public final class FixedPoint {
    private FixedPoint() {}

    public static final int FRAC_BITS = 13;
    public static final long ONE = 1L << FRAC_BITS;
    /** Largest magnitude accepted by {@link #encode(double)}: |x| < 2^49 keeps products far from 2^63. */
    public static final double MAX_ABS = 0x1p49;

    public static long encode(double x) {
        if (!Double.isFinite(x) || Math.abs(x) >= MAX_ABS) {
            throw new IllegalArgumentException("value out of the fixed-point range (|x| < 2^49): " + x);
        }
        return Math.round(x * ONE);
    }

    public static double decode(long v) {
        return (double) v / ONE;
    }

    public static long[] encode(double[] xs) {
        long[] r = new long[xs.length];
        for (int i = 0; i < xs.length; i++) r[i] = encode(xs[i]);
        return r;
    }

    public static double[] decode(long[] vs) {
        double[] r = new double[vs.length];
        for (int i = 0; i < vs.length; i++) r[i] = decode(vs[i]);
        return r;
    }

    /** Exact decimal of the fixed-point value v / 2^13 (at most 13 fractional digits, no trailing zeros). */
    public static String toExactDecimal(long v) {
        BigDecimal d = new BigDecimal(BigInteger.valueOf(v)).divide(BigDecimal.valueOf(ONE));
        d = d.stripTrailingZeros();
        if (d.scale() < 0) d = d.setScale(0);
        return d.toPlainString();
    }

    /** Parses a decimal and rounds it to the nearest fixed-point value exactly (half away from zero). */
    public static long parseExact(String s) {
        BigDecimal d;
        try {
            d = new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + s.trim() + "'");
        }
        BigDecimal scaled = d.multiply(BigDecimal.valueOf(ONE)).setScale(0, java.math.RoundingMode.HALF_UP);
        if (scaled.abs().compareTo(BigDecimal.valueOf(MAX_ABS).multiply(BigDecimal.valueOf(ONE))) >= 0) {
            throw new IllegalArgumentException("value out of the fixed-point range (|x| < 2^49): " + s.trim());
        }
        return scaled.longValueExact();
    }
}
