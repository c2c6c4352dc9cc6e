package io.securenn.ring;

/**
 * The ring Z_{2^64} on Java {@code long}: addition, subtraction and multiplication already wrap modulo 2^64.
 * What needs care is the unsigned view: carries (wrap), unsigned comparison, bit extraction.
 */
public final class Ring64 {
    private Ring64() {}

    /** 1 iff a + b >= 2^64 over the integers (the carry out of the 64-bit addition). */
    public static long wrap(long a, long b) {
        return Long.compareUnsigned(a, ~b) > 0 ? 1 : 0;
    }

    /** Bit k of x counted from the most significant (k = 0 is bit 63, the MSB). */
    public static int bitMsbFirst(long x, int k) {
        return (int) ((x >>> (63 - k)) & 1L);
    }

    /** 1 iff x > y as unsigned 64-bit integers. */
    public static int greaterUnsigned(long x, long y) {
        return Long.compareUnsigned(x, y) > 0 ? 1 : 0;
    }

    public static long msb(long x) {
        return x >>> 63;
    }

    public static void addInto(long[] acc, long[] b) {
        for (int i = 0; i < acc.length; i++) acc[i] += b[i];
    }

    public static void subInto(long[] acc, long[] b) {
        for (int i = 0; i < acc.length; i++) acc[i] -= b[i];
    }

    public static long[] add(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    public static long[] sub(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    public static long[] scale(long[] a, long k) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * k;
        return r;
    }
}
