package io.securenn.testutil;

import java.util.function.IntBinaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics of the view tests that condition on what P2 dealt ({@link DealerView}). The zero-share of a
 * refresh, and the masks of the protocols, come from the P0–P1 stream, which P2 never holds: they are what keeps
 * P2 from learning anything from what it receives, or from an output share a protocol hands on, even though P2
 * knows every triple, bit share and helper value it dealt. Two statistics expose their absence:
 * <ul>
 *   <li><b>Parities given a triple.</b> A Beaver product's share is ⟨w⟩1 = ⟨Z⟩1 + (⟨x⟩1 − E)·F + E·⟨y⟩1 with
 *       E = x − U, F = y − V. P2 knows U, V and ⟨Z⟩1; when E and F are both even, w1 − ⟨Z⟩1 is even whatever the
 *       unknown shares are, and whether they are even depends on x and y through the parities of U and V. The
 *       histogram of (U mod 2, V mod 2, (w1 − ⟨Z⟩1) mod 2) therefore depends on the secrets unless a fresh
 *       zero-share was added; with it the residual bit is uniform in each of the four cells.</li>
 *   <li><b>Decoding.</b> Where P2 knows an output share up to a few bits (the protocol's common bits, the secret
 *       bit itself), it enumerates them and checks which hypothesis reproduces the share: a match tells it the
 *       secret. A fresh share matches no hypothesis (probability about 2^-60 per element).</li>
 * </ul>
 * Both are compared between two runs on different secrets with the two-sample chi-square of {@link ViewStats}
 * (false-positive rate about 1e-9 per comparison, see {@link ChiSquare#critical}).
 */
public final class Freshness {
    private Freshness() {}

    /** Histogram of (u mod 2, v mod 2, residual mod 2): bin 4·(u&1) + 2·(v&1) + (residual&1). */
    public static long[] parities(long[] u, long[] v, long[] residual) {
        assertThat(v).hasSameSizeAs(u);
        assertThat(residual).hasSameSizeAs(u);
        long[] h = new long[8];
        for (int i = 0; i < u.length; i++) h[(int) ((u[i] & 1) << 2 | (v[i] & 1) << 1 | (residual[i] & 1))]++;
        return h;
    }

    /** a − b element-wise. */
    public static long[] minus(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < r.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    /**
     * The parity histograms of two runs on different secrets: the same distribution (two-sample), and in each run
     * the residual bit uniform within each (U, V) parity cell (what a fresh share gives).
     */
    public static void assertParitiesIndependent(Seeded s, String what, long[] a, long[] b) {
        for (long[] h : new long[][] {a, b}) {
            for (int cell = 0; cell < 4; cell++) {
                long[] bit = {h[2 * cell], h[2 * cell + 1]};
                assertThat(bit[0] + bit[1]).as(s.msg(what + ": too few samples in a parity cell")).isGreaterThan(400);
                ViewStats.assertUniform(s, bit, what + ": residual bit uniform given U mod 2 = " + (cell >> 1)
                        + ", V mod 2 = " + (cell & 1) + " " + java.util.Arrays.toString(h));
            }
        }
        ViewStats.assertSameDistribution(s, a, b, what + ": (U, V, residual) parities " + java.util.Arrays.toString(a)
                + " vs " + java.util.Arrays.toString(b));
    }

    /** The share P2 would see for element e under hypothesis h. */
    @FunctionalInterface
    public interface Candidate {
        long share(int e, int h);
    }

    /**
     * For each element, which hypotheses reproduce its actual share: bin label(e, h) (in [0, labels)) if all
     * matching hypotheses agree on it, bin {@code labels} if none matches, bin {@code labels + 1} if they disagree.
     */
    public static long[] decode(long[] actual, int hypotheses, Candidate candidate, IntBinaryOperator label,
                                int labels) {
        long[] h = new long[labels + 2];
        for (int e = 0; e < actual.length; e++) {
            int got = -1;
            for (int k = 0; k < hypotheses; k++) {
                if (candidate.share(e, k) != actual[e]) continue;
                int l = label.applyAsInt(e, k);
                got = got == -1 || got == l ? l : labels + 1;
            }
            h[got == -1 ? labels : got]++;
        }
        return h;
    }

    /**
     * The decoding histograms of two runs on different secrets: no element decodes (its share is fresh) in either,
     * and the two have the same distribution.
     */
    public static void assertUndecodable(Seeded s, String what, long[] a, long[] b) {
        ViewStats.assertSameDistribution(s, a, b, what + ": what P2 decodes " + java.util.Arrays.toString(a) + " vs "
                + java.util.Arrays.toString(b));
        for (long[] h : new long[][] {a, b}) {
            long decoded = 0;
            for (int i = 0; i < h.length; i++) if (i != h.length - 2) decoded += h[i];
            assertThat(decoded).as(s.msg(what + ": elements whose share P2 reproduces from what it dealt "
                    + java.util.Arrays.toString(h))).isZero();
        }
    }
}
