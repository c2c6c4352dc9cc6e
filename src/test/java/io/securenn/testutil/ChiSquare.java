package io.securenn.testutil;

/**
 * Pearson chi-square statistics and a conservative critical value, for the view tests. The tests run on fixed
 * seeds, so they are deterministic; the threshold (false-positive rate about 1e-9 per test) only guards against
 * choosing an unlucky seed.
 */
public final class ChiSquare {
    private ChiSquare() {}

    /** Statistic of observed counts against a uniform distribution over counts.length bins. */
    public static double uniform(long[] counts) {
        long n = 0;
        for (long c : counts) n += c;
        double e = (double) n / counts.length, s = 0;
        for (long c : counts) s += (c - e) * (c - e) / e;
        return s;
    }

    /** Two-sample statistic (both samples from the same distribution?) over the bins where either is non-empty. */
    public static double twoSample(long[] a, long[] b) {
        long na = 0, nb = 0;
        for (long c : a) na += c;
        for (long c : b) nb += c;
        double ka = Math.sqrt((double) nb / na), kb = Math.sqrt((double) na / nb), s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] + b[i] == 0) continue;
            double d = ka * a[i] - kb * b[i];
            s += d * d / (a[i] + b[i]);
        }
        return s;
    }

    /** Degrees of freedom of a two-sample test: non-empty bins minus one. */
    public static int twoSampleDf(long[] a, long[] b) {
        int k = 0;
        for (int i = 0; i < a.length; i++) if (a[i] + b[i] > 0) k++;
        return Math.max(1, k - 1);
    }

    /** Critical value at a false-positive rate of about 1e-9 (Wilson–Hilferty with z = 6). */
    public static double critical(int df) {
        if (df == 1) return 37.33;   // (Φ^-1(1 − 5e-10))^2
        if (df == 2) return 41.45;   // −2 ln(1e-9)
        double z = 6.0, h = 2.0 / (9.0 * df);
        double t = 1 - h + z * Math.sqrt(h);
        return df * t * t * t;
    }
}
