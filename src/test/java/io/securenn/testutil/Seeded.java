package io.securenn.testutil;

import java.util.SplittableRandom;

/** Seeded randomness for tests: the seed is printed with every failure message built by {@link #msg}. */
public final class Seeded {
    public final long seed;
    public final SplittableRandom rnd;

    public Seeded(long seed) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
    }

    public static Seeded fromEnvOr(long fallback) {
        String s = System.getenv("SECURENN_TEST_SEED");
        return new Seeded(s != null ? Long.parseLong(s) : fallback);
    }

    public String msg(String what) {
        return what + " (seed " + seed + ")";
    }

    public long[] longs(int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) r[i] = rnd.nextLong();
        return r;
    }

    /** Fixed-point values uniform in (-bound, bound), encoded. */
    public long[] fixed(int n, double bound) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) r[i] = Math.round((rnd.nextDouble() * 2 - 1) * bound * 8192.0);
        return r;
    }
}
