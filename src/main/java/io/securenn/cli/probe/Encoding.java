package io.securenn.cli.probe;

import io.securenn.ring.FixedPoint;

/** How values are written in the probe's CSV files. */
public enum Encoding {
    /** Decimal numbers, encoded in fixed point with 13 fractional bits; written as exact decimals. */
    FIXED,
    /** Signed 64-bit integers taken as elements of Z_2^64. */
    RAW,
    /** Results that are bits or indices: written as integers (0 or 1 for bits, whatever their value). */
    BIT,
    /** Results in Z_{2^64−1} (ShareConvert): written as unsigned decimals 0 … 2^64 − 2. */
    UNSIGNED;

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
        return switch (this) {
            case FIXED -> FixedPoint.toExactDecimal(v);
            case UNSIGNED -> Long.toUnsignedString(v);
            default -> Long.toString(v);
        };
    }
}
