package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.DealerTap;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.random.Prg;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.MatrixOps;

/**
 * Secure 2-D convolution (spec §2.2): the product im2col(X)·W of the (B·p·q)×(C·kh·kw) patch matrix and the
 * (C·kh·kw)×D weight matrix, im2col being linear.
 *
 * <p>Two forms, the same product (docs/PROTOCOLS.md, "Convolution"):
 * <ul>
 *   <li><b>masked input</b> (issue 15, as Porthos): when the input is smaller than its patch matrix (any kernel
 *       larger than 1×1 at stride 1, a 3×3 at stride 2), the Beaver mask U is dealt at the input's size: P0 and P1
 *       open E = X − U (B·C·H·W values) and F = W − V, P2 deals ⟨Z⟩ = im2col(U)·V, and each holder forms
 *       im2col(E) and im2col(⟨X⟩) locally, a tile of rows at a time, so that no patch matrix is ever held:
 *       ⟨out⟩ = im2col(⟨X⟩)·F + im2col(E)·⟨W⟩ + ⟨Z⟩ (P1: (im2col(⟨X⟩) − im2col(E))·F + …), refreshed.</li>
 *   <li><b>patches</b>: otherwise (a 1×1 kernel, or strides that skip input), Π_MatMul of the patch matrix, whose
 *       rows MatMul streams in blocks.</li>
 * </ul>
 * Cost: (2·min(B·C·H·W, rows·cols) + 2·cols·D + rows·D)·8 bytes, 1 round. With a stationary kernel ({@link
 * WeightMask}: docs/PROTOCOLS.md, "Stationary weight masks") V is the mask's, drawn once per session, F = W − V
 * travels only in the first convolution that uses it, and later ones send (2·min(…) + rows·D)·8 bytes; U, E and ⟨Z⟩
 * are fresh per call in either form.
 */
public final class Convolution {
    private Convolution() {}

    /** Whether the masked-input form is used: the input is smaller than its patch matrix. */
    public static boolean opensInput(ConvGeometry g) {
        return (long) g.inputSize() < (long) g.rows() * g.cols();
    }

    /** Bytes all parties send together for one convolution's product (the formula the tests check exactly). */
    public static long bytes(ConvGeometry g, int outChannels) {
        return bytes(g, outChannels, true);
    }

    /**
     * Bytes all parties send together for one convolution whose kernel is a stationary weight: F travels only when
     * {@code opensF} (the first convolution with the mask); {@code bytes(g, d, true)} is the per-call form's.
     */
    public static long bytes(ConvGeometry g, int outChannels, boolean opensF) {
        if (!opensInput(g)) return MatMul.bytes(g.rows(), g.cols(), outChannels, opensF);
        return (2L * g.inputSize() + (opensF ? 2L * g.cols() * outChannels : 0) + (long) g.rows() * outChannels) * 8;
    }

    /** Bytes one party sends for one convolution: P0 and P1 their E (and F where it travels), P2 ⟨Z⟩1. */
    public static long partyBytes(int party, ConvGeometry g, int outChannels, boolean sendsF) {
        if (!opensInput(g)) return MatMul.partyBytes(party, g.rows(), g.cols(), outChannels, sendsF);
        if (party == PartyContext.P2) return (long) g.rows() * outChannels * 8;
        return ((long) g.inputSize() + (sendsF ? (long) g.cols() * outChannels : 0)) * 8;
    }

    public static int rounds() {
        return MatMul.rounds();
    }

    /**
     * @param x      share of the NCHW input (ignored at P2)
     * @param wMat   share of the (C·f·f)×D weight matrix (ignored at P2)
     * @return share of the NCHW output (B, D, p, q), truncated by 13 bits; empty at P2
     */
    public static long[] forward(PartyContext ctx, long[] x, ConvGeometry g, long[] wMat, int outChannels) {
        return forward(ctx, x, g, wMat, outChannels, null);
    }

    /** As {@link #forward(PartyContext, long[], ConvGeometry, long[], int)}, the kernel masked by {@code wMask} (null: per call). */
    public static long[] forward(PartyContext ctx, long[] x, ConvGeometry g, long[] wMat, int outChannels, WeightMask wMask) {
        long[] r = product(ctx, x, g, wMat, outChannels, wMask);
        if (ctx.isHelper()) return r;
        MatMul.truncate(ctx, r, FixedPoint.FRAC_BITS);
        return ConvGeometry.rowsToNchw(r, g.batch(), g.outHeight(), g.outWidth(), outChannels);
    }

    /**
     * The ring product im2col(X)·W (rows (b, y, x) × D, no truncation), refreshed; empty at P2. Either form, as
     * {@link #opensInput} chooses.
     */
    public static long[] product(PartyContext ctx, long[] x, ConvGeometry g, long[] wMat, int outChannels) {
        return product(ctx, x, g, wMat, outChannels, null);
    }

    /**
     * As {@link #product(PartyContext, long[], ConvGeometry, long[], int)}, with the kernel a stationary weight masked
     * by {@code wMask} once per session (null: masked by this call's own V).
     */
    public static long[] product(PartyContext ctx, long[] x, ConvGeometry g, long[] wMat, int outChannels, WeightMask wMask) {
        if (wMask != null && wMask.length() != (long) g.cols() * outChannels) {
            throw new IllegalArgumentException("a weight mask of " + wMask.length() + " values for a kernel of "
                    + (long) g.cols() * outChannels);
        }
        if (!opensInput(g)) {
            long[] patches = ctx.isHelper() ? null : g.im2col(x);
            return MatMul.run(ctx, java.util.List.of(MatMul.Spec.matrix(patches, wMat, g.rows(), g.cols(), outChannels)
                    .withStationaryY(wMask)))[0];
        }
        try (var s = ctx.meter("Convolution")) {
            return ctx.isHelper() ? deal(ctx, g, outChannels, wMask) : compute(ctx, x, g, wMat, outChannels, wMask);
        }
    }

    /**
     * Rows of the patch matrix per tile: about 16 × the session's chunk ({@code SessionParams.chunkElements()}:
     * 2 MiB by default), enough rows for the matrix kernel to reuse each block of the weights (ResNet-50's last 3×3
     * layers: one tile of 49 rows), far below a large layer's patch matrix (its first: 14 MB per copy).
     */
    private static int tileRows(PartyContext ctx, ConvGeometry g) {
        return Math.max(1, 16 * ctx.params().chunkElements() / Math.max(1, g.cols()));
    }

    /**
     * P2, drawing as {@link MatMul} does: from P0's stream the seed of ⟨U⟩0, ⟨V⟩0 and ⟨Z⟩0, from P1's the seed
     * of ⟨U⟩1 and ⟨V⟩1; U (the input's size) whole, Z = im2col(U)·V a tile of rows at a time; ⟨Z⟩1 to P1. A
     * stationary kernel's V is its mask's (kept from the first convolution on), not drawn from the streams.
     */
    private static long[] deal(PartyContext ctx, ConvGeometry g, int d, WeightMask mask) {
        int in = g.inputSize(), n = g.cols(), m = g.rows();
        Prg p0 = ctx.pair(0), p1 = ctx.pair(1);
        Prg u0 = Prg.fromSeed(p0.bytes(Prg.SEED_BYTES));
        long[] v = mask == null ? p0.longs(n * d) : null;
        long[] z = p0.longs(m * d);
        for (int i = 0; i < z.length; i++) z[i] = -z[i];                // −⟨Z⟩0
        Prg u1 = Prg.fromSeed(p1.bytes(Prg.SEED_BYTES));
        if (mask == null) {
            long[] v1 = p1.longs(n * d);
            for (int i = 0; i < v.length; i++) v[i] += v1[i];          // V = ⟨V⟩0 + ⟨V⟩1
        } else {
            v = mask.helperV(ctx);                                     // the session's V of this kernel (read only)
        }
        long[] u = u0.longs(in), t = u1.longs(in);
        for (int i = 0; i < in; i++) u[i] += t[i];                     // U = ⟨U⟩0 + ⟨U⟩1, the input's size
        DealerTap.Listener tap = DealerTap.of(ctx);
        long[] z0 = null;
        if (tap != null) {
            z0 = new long[z.length];
            for (int i = 0; i < z.length; i++) z0[i] = -z[i];
        }
        int rows = tileRows(ctx, g);
        long[] tile = new long[rows * n], out = new long[rows * d];
        for (int r0 = 0; r0 < m; r0 += rows) {
            int r1 = Math.min(m, r0 + rows);
            productAdd(g.im2colRows(u, r0, r1, tile), v, z, r0, r1, n, d, out);   // Z − ⟨Z⟩0 += im2col(U)·V
        }
        if (tap != null) tap.product(m, n, d, false, g.im2col(u), v.clone(), z0, z.clone());
        ctx.sendLongs(PartyContext.P1, new long[][] {z});
        return new long[0];
    }

    /**
     * P0/P1: ⟨F⟩ = ⟨W⟩ − ⟨V⟩ and ⟨E⟩ = ⟨X⟩ − ⟨U⟩ (the input's size) to the other (F first, as MatMul); open both;
     * then a tile of patch rows at a time, ⟨out⟩ += im2col(⟨X⟩)·F + im2col(E)·⟨W⟩ (P1: im2col(⟨X⟩) − im2col(E)
     * in the first product); add ⟨Z⟩ and a fresh zero-share. A stationary kernel whose F is opened already sends
     * no F and uses the cached one; one not yet opened draws ⟨V⟩ from its mask's stream and keeps F once opened.
     */
    private static long[] compute(PartyContext ctx, long[] x, ConvGeometry g, long[] w, int d, WeightMask mask) {
        int in = g.inputSize(), n = g.cols(), m = g.rows(), me = ctx.id(), other = ctx.other();
        if (x.length != in || w.length != n * d) throw new IllegalArgumentException("operand sizes do not match the convolution");
        Prg p2 = ctx.pair(2);
        Prg u = Prg.fromSeed(p2.bytes(Prg.SEED_BYTES));
        boolean sendF = mask == null || !mask.opened();
        long[] f;
        if (sendF) {
            f = mask == null ? p2.longs(n * d) : mask.holderShare(ctx);
            for (int i = 0; i < f.length; i++) f[i] = w[i] - f[i];
        } else {
            f = mask.f();                                              // opened by an earlier convolution
        }
        long[] out = me == 0 ? p2.longs(m * d) : new long[m * d];
        long[] e = u.longs(in);
        for (int i = 0; i < in; i++) e[i] = x[i] - e[i];
        long[][] fs = {f}, es = {e};
        if (sendF) ctx.sendLongs(other, fs);
        ctx.sendLongs(other, es);
        if (sendF) {
            ctx.receiveLongsAdding(other, fs);                         // F, opened
            if (mask != null) mask.open(f);
        }
        if (me == 1) ctx.receiveLongsInto(PartyContext.P2, new long[][] {out});   // ⟨Z⟩1
        ctx.receiveLongsAdding(other, es);                             // E, opened
        int rows = tileRows(ctx, g);
        long[] xt = new long[rows * n], et = new long[rows * n], scratch = new long[rows * d];
        for (int r0 = 0; r0 < m; r0 += rows) {
            int r1 = Math.min(m, r0 + rows);
            g.im2colRows(x, r0, r1, xt);
            g.im2colRows(e, r0, r1, et);
            if (me == 1) for (int i = 0; i < (r1 - r0) * n; i++) xt[i] -= et[i];   // P1 subtracts E·F
            productAdd(xt, f, out, r0, r1, n, d, scratch);
            productAdd(et, w, out, r0, r1, n, d, scratch);
        }
        Sharing.refresh(ctx, out);
        return out;
    }

    /** out rows [r0, r1) += a (those r1 − r0 rows, n wide) · b (n×d). */
    private static void productAdd(long[] a, long[] b, long[] out, int r0, int r1, int n, int d, long[] scratch) {
        int rows = r1 - r0, len = rows * d;
        long[] c = scratch.length == len ? scratch : new long[len];
        System.arraycopy(out, r0 * d, c, 0, len);
        long[] ab = a.length == rows * n ? a : java.util.Arrays.copyOf(a, rows * n);
        MatrixOps.multiplyAdd(ab, b, c, rows, n, d);
        System.arraycopy(c, 0, out, r0 * d, len);
    }
}
