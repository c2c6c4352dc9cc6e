package io.securenn.ring;

/**
 * The odd ring Z_{2^64 - 1}. Elements are canonical in [0, 2^64 - 2] when produced here; inputs may be the
 * non-canonical 2^64 - 1 (that is, -1L, congruent to 0), e.g. a Z_L share entering the odd ring (spec correction 7).
 */
public final class OddRing {
    private OddRing() {}

    /** The largest canonical element, 2^64 - 2, as a long. */
    public static final long MAX = -2L;

    /** Canonical representative of v (only -1L, i.e. 2^64 - 1, is not canonical). */
    public static long reduce(long v) {
        return v == -1L ? 0L : v;
    }

    /** a + b mod 2^64 - 1: add the carry back in (2^64 = 1 mod 2^64 - 1), then map 2^64 - 1 to 0. */
    public static long add(long a, long b) {
        long s = a + b;
        if (Long.compareUnsigned(s, a) < 0) s += 1; // carried: 2^64 contributes 1
        return s == -1L ? 0L : s;
    }

    /** Negation: 2^64 - 1 - b, i.e. ~b, with 0 and 2^64 - 1 both mapping to 0. */
    public static long neg(long b) {
        return (b == 0 || b == -1L) ? 0L : ~b;
    }

    public static long sub(long a, long b) {
        return add(a, neg(b));
    }

    /** 2a in the odd ring: add(a, a) (a plain shift is wrong whenever a's top bit is set). */
    public static long dbl(long a) {
        return add(a, a);
    }

    /** k * a for a small non-negative k by double-and-add (k < 2^31). */
    public static long mulSmall(long a, int k) {
        long acc = 0, base = reduce(a);
        while (k != 0) {
            if ((k & 1) != 0) acc = add(acc, base);
            base = add(base, base);
            k >>>= 1;
        }
        return acc;
    }
}
