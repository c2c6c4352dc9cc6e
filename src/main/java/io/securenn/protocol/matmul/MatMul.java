package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.ring.FixedPoint;
import io.securenn.ring.Truncation;
import io.securenn.runtime.PartyContext;
import io.securenn.tensor.MatrixOps;

import java.util.List;

/**
 * Π_MatMul (spec §2.1): products of shared matrices with Beaver matrix triples dealt by P2. With the pair streams,
 * P2 derives ⟨U⟩0, ⟨V⟩0, ⟨Z⟩0 with P0's key and ⟨U⟩1, ⟨V⟩1 with P1's, and sends only ⟨Z⟩1 = UV − ⟨Z⟩0 to P1.
 * P0 and P1 exchange E = X − U and F = Y − V once. Several products can share that exchange ({@link #run}).
 *
 * <p>Cost per product: (2mn + 2nv + mv)·8 bytes (P0 and P1 send (mn + nv)·8 each, P2 sends mv·8).
 * Rounds: 1 message depth, because ⟨Z⟩1 travels concurrently with the E/F exchange (the paper counts it as 2).
 * Outputs are fresh: a P0–P1 zero-share is added (correction 3).
 */
public final class MatMul {
    private MatMul() {}

    /** One product to compute: X (m×n) times Y (n×v), or the element-wise product when {@code elementwise}. */
    public record Spec(long[] x, long[] y, int m, int n, int v, boolean elementwise) {
        public static Spec matrix(long[] x, long[] y, int m, int n, int v) {
            return new Spec(x, y, m, n, v, false);
        }

        public static Spec hadamard(long[] x, long[] y, int len) {
            return new Spec(x, y, len, 1, 1, true);
        }

        int xLen() { return elementwise ? m : m * n; }
        int yLen() { return elementwise ? m : n * v; }
        int zLen() { return elementwise ? m : m * v; }

        long[] product(long[] a, long[] b) {
            return elementwise ? MatrixOps.hadamard(a, b) : MatrixOps.multiply(a, b, m, n, v);
        }
    }

    /** Bytes all parties send together for one product (the formula the tests check exactly). */
    public static long bytes(int m, int n, int v) {
        return (2L * m * n + 2L * n * v + (long) m * v) * 8;
    }

    public static long hadamardBytes(int len) {
        return 5L * len * 8;
    }

    /** Message depth of one call, however many products it carries (⟨Z⟩1 travels beside the E/F exchange). */
    public static int rounds() {
        return 1;
    }

    /** X·Y over the ring, no truncation (bits, integers). */
    public static long[] product(PartyContext ctx, long[] x, long[] y, int m, int n, int v) {
        return run(ctx, List.of(Spec.matrix(x, y, m, n, v)))[0];
    }

    /** X·Y of fixed-point matrices, truncated by 13 bits. */
    public static long[] productFixed(PartyContext ctx, long[] x, long[] y, int m, int n, int v) {
        long[] r = product(ctx, x, y, m, n, v);
        truncate(ctx, r, FixedPoint.FRAC_BITS);
        return r;
    }

    /** Element-wise product over the ring, no truncation. */
    public static long[] hadamard(PartyContext ctx, long[] x, long[] y, int len) {
        return run(ctx, List.of(Spec.hadamard(x, y, len)))[0];
    }

    /** Element-wise product of fixed-point vectors, truncated by 13 bits. */
    public static long[] hadamardFixed(PartyContext ctx, long[] x, long[] y, int len) {
        long[] r = hadamard(ctx, x, y, len);
        truncate(ctx, r, FixedPoint.FRAC_BITS);
        return r;
    }

    /** Local share truncation by d bits (no-op at P2). */
    public static void truncate(PartyContext ctx, long[] share, int d) {
        if (!ctx.isHelper()) Truncation.truncateInPlace(share, d, ctx.id());
    }

    /**
     * Several independent products in one exchange: one message from P2 to P1 and one E/F message each way.
     * Returns the products' shares in order (empty arrays at P2).
     */
    public static long[][] run(PartyContext ctx, List<Spec> specs) {
        try (var s = ctx.meter("MatMul")) {
            return ctx.isHelper() ? deal(ctx, specs) : compute(ctx, specs);
        }
    }

    private static long[][] deal(PartyContext ctx, List<Spec> specs) {
        int zTotal = 0;
        for (Spec sp : specs) zTotal += sp.zLen();
        long[] z1 = new long[zTotal];
        int off = 0;
        for (Spec sp : specs) {
            long[] u0 = ctx.pair(0).longs(sp.xLen());
            long[] v0 = ctx.pair(0).longs(sp.yLen());
            long[] z0 = ctx.pair(0).longs(sp.zLen());
            long[] u1 = ctx.pair(1).longs(sp.xLen());
            long[] v1 = ctx.pair(1).longs(sp.yLen());
            for (int i = 0; i < u0.length; i++) u0[i] += u1[i];
            for (int i = 0; i < v0.length; i++) v0[i] += v1[i];
            long[] z = sp.product(u0, v0);
            for (int i = 0; i < z.length; i++) z1[off + i] = z[i] - z0[i];
            off += z.length;
        }
        ctx.sendLongs(PartyContext.P1, z1);
        long[][] out = new long[specs.size()][];
        for (int i = 0; i < out.length; i++) out[i] = new long[0];
        return out;
    }

    private static long[][] compute(PartyContext ctx, List<Spec> specs) {
        int me = ctx.id();
        int efTotal = 0, zTotal = 0;
        for (Spec sp : specs) {
            if (sp.x().length != sp.xLen() || sp.y().length != sp.yLen()) {
                throw new IllegalArgumentException("operand sizes do not match the product's shape");
            }
            efTotal += sp.xLen() + sp.yLen();
            zTotal += sp.zLen();
        }
        long[] ef = new long[efTotal];
        long[][] zShares = new long[specs.size()][];
        int off = 0;
        for (int k = 0; k < specs.size(); k++) {
            Spec sp = specs.get(k);
            long[] u = ctx.pair(2).longs(sp.xLen());
            long[] v = ctx.pair(2).longs(sp.yLen());
            if (me == 0) zShares[k] = ctx.pair(2).longs(sp.zLen());
            for (int i = 0; i < u.length; i++) ef[off++] = sp.x()[i] - u[i];
            for (int i = 0; i < v.length; i++) ef[off++] = sp.y()[i] - v[i];
        }
        int other = ctx.other();
        ctx.sendLongs(other, ef);
        long[] theirs = ctx.receiveLongs(other, efTotal);
        for (int i = 0; i < efTotal; i++) ef[i] += theirs[i];
        if (me == 1) {
            long[] z1 = ctx.receiveLongs(PartyContext.P2, zTotal);
            int zo = 0;
            for (int k = 0; k < specs.size(); k++) {
                int len = specs.get(k).zLen();
                zShares[k] = java.util.Arrays.copyOfRange(z1, zo, zo + len);
                zo += len;
            }
        }
        long[][] out = new long[specs.size()][];
        off = 0;
        for (int k = 0; k < specs.size(); k++) {
            Spec sp = specs.get(k);
            long[] e = java.util.Arrays.copyOfRange(ef, off, off + sp.xLen());
            off += sp.xLen();
            long[] f = java.util.Arrays.copyOfRange(ef, off, off + sp.yLen());
            off += sp.yLen();
            // W_j = X_j·F + E·Y_j + Z_j, and P1 subtracts E·F: (X_1 − E)·F saves one product.
            long[] xj = sp.x();
            if (me == 1) {
                xj = xj.clone();
                for (int i = 0; i < xj.length; i++) xj[i] -= e[i];
            }
            long[] w = sp.product(xj, f);
            long[] ey = sp.product(e, sp.y());
            long[] z = zShares[k];
            for (int i = 0; i < w.length; i++) w[i] += ey[i] + z[i];
            Sharing.refresh(ctx, w);
            out[k] = w;
        }
        return out;
    }
}
