package io.securenn.testutil;

import io.securenn.ring.OddRing;

/** Plaintext-side share splitting and reconstruction for protocol tests (no communication needed). */
public final class Shares2 {
    private Shares2() {}

    /** {x0, x1} with x0 uniform and x0 + x1 = x mod 2^64. */
    public static long[][] split(long[] x, Seeded s) {
        long[] a = s.longs(x.length), b = new long[x.length];
        for (int i = 0; i < x.length; i++) b[i] = x[i] - a[i];
        return new long[][] {a, b};
    }

    /**
     * {x, 0}: P0 holds the values and P1 holds zeros (as the reference code shares its inputs), so P1's share is
     * known to P2. A protocol's outputs must be fresh whatever the input sharing is.
     */
    public static long[][] heldByP0(long[] x) {
        return new long[][] {x.clone(), new long[x.length]};
    }

    /** {x0, x1} with x0 uniform in Z_{2^64−1} (canonical) and x0 + x1 = x mod 2^64 − 1. */
    public static long[][] splitOdd(long[] x, Seeded s) {
        long[] a = new long[x.length], b = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            long r;
            do r = s.rnd.nextLong(); while (r == -1L);
            a[i] = r;
            b[i] = OddRing.sub(x[i], r);
        }
        return new long[][] {a, b};
    }

    public static long[] add(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    public static long[] addOdd(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = OddRing.add(a[i], b[i]);
        return r;
    }

    /** The share P_id gets out of {x0, x1} (null for P2). */
    public static long[] mine(long[][] sh, int id) {
        return id < 2 ? sh[id] : null;
    }

    public static long[] concat(long[]... parts) {
        int n = 0;
        for (long[] p : parts) n += p.length;
        long[] r = new long[n];
        int o = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, r, o, p.length);
            o += p.length;
        }
        return r;
    }
}
