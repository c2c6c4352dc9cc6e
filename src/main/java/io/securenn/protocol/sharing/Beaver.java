package io.securenn.protocol.sharing;

import io.securenn.random.Prg;
import io.securenn.runtime.PartyContext;

/**
 * Element-wise Beaver products whose triples were dealt ahead of time, inside an earlier helper message, so the
 * product itself costs one P0↔P1 exchange and no message from P2 (the composite protocols send ⟨Z⟩1 together
 * with their other dealt values, which keeps the product from adding a round).
 *
 * <p>Dealing follows {@code matmul.MatMul}: ⟨U⟩0, ⟨V⟩0, ⟨Z⟩0 come from the P0–P2 stream, ⟨U⟩1, ⟨V⟩1 from the P1–P2
 * stream, and only ⟨Z⟩1 = UV − ⟨Z⟩0 travels (8 bytes per element). The online exchange sends E = X − U and
 * F = Y − V both ways (32 bytes per element). Outputs are NOT refreshed here: the calling protocol adds its
 * zero-share once, on its final output.
 */
public final class Beaver {
    private Beaver() {}

    /**
     * P0's or P1's share of a triple U ⊙ V = Z of length len: ⟨Z⟩ itself, and the stream (forked from the one this
     * holder shares with P2 when the triple was dealt) that yields ⟨U⟩ and ⟨V⟩ when the product needs them, so
     * they are not held in between. Used once, by {@link #hadamards}.
     */
    public static final class Triple {
        private final int len;
        private final Prg uv;
        private final long[] z;
        private final int chunk;   // elements per piece in which the dealer drew U and V
        private boolean used;

        Triple(int len, Prg uv, long[] z, int chunk) {
            if (z.length != len) throw new IllegalArgumentException("triple of " + len + " with " + z.length + " Z shares");
            this.len = len;
            this.uv = uv;
            this.z = z;
            this.chunk = chunk;
        }

        /** A triple of no elements (for products of empty vectors). */
        public static Triple empty() {
            return new Triple(0, null, new long[0], 1);
        }

        public int length() {
            return len;
        }

        /** ⟨E⟩ = x − ⟨U⟩ and ⟨F⟩ = y − ⟨V⟩, drawing U and V as the dealer did (piece by piece, U then V). */
        private long[][] maskedOperands(long[] x, long[] y) {
            if (used) throw new IllegalStateException("a Beaver triple used twice");
            used = true;
            long[] e = new long[len], f = new long[len];
            for (int i0 = 0; i0 < len; i0 += chunk) {
                int c = Math.min(chunk, len - i0);
                uv.fill(e, i0, c);
                uv.fill(f, i0, c);
                for (int i = i0; i < i0 + c; i++) {
                    e[i] = x[i] - e[i];
                    f[i] = y[i] - f[i];
                }
            }
            return new long[][] {e, f};
        }
    }

    /** Bytes the dealing adds to the helper message (⟨Z⟩1). */
    public static long dealBytes(int len) {
        return HelperMessage.ringBytes(len);
    }

    /** Bytes of the online exchange, both directions together. */
    public static long exchangeBytes(int len) {
        return 32L * len;
    }

    /**
     * Deals one triple of length len through msg (null at P2). U and V come from streams forked now from the pair
     * streams (P2's with P0, P2's with P1), drawn {@link io.securenn.runtime.SessionParams#chunkElements()} at a time, ⟨U⟩ then ⟨V⟩ per piece: P2
     * draws them here to compute Z, the holders only when they multiply.
     */
    public static Triple deal(PartyContext ctx, HelperMessage msg, int len) {
        if (ctx.isHelper()) {
            Prg p0 = ctx.pair(PartyContext.P0).fork(), p1 = ctx.pair(PartyContext.P1).fork();
            int chunk = ctx.params().chunkElements(), c0 = Math.min(len, chunk);
            long[] u0 = new long[c0], v0 = new long[c0], u1 = new long[c0], v1 = new long[c0];
            long[] z = new long[len];
            DealerTap.Listener tap = DealerTap.of(ctx);
            long[] uAll = tap == null ? null : new long[len], vAll = tap == null ? null : new long[len];
            for (int i0 = 0; i0 < len; i0 += chunk) {
                int c = Math.min(chunk, len - i0);
                p0.fill(u0, 0, c);
                p0.fill(v0, 0, c);
                p1.fill(u1, 0, c);
                p1.fill(v1, 0, c);
                for (int i = 0; i < c; i++) z[i0 + i] = (u0[i] + u1[i]) * (v0[i] + v1[i]);
                if (tap != null) {
                    for (int i = 0; i < c; i++) {
                        uAll[i0 + i] = u0[i] + u1[i];
                        vAll[i0 + i] = v0[i] + v1[i];
                    }
                }
            }
            if (tap != null) tap.triple(uAll, vAll);
            msg.ring(z, len);
            return null;
        }
        Prg uv = ctx.pair(PartyContext.P2).fork();
        return new Triple(len, uv, msg.ring(null, len), ctx.params().chunkElements());
    }

    /**
     * The products xs[k] ⊙ ys[k] with triples ts[k], in one exchange (one message each way between P0 and P1).
     * P2 takes no part and gets empty arrays. The triples are used up: each product accumulates in its triple's
     * ⟨Z⟩ (a triple must never be used twice anyway).
     */
    public static long[][] hadamards(PartyContext ctx, long[][] xs, long[][] ys, Triple[] ts) {
        int k = xs.length;
        long[][] out = new long[k][];
        if (ctx.isHelper()) {
            for (int i = 0; i < k; i++) out[i] = new long[0];
            return out;
        }
        long[][] ef = new long[2 * k][];
        for (int i = 0; i < k; i++) {
            long[] x = xs[i], y = ys[i];
            if (x.length != y.length || x.length != ts[i].length()) {
                throw new IllegalArgumentException("Beaver operands and triple differ in length");
            }
            long[][] m = ts[i].maskedOperands(x, y);
            ef[2 * i] = m[0];
            ef[2 * i + 1] = m[1];
        }
        int other = ctx.other();
        ctx.sendLongs(other, ef);
        ctx.receiveLongsAdding(other, ef);   // E and F, opened
        boolean p1 = ctx.id() == PartyContext.P1;
        for (int i = 0; i < k; i++) {
            long[] x = xs[i], y = ys[i], e = ef[2 * i], f = ef[2 * i + 1], w = ts[i].z;
            for (int j = 0; j < x.length; j++) {
                // W_j = X_j·F + E·Y_j + Z_j, and P1 subtracts E·F (spec §2.1 step 4): (X_1 − E)·F at P1
                long xj = p1 ? x[j] - e[j] : x[j];
                w[j] += xj * f[j] + e[j] * y[j];
            }
            out[i] = w;
        }
        return out;
    }
}
