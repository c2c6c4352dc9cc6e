package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.runtime.PartyContext;

/**
 * Element-wise Beaver products whose triples were dealt ahead of time, inside an earlier helper message, so the
 * product itself costs one P0↔P1 exchange and no message from P2 (the composite protocols send ⟨Z⟩1 together
 * with their other dealt values, which keeps the product from adding a round).
 *
 * <p>Dealing follows {@link MatMul}: ⟨U⟩0, ⟨V⟩0, ⟨Z⟩0 come from the P0–P2 stream, ⟨U⟩1, ⟨V⟩1 from the P1–P2
 * stream, and only ⟨Z⟩1 = UV − ⟨Z⟩0 travels (8 bytes per element). The online exchange sends E = X − U and
 * F = Y − V both ways (32 bytes per element). Outputs are NOT refreshed here: the calling protocol adds its
 * zero-share once, on its final output.
 */
public final class Beaver {
    private Beaver() {}

    /** P0's or P1's share of a triple U ⊙ V = Z of length u.length. */
    public record Triple(long[] u, long[] v, long[] z) {}

    /** Bytes the dealing adds to the helper message (⟨Z⟩1). */
    public static long dealBytes(int len) {
        return HelperMessage.ringBytes(len);
    }

    /** Bytes of the online exchange, both directions together. */
    public static long exchangeBytes(int len) {
        return 32L * len;
    }

    /** Deals one triple of length len through msg (null at P2). */
    public static Triple deal(PartyContext ctx, HelperMessage msg, int len) {
        if (ctx.isHelper()) {
            long[] u0 = ctx.pair(PartyContext.P0).longs(len);
            long[] v0 = ctx.pair(PartyContext.P0).longs(len);
            long[] u1 = ctx.pair(PartyContext.P1).longs(len);
            long[] v1 = ctx.pair(PartyContext.P1).longs(len);
            long[] z = new long[len];
            for (int i = 0; i < len; i++) z[i] = (u0[i] + u1[i]) * (v0[i] + v1[i]);
            msg.ring(z, len);
            return null;
        }
        long[] u = ctx.pair(PartyContext.P2).longs(len);
        long[] v = ctx.pair(PartyContext.P2).longs(len);
        return new Triple(u, v, msg.ring(null, len));
    }

    /**
     * The products xs[k] ⊙ ys[k] with triples ts[k], in one exchange (one message each way between P0 and P1).
     * P2 takes no part and gets empty arrays.
     */
    public static long[][] hadamards(PartyContext ctx, long[][] xs, long[][] ys, Triple[] ts) {
        int k = xs.length;
        long[][] out = new long[k][];
        if (ctx.isHelper()) {
            for (int i = 0; i < k; i++) out[i] = new long[0];
            return out;
        }
        int total = 0;
        for (int i = 0; i < k; i++) {
            if (xs[i].length != ys[i].length || xs[i].length != ts[i].u().length) {
                throw new IllegalArgumentException("Beaver operands and triple differ in length");
            }
            total += 2 * xs[i].length;
        }
        long[] ef = new long[total];
        int off = 0;
        for (int i = 0; i < k; i++) {
            long[] x = xs[i], y = ys[i], u = ts[i].u(), v = ts[i].v();
            int n = x.length;
            for (int j = 0; j < n; j++) ef[off + j] = x[j] - u[j];
            for (int j = 0; j < n; j++) ef[off + n + j] = y[j] - v[j];
            off += 2 * n;
        }
        int other = ctx.other();
        ctx.sendLongs(other, ef);
        long[] theirs = ctx.receiveLongs(other, total);
        boolean p1 = ctx.id() == PartyContext.P1;
        off = 0;
        for (int i = 0; i < k; i++) {
            long[] x = xs[i], y = ys[i], z = ts[i].z();
            int n = x.length;
            long[] w = new long[n];
            for (int j = 0; j < n; j++) {
                long e = ef[off + j] + theirs[off + j];
                long f = ef[off + n + j] + theirs[off + n + j];
                // W_j = X_j·F + E·Y_j + Z_j, and P1 subtracts E·F (spec §2.1 step 4): (X_1 − E)·F at P1
                long xj = p1 ? x[j] - e : x[j];
                w[j] = xj * f + e * y[j] + z[j];
            }
            out[i] = w;
            off += 2 * n;
        }
        return out;
    }
}
