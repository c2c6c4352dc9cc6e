package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.random.Prg;
import io.securenn.ring.FixedPoint;
import io.securenn.ring.Truncation;
import io.securenn.runtime.Chunking;
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

        /** c += a·b (matrix or element-wise product). */
        void productAdd(long[] a, long[] b, long[] c) {
            if (elementwise) {
                for (int i = 0; i < c.length; i++) c[i] += a[i] * b[i];
            } else {
                MatrixOps.multiplyAdd(a, b, c, m, n, v);
            }
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

    /**
     * P2: per product, U = ⟨U⟩0 + ⟨U⟩1 and V likewise (⟨·⟩1 added in {@link Chunking#elements()}-sized pieces, the
     * same values as whole draws), Z = UV, and ⟨Z⟩1 = Z − ⟨Z⟩0 in Z's place; all ⟨Z⟩1 go to P1 in one message.
     */
    private static long[][] deal(PartyContext ctx, List<Spec> specs) {
        long[][] z1 = new long[specs.size()][];
        Prg p0 = ctx.pair(0), p1 = ctx.pair(1);
        long[] piece = new long[Chunking.elements()];
        for (int k = 0; k < specs.size(); k++) {
            Spec sp = specs.get(k);
            long[] u = p0.longs(sp.xLen());
            long[] v = p0.longs(sp.yLen());
            addDraws(p1, u, piece, 1);
            addDraws(p1, v, piece, 1);
            long[] z = sp.product(u, v);
            addDraws(p0, z, piece, -1);
            z1[k] = z;
        }
        ctx.sendLongs(PartyContext.P1, z1);
        long[][] out = new long[specs.size()][];
        for (int i = 0; i < out.length; i++) out[i] = new long[0];
        return out;
    }

    /** dst += sign · (dst.length values drawn from prg), drawn piece by piece through the buffer. */
    private static void addDraws(Prg prg, long[] dst, long[] piece, int sign) {
        for (int i0 = 0; i0 < dst.length; i0 += piece.length) {
            int c = Math.min(piece.length, dst.length - i0);
            prg.fill(piece, 0, c);
            if (sign > 0) {
                for (int i = 0; i < c; i++) dst[i0 + i] += piece[i];
            } else {
                for (int i = 0; i < c; i++) dst[i0 + i] -= piece[i];
            }
        }
    }

    /**
     * P0/P1: ⟨E⟩ = ⟨X⟩ − ⟨U⟩ and ⟨F⟩ = ⟨Y⟩ − ⟨V⟩ computed in the drawn U and V, sent and opened in place (the
     * other's halves are added as they arrive), then W = X·F + E·Y + Z accumulated into the Z share, P1 subtracting
     * E·F as E·(Y − F) with Y − F formed in F's place. Beyond the operands, a product needs its E, F and W only.
     */
    private static long[][] compute(PartyContext ctx, List<Spec> specs) {
        int me = ctx.id();
        int n = specs.size();
        long[][] ef = new long[2 * n][];
        long[][] w = new long[n][];
        Prg p2 = ctx.pair(2);
        for (int k = 0; k < n; k++) {
            Spec sp = specs.get(k);
            if (sp.x().length != sp.xLen() || sp.y().length != sp.yLen()) {
                throw new IllegalArgumentException("operand sizes do not match the product's shape");
            }
            long[] e = p2.longs(sp.xLen());
            long[] f = p2.longs(sp.yLen());
            if (me == 0) w[k] = p2.longs(sp.zLen());
            long[] x = sp.x(), y = sp.y();
            for (int i = 0; i < e.length; i++) e[i] = x[i] - e[i];
            for (int i = 0; i < f.length; i++) f[i] = y[i] - f[i];
            ef[2 * k] = e;
            ef[2 * k + 1] = f;
        }
        int other = ctx.other();
        ctx.sendLongs(other, ef);
        ctx.receiveLongsAdding(other, ef);
        if (me == 1) {
            for (int k = 0; k < n; k++) w[k] = new long[specs.get(k).zLen()];
            ctx.receiveLongsInto(PartyContext.P2, w);
        }
        for (int k = 0; k < n; k++) {
            Spec sp = specs.get(k);
            long[] e = ef[2 * k], f = ef[2 * k + 1];
            sp.productAdd(sp.x(), f, w[k]);
            if (me == 1) {
                long[] y = sp.y();
                for (int i = 0; i < f.length; i++) f[i] = y[i] - f[i];
                sp.productAdd(e, f, w[k]);
            } else {
                sp.productAdd(e, sp.y(), w[k]);
            }
            ef[2 * k] = ef[2 * k + 1] = null;
            Sharing.refresh(ctx, w[k]);
        }
        return w;
    }
}
