package io.securenn.cli.probe;

import io.securenn.ring.FixedPoint;

/** How values are written in the probe's CSV files. */
public enum Encoding {
    /** Decimal numbers, encoded in fixed point with 13 fractional bits; written as exact decimals. */
    FIXED,
    /** Signed 64-bit integers taken as elements of Z_2^64. */
    RAW,
    /** Results that are bits: written as 0 or 1 (as raw integers, whatever their value). */
    BIT;

    /** Parses one CSV value; throws IllegalArgumentException with a one-line reason. */
    public long parse(String s) {
        String t = s.strip();
        if (t.isEmpty()) throw new IllegalArgumentException("empty value");
        if (this == FIXED) return FixedPoint.parseExact(t);
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            if (t.matches("[+-]?\\d+")) {
                throw new IllegalArgumentException("value out of the signed 64-bit range: '" + t + "'");
            }
            throw new IllegalArgumentException("not an integer: '" + t + "'");
        }
    }

    public String format(long v) {
        return this == FIXED ? FixedPoint.toExactDecimal(v) : Long.toString(v);
    }
}
