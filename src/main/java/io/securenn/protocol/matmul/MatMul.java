package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.DealerTap;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.random.Prg;
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
 *
 * <p>Memory: X is streamed in blocks of rows, so no party holds anything of X's size besides X itself. Each
 * product's U comes from a stream seeded from the pair stream ({@link Prg#fromSeed}): P2 and the holder draw it
 * row by row, and the holder replays it when the other's E rows arrive. P0 and P1 send all their F first, then
 * their E rows as they form them, and consume the other's E rows as they arrive: with F known, a block of rows
 * of E gives its rows of W = X·F + E·Y + Z (P1: (X − E)·F + E·Y + Z). A transposed X ({@link Spec#transposedX})
 * is read in place, block by block.
 *
 * <p>Stationary weights (docs/PROTOCOLS.md, "Stationary weight masks"): a product whose Y carries a {@link WeightMask}
 * ({@link Spec#withStationaryY}) takes V from that mask, drawn once per session from the session's weight-mask
 * streams instead of the call's streams; F = Y − V travels only in the first product that uses the mask and is
 * cached by P0 and P1 (P2 keeps V), so every later product sends (2mn + mv)·8 bytes. U, E, ⟨Z⟩ and the refresh are
 * drawn from the call's streams as always (fresh per batch).
 */
public final class MatMul {
    private MatMul() {}

    /**
     * One product to compute: X (m×n) times Y (n×v), or the element-wise product when {@code elementwise}. With
     * {@code transposeX}, x holds X^T (n×m, row-major) and X is read from it. With a {@code yMask}, Y is a
     * stationary weight masked once per session by that mask (null: Y is masked by this call's own V).
     */
    public record Spec(long[] x, long[] y, int m, int n, int v, boolean elementwise, boolean transposeX, WeightMask yMask) {
        public Spec {
            if (yMask != null && (elementwise || yMask.length() != (long) n * v)) {
                throw new IllegalArgumentException("a weight mask of " + yMask.length() + " values for "
                        + (elementwise ? "an element-wise product" : "a " + n + "x" + v + " operand"));
            }
        }

        public static Spec matrix(long[] x, long[] y, int m, int n, int v) {
            return new Spec(x, y, m, n, v, false, false, null);
        }

        /** X·Y where x holds X^T (n×m): no transposed copy of X is made. */
        public static Spec transposedX(long[] x, long[] y, int m, int n, int v) {
            return new Spec(x, y, m, n, v, false, true, null);
        }

        public static Spec hadamard(long[] x, long[] y, int len) {
            return new Spec(x, y, len, 1, 1, true, false, null);
        }

        /** This product with Y a stationary weight, masked once per session by {@code mask} (null: per call). */
        public Spec withStationaryY(WeightMask mask) {
            return new Spec(x, y, m, n, v, elementwise, transposeX, mask);
        }

        int xLen() { return elementwise ? m : m * n; }
        int yLen() { return elementwise ? m : n * v; }
        int zLen() { return elementwise ? m : m * v; }

        /** Values of X per row (element-wise products: one row per element). */
        int rowLen() { return elementwise ? 1 : n; }

        /** Values of W per row. */
        int outRowLen() { return elementwise ? 1 : v; }

        /** Rows of X per block: about chunkElements values (the session's chunk size). */
        int blockRows(int chunkElements) { return Math.max(1, chunkElements / Math.max(1, rowLen())); }

        /** Copies rows [r0, r1) of X into dst (row-major). */
        void xRows(long[] src, int r0, int r1, long[] dst) {
            int len = rowLen();
            if (!transposeX) {
                System.arraycopy(src, r0 * len, dst, 0, (r1 - r0) * len);
                return;
            }
            for (int c = 0; c < n; c++) {
                int from = c * m;
                for (int r = r0; r < r1; r++) dst[(r - r0) * n + c] = src[from + r];
            }
        }

        /** W rows [r0, r1) += a (the block's r1 − r0 rows of an m×n operand) · b (n×v, or element-wise from row r0). */
        void blockProductAdd(long[] a, long[] b, long[] w, int r0, int r1, long[] scratch) {
            int rows = r1 - r0;
            if (elementwise) {
                for (int i = 0; i < rows; i++) w[r0 + i] += a[i] * b[r0 + i];
                return;
            }
            int out = rows * v;
            long[] c = scratch.length == out ? scratch : new long[out];
            System.arraycopy(w, r0 * v, c, 0, out);
            long[] ab = a.length == rows * n ? a : java.util.Arrays.copyOf(a, rows * n);
            MatrixOps.multiplyAdd(ab, b, c, rows, n, v);
            System.arraycopy(c, 0, w, r0 * v, out);
        }
    }

    /** Bytes all parties send together for one product (the formula the tests check exactly). */
    public static long bytes(int m, int n, int v) {
        return (2L * m * n + 2L * n * v + (long) m * v) * 8;
    }

    /**
     * Bytes all parties send together for one product whose Y is a stationary weight (docs/PROTOCOLS.md, "Stationary
     * weight masks"): (2mn + 2nv + mv)·8 in the product that opens F ({@code opensF}), (2mn + mv)·8 in every later
     * one. P0 and P1 send (mn [+ nv])·8 each, P2 mv·8 ({@link #partyBytes}).
     */
    public static long bytes(int m, int n, int v, boolean opensF) {
        return (2L * m * n + (opensF ? 2L * n * v : 0) + (long) m * v) * 8;
    }

    /** Bytes one party sends for one product: P0 and P1 their E (mn) and, where F travels, their F (nv); P2 ⟨Z⟩1 (mv). */
    public static long partyBytes(int party, int m, int n, int v, boolean sendsF) {
        if (party == PartyContext.P2) return (long) m * v * 8;
        return ((long) m * n + (sendsF ? (long) n * v : 0)) * 8;
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
     * Several independent products in one exchange: one message from P2 to P1 and one F and one E message each
     * way (sent together). Returns the products' shares in order (empty arrays at P2).
     */
    public static long[][] run(PartyContext ctx, List<Spec> specs) {
        try (var s = ctx.meter("MatMul")) {
            return ctx.isHelper() ? deal(ctx, specs) : compute(ctx, specs);
        }
    }

    /**
     * P2: per product, from P0's stream the seed of ⟨U⟩0, ⟨V⟩0 and ⟨Z⟩0, from P1's the seed of ⟨U⟩1 and ⟨V⟩1;
     * Z = UV a block of rows at a time (U is never whole), and ⟨Z⟩1 = Z − ⟨Z⟩0 in Z's place; all ⟨Z⟩1 go to P1
     * in one message. A stationary Y's V is its mask's (kept from the first product on), not drawn from the streams.
     */
    private static long[][] deal(PartyContext ctx, List<Spec> specs) {
        long[][] z1 = new long[specs.size()][];
        Prg p0 = ctx.pair(0), p1 = ctx.pair(1);
        long[] piece = new long[ctx.params().chunkElements()];
        DealerTap.Listener tap = DealerTap.of(ctx);
        for (int k = 0; k < specs.size(); k++) {
            Spec sp = specs.get(k);
            WeightMask mask = sp.yMask();
            Prg u0 = Prg.fromSeed(p0.bytes(Prg.SEED_BYTES));
            long[] v = mask == null ? p0.longs(sp.yLen()) : null;
            long[] z = new long[sp.zLen()];
            addDraws(p0, z, piece, -1);                       // −⟨Z⟩0
            Prg u1 = Prg.fromSeed(p1.bytes(Prg.SEED_BYTES));
            if (mask == null) {
                addDraws(p1, v, piece, 1);                    // V = ⟨V⟩0 + ⟨V⟩1
            } else {
                v = mask.helperV(ctx);                        // the session's V of this weight (read only)
            }
            long[] uAll = tap == null ? null : new long[sp.xLen()], z0 = null;
            if (tap != null) {
                z0 = new long[z.length];
                for (int i = 0; i < z.length; i++) z0[i] = -z[i];
            }
            int len = sp.rowLen(), rows = sp.blockRows(ctx.params().chunkElements());
            long[] u = new long[rows * len], t = new long[rows * len], scratch = new long[rows * sp.outRowLen()];
            for (int r0 = 0; r0 < sp.m(); r0 += rows) {
                int r1 = Math.min(sp.m(), r0 + rows), c = (r1 - r0) * len;
                u0.fill(u, 0, c);
                u1.fill(t, 0, c);
                for (int i = 0; i < c; i++) u[i] += t[i];
                if (uAll != null) System.arraycopy(u, 0, uAll, r0 * len, c);
                sp.blockProductAdd(u, v, z, r0, r1, scratch);   // Z − ⟨Z⟩0 += U·V, a block of rows at a time
            }
            if (tap != null) tap.product(sp.m(), sp.n(), sp.v(), sp.elementwise(), uAll, v.clone(), z0, z.clone());
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

    /** P0/P1's side of one product during the exchange. */
    private static final class Holder {
        final Spec sp;
        final byte[] uSeed;
        final long[] f;       // ⟨F⟩ = ⟨Y⟩ − ⟨V⟩, then F once opened
        final int blockRows;  // rows of X per block
        long[] w;             // ⟨Z⟩, then the product's share
        Holder(Spec sp, byte[] uSeed, long[] f, int blockRows) {
            this.sp = sp;
            this.uSeed = uSeed;
            this.f = f;
            this.blockRows = blockRows;
        }
    }

    /**
     * P0/P1: per product the seed of ⟨U⟩, ⟨V⟩ (becoming ⟨F⟩ = ⟨Y⟩ − ⟨V⟩ in place) and, at P0, ⟨Z⟩0. Sends every ⟨F⟩,
     * then every ⟨E⟩ = ⟨X⟩ − ⟨U⟩ as its blocks of rows are formed; opens F; then, block by block as the other's E
     * rows arrive, replays ⟨U⟩ to open E and adds those rows' X·F + E·Y (P1: (X − E)·F + E·Y) to ⟨Z⟩. A stationary
     * Y whose F is opened already sends no F (its cached F is used; no F message at all when no product sends
     * one); one not yet opened draws ⟨V⟩ from its mask's stream, sends its ⟨F⟩ with the others and keeps F.
     */
    private static long[][] compute(PartyContext ctx, List<Spec> specs) {
        int me = ctx.id(), other = ctx.other();
        Prg p2 = ctx.pair(2);
        Holder[] hs = new Holder[specs.size()];
        List<long[]> sent = new java.util.ArrayList<>(specs.size());
        java.util.Map<WeightMask, long[]> opening = new java.util.IdentityHashMap<>();
        long eTotal = 0;
        for (int k = 0; k < specs.size(); k++) {
            Spec sp = specs.get(k);
            if (sp.x().length != sp.xLen() || sp.y().length != sp.yLen()) {
                throw new IllegalArgumentException("operand sizes do not match the product's shape");
            }
            byte[] seed = p2.bytes(Prg.SEED_BYTES);
            WeightMask mask = sp.yMask();
            long[] f;
            if (mask != null && mask.opened()) {
                f = mask.f();                                  // F opened by an earlier product: nothing travels
            } else if (mask != null && opening.containsKey(mask)) {
                f = opening.get(mask);                         // the same weight twice in this call: opened once
            } else {
                f = mask == null ? p2.longs(sp.yLen()) : mask.holderShare(ctx);
                long[] y = sp.y();
                for (int i = 0; i < f.length; i++) f[i] = y[i] - f[i];
                sent.add(f);
                if (mask != null) opening.put(mask, f);
            }
            hs[k] = new Holder(sp, seed, f, sp.blockRows(ctx.params().chunkElements()));
            if (me == 0) hs[k].w = p2.longs(sp.zLen());
            eTotal += sp.xLen();
        }
        long[][] fs = sent.toArray(new long[0][]);
        if (fs.length > 0) ctx.sendLongs(other, fs);
        ctx.sendLongs(other, eTotal, new MaskedRows(hs));
        if (fs.length > 0) ctx.receiveLongsAdding(other, fs);
        for (var e : opening.entrySet()) e.getKey().open(e.getValue());
        if (me == 1) {
            long[][] z1 = new long[specs.size()][];
            for (int k = 0; k < specs.size(); k++) z1[k] = hs[k].w = new long[specs.get(k).zLen()];
            ctx.receiveLongsInto(PartyContext.P2, z1);
        }
        ctx.receiveLongs(other, eTotal, new OpenRows(hs, me == 1));
        long[][] out = new long[specs.size()][];
        for (int k = 0; k < specs.size(); k++) {
            Sharing.refresh(ctx, hs[k].w);
            out[k] = hs[k].w;
        }
        return out;
    }

    /** Walks the products' X rows in blocks, in message order, with each product's ⟨U⟩ stream replayed. */
    private abstract static class RowBlocks {
        private final Holder[] hs;
        private int k = -1, r0, r1;
        private Prg u;
        protected Holder h;
        protected long[] xBlock, eBlock;
        private int at, len;   // position in the current block and its length (values)

        RowBlocks(Holder[] hs) {
            this.hs = hs;
        }

        /** Moves to the next block (of the next product with rows, if need be) and forms its ⟨E⟩ rows. */
        private void nextBlock() {
            while (k < 0 || r1 == h.sp.m()) {
                k++;
                h = hs[k];
                r0 = r1 = 0;
                u = Prg.fromSeed(h.uSeed);
                int cap = h.blockRows * h.sp.rowLen();
                xBlock = new long[cap];
                eBlock = new long[cap];
                if (h.sp.m() > 0) break;
            }
            r0 = r1;
            r1 = Math.min(h.sp.m(), r0 + h.blockRows);
            len = (r1 - r0) * h.sp.rowLen();
            at = 0;
            h.sp.xRows(h.sp.x(), r0, r1, xBlock);
            u.fill(eBlock, 0, len);
            for (int i = 0; i < len; i++) eBlock[i] = xBlock[i] - eBlock[i];
        }

        /** Moves count values between buf and the blocks, finishing each block as it fills. */
        protected void walk(long[] buf, int count) {
            int done = 0;
            while (done < count) {
                if (k < 0 || at == len) nextBlock();
                int c = Math.min(count - done, len - at);
                move(buf, done, at, c);
                at += c;
                done += c;
                if (at == len) blockDone(r0, r1);
            }
        }

        protected abstract void move(long[] buf, int bufAt, int blockAt, int count);

        protected void blockDone(int r0, int r1) {}
    }

    /** The source of this party's ⟨E⟩ message. */
    private static final class MaskedRows extends RowBlocks implements PartyContext.LongSource {
        MaskedRows(Holder[] hs) {
            super(hs);
        }

        @Override
        public void next(long[] buf, int count) {
            walk(buf, count);
        }

        @Override
        protected void move(long[] buf, int bufAt, int blockAt, int count) {
            System.arraycopy(eBlock, blockAt, buf, bufAt, count);
        }
    }

    /** The sink of the other's ⟨E⟩ message: opens E block by block and accumulates W. */
    private static final class OpenRows extends RowBlocks implements PartyContext.LongSink {
        private final boolean p1;
        private long[] scratch = new long[0];

        OpenRows(Holder[] hs, boolean p1) {
            super(hs);
            this.p1 = p1;
        }

        @Override
        public void accept(long[] buf, int count) {
            walk(buf, count);
        }

        @Override
        protected void move(long[] buf, int bufAt, int blockAt, int count) {
            for (int i = 0; i < count; i++) eBlock[blockAt + i] += buf[bufAt + i];
        }

        @Override
        protected void blockDone(int r0, int r1) {
            Spec sp = h.sp;
            int rows = r1 - r0, c = rows * sp.rowLen();
            if (scratch.length != rows * sp.outRowLen()) scratch = new long[rows * sp.outRowLen()];
            if (p1) for (int i = 0; i < c; i++) xBlock[i] -= eBlock[i];   // P1 subtracts E·F: (X − E)·F
            sp.blockProductAdd(xBlock, h.f, h.w, r0, r1, scratch);
            sp.blockProductAdd(eBlock, sp.y(), h.w, r0, r1, scratch);
        }
    }
}
