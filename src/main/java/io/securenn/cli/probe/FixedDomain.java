package io.securenn.cli.probe;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;

import java.util.List;

/**
 * Range checks of fixed-point products for the probe. A product of two fixed-point values carries 26 fractional
 * bits until it is truncated by 13. If the exact untruncated value reaches 2^62 (a real result of 2^36) it
 * wraps: that is an error. Below that, local share truncation (spec correction 13) still returns garbage with
 * probability about 2^(b+1−64) per element when |untruncated| &lt; 2^b, so large results get a warning.
 */
final class FixedDomain {
    private FixedDomain() {}

    static final long LIMIT = 1L << 62;
    /** From here on (real results of 2^14 and more) the failure chance per element exceeds 2^-23: say so. */
    static final int WARN_BITS = 40;

    /** |v| for a 128-bit value (hi, lo), or -1 if it is not within ±2^62. */
    private static long magnitude(long hi, long lo) {
        if (hi != (lo >> 63) || lo <= -LIMIT || lo >= LIMIT) return -1;
        return Math.abs(lo);
    }

    /** Largest |x_i · y_i|; fails if one is out of range. */
    static long checkProducts(long[] x, long[] y, int cols) {
        long max = 0;
        for (int i = 0; i < x.length; i++) {
            long m = magnitude(Math.multiplyHigh(x[i], y[i]), x[i] * y[i]);
            if (m < 0) tooLarge("the product at row " + (i / cols + 1) + ", column " + (i % cols + 1));
            max = Math.max(max, m);
        }
        return max;
    }

    /** Largest |entry| of A·B (m×n times n×v), computed exactly with 128-bit sums; fails if one is out of range. */
    static long checkMatrixProduct(long[] a, long[] b, int m, int n, int v) {
        long[] bt = io.securenn.tensor.MatrixOps.transpose(b, n, v);
        long max = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < v; j++) {
                long hi = 0, lo = 0;
                for (int k = 0; k < n; k++) {
                    long x = a[i * n + k], y = bt[j * n + k];
                    long plo = x * y, phi = Math.multiplyHigh(x, y);
                    long s = lo + plo;
                    hi += phi + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
                    lo = s;
                }
                long mag = magnitude(hi, lo);
                if (mag < 0) tooLarge("row " + (i + 1) + ", column " + (j + 1) + " of the result");
                max = Math.max(max, mag);
            }
        }
        return max;
    }

    /** The warning for results whose truncation may fail with a non-negligible chance (none if small). */
    static List<String> truncationWarning(long maxUntruncated) {
        int bits = 64 - Long.numberOfLeadingZeros(maxUntruncated); // 2^(bits-1) <= max < 2^bits
        if (bits <= WARN_BITS) return List.of();
        return List.of("results reach 2^" + (bits - 1 - 2 * FixedPoint.FRAC_BITS) + ": local truncation of the "
                + "shares gives a wildly wrong value with probability about 2^" + (bits + 1 - 64) + " per element "
                + "(keep results below 2^" + (WARN_BITS - 2 * FixedPoint.FRAC_BITS) + ")");
    }

    private static void tooLarge(String where) {
        throw SecureNnException.badInput(where + " is out of the fixed-point range: its exact value must be within ±2^"
                + (62 - 2 * FixedPoint.FRAC_BITS) + " (use smaller values, or --raw for ring arithmetic)");
    }
}
