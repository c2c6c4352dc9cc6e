package io.securenn.cli.probe;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;

/**
 * Range checks of fixed-point products for the probe. A product of two fixed-point values carries 26 fractional
 * bits before it is truncated by 13; it must fit in a signed 64-bit ring element with room to spare, or the
 * revealed result is garbage. The bound used here, |untruncated| &lt; 2^62, is the widest that cannot wrap; local
 * share truncation then still fails with probability about 2^(b+1−64) for |untruncated| &lt; 2^b (spec
 * correction 13), so results near the bound are unreliable by design.
 */
final class FixedDomain {
    private FixedDomain() {}

    static final long LIMIT = 1L << 62;

    /** Fails if a 128-bit value (hi, lo) is not within ±2^62. */
    private static boolean fits(long hi, long lo) {
        return hi == (lo >> 63) && lo > -LIMIT && lo < LIMIT;
    }

    static void checkProduct(long a, long b, String where) {
        if (!fits(Math.multiplyHigh(a, b), a * b)) tooLarge(where);
    }

    /** Checks every entry of A·B (m×n times n×v) exactly, with 128-bit accumulation. */
    static void checkMatrixProduct(long[] a, long[] b, int m, int n, int v) {
        long[] bt = io.securenn.tensor.MatrixOps.transpose(b, n, v);
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
                if (!fits(hi, lo)) tooLarge("row " + (i + 1) + ", column " + (j + 1) + " of the result");
            }
        }
    }

    private static void tooLarge(String where) {
        throw SecureNnException.badInput(where + " is out of the fixed-point range: its exact value must be within ±2^"
                + (62 - 2 * FixedPoint.FRAC_BITS) + " (use smaller values, or --raw for ring arithmetic)");
    }
}
