package io.securenn.nn;

import io.securenn.ring.FixedPoint;

/**
 * What SecureNN's non-linear protocols compute, on plaintext ring elements, bit for bit as the protocols define
 * it (so the fixed-point twin and tests of the secure protocols can hold results against it). All arithmetic is
 * over Z_{2^64} (Java long, wrapping).
 */
public final class PlainProtocols {
    private PlainProtocols() {}

    /** Quotient bits of Π_Div version B with x pre-scaled by 2^13 (spec correction 5). */
    public static final int DIVISION_BITS = 14;

    /** Π_DReLU: 1 − MSB(2a) (spec §2.7). Equal to [a ≥ 0] for |a| &lt; 2^62; DReLU(0) = 1. */
    public static long drelu(long a) {
        return ((a << 1) >>> 63) ^ 1L;
    }

    public static long[] drelu(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = drelu(a[i]);
        return r;
    }

    /**
     * Π_MP over count windows of n contiguous values (spec §2.10, 0-based, correction 4): max ← x_0, ind ← 0;
     * for i = 1..n−1: β = DReLU(max − x_i); max ← β·(max − x_i) + x_i; ind ← β·(ind − i) + i. Ties keep the
     * earlier index. Fills max[count] and index[count].
     */
    public static void max(long[] x, int count, int n, long[] max, long[] index) {
        if (x.length != (long) count * n || max.length != count || index.length != count) {
            throw new IllegalArgumentException("max over " + count + " windows of " + n + " needs " + count * n
                    + " values, got " + x.length);
        }
        for (int w = 0; w < count; w++) {
            int base = w * n;
            long m = x[base], ind = 0;
            for (int i = 1; i < n; i++) {
                long xi = x[base + i];
                long diff = m - xi;
                long beta = drelu(diff);
                m = beta * diff + xi;
                ind = beta * (ind - i) + i;
            }
            max[w] = m;
            index[w] = ind;
        }
    }

    /** DMP (spec §2.11): e_{index mod n} for each window. */
    public static long[] oneHot(long[] index, int n) {
        long[] r = new long[index.length * n];
        for (int w = 0; w < index.length; w++) r[w * n + (int) Math.floorMod(index[w], (long) n)] = 1;
        return r;
    }

    /**
     * Π_Div version B (spec §2.9, correction 5) in base-4 digits, as {@code Division} computes it: with x' = x·2^13,
     * for i = 12, 10, …, 0: d = Σ_{m=1..3} DReLU(x' − u − m·2^i·y), u ← u + d·2^i·y; q = Σ d·2^i. The same bits as
     * the paper's one-bit steps: floor(x·2^13 / y) for 0 ≤ x·2^13 &lt; 2^14·y (and 3·2^12·y &lt; 2^62); y = 0 (x ≥ 0)
     * makes every comparison succeed: q = 2^14 − 1.
     */
    public static long divide(long x, long y) {
        long xs = x << FixedPoint.FRAC_BITS;
        long u = 0, q = 0;
        // base-4 digits as the protocol finds them (a single-bit step first for an odd bit count)
        for (int top = DIVISION_BITS; top > 0; ) {
            int width = top % 2 == 1 ? 1 : 2, pos = top - width;
            long yi = y << pos, digit = 0;
            for (int m = 1; m < 1 << width; m++) digit += drelu(xs - u - m * yi);
            u += digit * yi;
            q += digit << pos;
            top = pos;
        }
        return q;
    }
}
