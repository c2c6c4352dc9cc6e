package io.securenn.protocol.maxpool;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * Π_MP (spec §2.10; corrections 3, 4): the maximum of each window of n shared values and its 0-based index
 * (ties keep the earlier index), over count windows given as a count × n row-major matrix
 * ({@link PoolWindows} cuts them out of NCHW activations).
 *
 * <p>One comparison of a current candidate (value a, index i_a) with a later one (b, i_b): β = DReLU(a − b)
 * (1 iff a ≥ b), then max = b + β·(a − b) and index = i_b + β·(i_a − i_b), the two products in one exchange with
 * triples dealt in DReLU's helper message: DReLU's rounds + 1 (9 in the paper's DReLU form, 5 in the masked form,
 * the session's {@link io.securenn.runtime.DReluForm}; 9 below). Where i_a − i_b is public (the first comparison of the
 * sequential form, every comparison of the tournament's first level, where it is −1) the index product is local.
 * <ul>
 *   <li>{@link Form#SEQUENTIAL} (the paper's): max ← x_0, then x_1 … x_{n−1} in turn: 9(n − 1) rounds.</li>
 *   <li>{@link Form#TOURNAMENT}: pairwise maxima in ⌈log2 n⌉ levels (an odd one out passes to the next level):
 *       the same n − 1 comparisons, so no more bytes, in 9⌈log2 n⌉ rounds.</li>
 * </ul>
 * Both outputs are refreshed, so the index can go to DMaxPool as it is. Domain: |x| < 2^61 (differences must stay
 * in DReLU's range).
 */
public final class MaxPool {
    private MaxPool() {}

    public enum Form { SEQUENTIAL, TOURNAMENT }

    /** The domain is |x| < 2^DOMAIN_BITS (raw), so that differences of two values stay in DReLU's range. */
    public static final int DOMAIN_BITS = DReLU.DOMAIN_BITS - 1;

    /** Fresh shares of each window's maximum and of its 0-based index (empty arrays at P2). */
    public record Result(long[] max, long[] index) {}

    /** Sequential comparison steps or tournament levels for windows of n values. */
    public static int steps(int n, Form form) {
        if (n <= 1) return 0;
        return form == Form.SEQUENTIAL ? n - 1 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /**
     * Per step a DReLU and one exchange; in the masked DReLU form every step after the first starts a round early
     * ({@link DReLU#roundsAheadInChain}): 9 per step (paper form), 5 + 4·(steps − 1) (masked).
     */
    public static int rounds(SessionParams session, int n, Form form) {
        int steps = steps(n, form);
        if (steps == 0) return 0;
        return steps * (DReLU.rounds(session) + 1) - (steps - 1) * DReLU.roundsAheadInChain(session);
    }

    /** Comparisons (per window) whose index difference is public, so their index product is local. */
    public static int publicIndexComparisons(int n, Form form) {
        if (n <= 1) return 0;
        return form == Form.SEQUENTIAL ? 1 : n / 2;
    }

    /**
     * Bytes all parties send together: per comparison one DReLU plus two products (triple dealt early), minus one
     * product for each comparison with a public index difference; in the session's DReLU form and Z_67 wire format.
     */
    public static long bytes(SessionParams session, int count, int n, Form form) {
        long perComparison = DReLU.bytes(session, 1) + 2 * (Beaver.dealBytes(1) + Beaver.exchangeBytes(1));
        long saved = Beaver.dealBytes(1) + Beaver.exchangeBytes(1);
        return (long) count * ((long) (n - 1) * perComparison - publicIndexComparisons(n, form) * saved);
    }

    public static Result run(PartyContext ctx, long[] windows, int count, int n, Form form) {
        if (count < 0 || n < 1) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "MaxPool needs windows of at least one value");
        }
        long total = (long) count * n;
        Shares.requireCount(total, "MaxPool");
        Shares.requireLength(ctx, windows, total, "MaxPool");
        if (count == 0) return new Result(Shares.none(), Shares.none());
        try (var _ = ctx.meter("MaxPool")) {
            Result r = form == Form.SEQUENTIAL ? sequential(ctx, windows, count, n) : tournament(ctx, windows, count, n);
            if (ctx.isHelper()) return new Result(Shares.none(), Shares.none());
            Sharing.refresh(ctx, r.max());
            Sharing.refresh(ctx, r.index());
            return r;
        }
    }

    /**
     * Most values per window for which {@link #argmax} compares all pairs: up to n/2 = 8 times the tournament's n − 1
     * comparisons, for a third of its rounds (the output layer of 10 classes: 45 comparisons in 8–12 rounds against
     * 9 in 17–36). Wider windows (ImageNet's 1 000 classes: 499 500 comparisons per row against 999) take the
     * tournament ({@link #run}'s index), chosen by size as the issue of the service asks.
     */
    public static final int ARGMAX_ALL_PAIRS_MAX = 16;

    /**
     * Rounds of {@link #argmax}: up to {@link #ARGMAX_ALL_PAIRS_MAX} values one DReLU over all pairs, then
     * ⌈log2(n − 1)⌉ levels of products (n ≥ 2); above, the tournament's {@link #rounds}.
     */
    public static int argmaxRounds(SessionParams session, int n) {
        if (n <= 1) return 0;
        if (n > ARGMAX_ALL_PAIRS_MAX) return rounds(session, n, Form.TOURNAMENT);
        return DReLU.rounds(session) + (n == 2 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 2));
    }

    /**
     * Bytes of {@link #argmax} (all parties): up to {@link #ARGMAX_ALL_PAIRS_MAX} values n(n − 1)/2 DReLUs and
     * n(n − 2) bit products per window, Z_67 values in the session's DReLU form and wire format; above, the
     * tournament's {@link #bytes}.
     */
    public static long argmaxBytes(SessionParams session, int count, int n) {
        if (n <= 1 || count == 0) return 0;
        if (n > ARGMAX_ALL_PAIRS_MAX) return bytes(session, count, n, Form.TOURNAMENT);
        long b = DReLU.bytes(session, Math.multiplyExact(count, n * (n - 1) / 2));
        for (int f = n - 1; f > 1; f = f / 2 + f % 2) b += MatMul.hadamardBytes(Math.multiplyExact(count * n, f / 2));
        return b;
    }

    /**
     * The 0-based index of each window's maximum (ties keep the earlier index, as {@link #run}); windows wider than
     * {@link #ARGMAX_ALL_PAIRS_MAX} take the tournament's index. Up to that size, in fewer rounds for the output
     * layer's argmax: all n(n − 1)/2 comparisons b_ij = DReLU(x_i − x_j) (i &lt; j) in one DReLU, then
     * x_i is the first maximum iff b_ij = 1 for every j &gt; i and b_ji = 0 for every j &lt; i: the product of those
     * n − 1 bits, in a tree of ⌈log2(n − 1)⌉ levels, is the one-hot vector, and the index is Σ i·onehot_i.
     * For n = 10: 12 rounds instead of the tournament's 36, for 23 000 instead of 4 480 bytes per window.
     * Returns fresh shares of the indices (an empty array at P2): fresh without a refresh of their own, since each is
     * Σ i·onehot_i and onehot_1 comes out of a refreshed protocol.
     */
    public static long[] argmax(PartyContext ctx, long[] windows, int count, int n) {
        if (count < 0 || n < 1) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "argmax needs windows of at least one value");
        }
        long total = (long) count * n;
        Shares.requireCount(total, "argmax");
        Shares.requireLength(ctx, windows, total, "argmax");
        boolean holder = !ctx.isHelper();
        if (count == 0 || n == 1) return holder ? new long[count] : Shares.none();
        if (n > ARGMAX_ALL_PAIRS_MAX) {
            // the tournament's index: the same first maximum, refreshed (MaxPoolViewTest covers its views)
            try (var _ = ctx.meter("Argmax")) {
                return run(ctx, windows, count, n, Form.TOURNAMENT).index();
            }
        }
        try (var _ = ctx.meter("Argmax")) {
            int pairs = n * (n - 1) / 2, k = Math.multiplyExact(count, pairs);
            long[] diff = null;
            if (holder) {
                diff = new long[k];
                for (int w = 0, o = 0; w < count; w++)
                    for (int i = 0; i < n; i++)
                        for (int j = i + 1; j < n; j++, o++) diff[o] = windows[w * n + i] - windows[w * n + j];
            }
            long[] bits = DReLU.run(ctx, diff, k);
            // factors of candidate i of window w, at (w·n + i)·(n − 1) + t: b_ij for j > i, 1 − b_ji for j < i
            int f = n - 1, groups = count * n;
            long[] factors = null;
            if (holder) {
                factors = new long[groups * f];
                long one = ctx.id() == PartyContext.P0 ? 1 : 0;
                for (int w = 0; w < count; w++)
                    for (int i = 0; i < n; i++) {
                        int at = (w * n + i) * f, t = 0;
                        for (int j = 0; j < n; j++) {
                            if (j == i) continue;
                            factors[at + t++] = j > i ? bits[w * pairs + pairIndex(n, i, j)]
                                    : one - bits[w * pairs + pairIndex(n, j, i)];
                        }
                    }
            }
            // the AND tree: pair up each group's factors level by level (an odd one passes on)
            while (f > 1) {
                int half = f / 2, next = half + f % 2, len = groups * half;
                long[] x = null, y = null;
                if (holder) {
                    x = new long[len];
                    y = new long[len];
                    for (int g = 0; g < groups; g++)
                        for (int t = 0; t < half; t++) {
                            x[g * half + t] = factors[g * f + 2 * t];
                            y[g * half + t] = factors[g * f + 2 * t + 1];
                        }
                }
                long[] prod = MatMul.hadamard(ctx, x, y, len);
                if (holder) {
                    long[] nf = new long[groups * next];
                    for (int g = 0; g < groups; g++) {
                        System.arraycopy(prod, g * half, nf, g * next, half);
                        if (f % 2 == 1) nf[g * next + half] = factors[g * f + f - 1];
                    }
                    factors = nf;
                }
                f = next;
            }
            if (!holder) return Shares.none();
            // no refresh of its own: onehot_1, with coefficient 1, is the output of a refreshed protocol (MatMul's
            // product for n ≥ 3, DReLU's bit for n = 2) whose zero-share appears nowhere else, so every index share
            // is already fresh (docs/PROTOCOLS.md, "Refreshes and masks")
            long[] index = new long[count];
            for (int w = 0; w < count; w++) {
                long s = 0;
                for (int i = 1; i < n; i++) s += i * factors[w * n + i];
                index[w] = s;
            }
            return index;
        }
    }

    /** Position of the pair (i, j), i &lt; j, in the row-major list of pairs of n values. */
    private static int pairIndex(int n, int i, int j) {
        return i * (2 * n - i - 1) / 2 + (j - i - 1);
    }

    private static Result sequential(PartyContext ctx, long[] win, int count, int n) {
        boolean holder = !ctx.isHelper();
        long[] max = holder ? column(win, count, n, 0) : null;
        long[] ind = holder ? new long[count] : null;
        for (int i = 1; i < n; i++) {
            long[] xi = holder ? column(win, count, n, i) : null;
            long[] diff = holder ? sub(max, xi) : null;
            long[] dInd = null;
            if (i > 1 && holder) {
                dInd = ind.clone();
                Sharing.addPublic(ctx, dInd, -i);
            }
            Step s = compare(ctx, diff, dInd, count, i == 1);
            if (!holder) continue;
            for (int w = 0; w < count; w++) max[w] = s.value[w] + xi[w];
            ind = s.index;
            Sharing.addPublic(ctx, ind, i);
        }
        return new Result(max, ind);
    }

    /**
     * Pairwise maxima level by level. The first level's indices are public (candidate j of a window has index j:
     * P0 holds it, P1 holds 0), so they are not materialised; each level keeps only its values, indices and the
     * differences its comparisons need.
     */
    private static Result tournament(PartyContext ctx, long[] win, int count, int n) {
        boolean holder = !ctx.isHelper();
        long p0 = ctx.id() == PartyContext.P0 ? 1 : 0;
        long[] vals = holder ? win : null;
        long[] idx = null;   // null: the public indices of the first level
        int m = n;
        boolean first = true;
        while (m > 1) {
            int pairs = m / 2, next = pairs + m % 2, k = count * pairs;
            long[] diff = null, dInd = null;
            if (holder) {
                diff = new long[k];
                if (!first) dInd = new long[k];
                for (int w = 0; w < count; w++)
                    for (int p = 0; p < pairs; p++) {
                        int at = w * m + 2 * p, o = w * pairs + p;
                        diff[o] = vals[at] - vals[at + 1];
                        if (!first) dInd[o] = idx[at] - idx[at + 1];
                    }
            }
            Step s = compare(ctx, diff, dInd, k, first);
            if (holder) {
                long[] nv = new long[count * next], ni = new long[count * next];
                for (int w = 0; w < count; w++) {
                    for (int p = 0; p < pairs; p++) {
                        int at = w * m + 2 * p, o = w * pairs + p;
                        nv[w * next + p] = vals[at + 1] + s.value[o];
                        ni[w * next + p] = (first ? p0 * (2 * p + 1) : idx[at + 1]) + s.index[o];
                    }
                    if (m % 2 == 1) {
                        nv[w * next + pairs] = vals[w * m + m - 1];
                        ni[w * next + pairs] = first ? p0 * (m - 1) : idx[w * m + m - 1];
                    }
                }
                vals = nv;
                idx = ni;
            }
            m = next;
            first = false;
        }
        if (!holder) return new Result(null, null);
        if (idx == null) idx = new long[count];   // windows of one value: index 0
        return new Result(vals == win ? vals.clone() : vals, idx);
    }

    /** β·diff and β·dInd for β = DReLU(diff); with a public index difference of −1, β·dInd = −β locally. */
    private record Step(long[] value, long[] index) {}

    private static Step compare(PartyContext ctx, long[] diff, long[] dInd, int k, boolean publicIndex) {
        if (publicIndex) {
            DReLU.WithTriples d = DReLU.run(ctx, diff, k, k);
            long[] u = Beaver.hadamards(ctx, new long[][] {d.bits()}, new long[][] {diff}, d.triples())[0];
            if (ctx.isHelper()) return new Step(null, null);
            long[] v = new long[k];
            for (int i = 0; i < k; i++) v[i] = -d.bits()[i];
            return new Step(u, v);
        }
        DReLU.WithTriples d = DReLU.run(ctx, diff, k, k, k);
        long[][] uv = Beaver.hadamards(ctx, new long[][] {d.bits(), d.bits()}, new long[][] {diff, dInd},
                d.triples());
        return new Step(uv[0], uv[1]);
    }

    private static long[] column(long[] win, int count, int n, int i) {
        long[] c = new long[count];
        for (int w = 0; w < count; w++) c[w] = win[w * n + i];
        return c;
    }

    private static long[] sub(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }
}
