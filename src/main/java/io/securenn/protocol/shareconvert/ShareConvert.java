package io.securenn.protocol.shareconvert;

import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Shares;
import io.securenn.random.Prg;
import io.securenn.ring.OddRing;
import io.securenn.ring.Ring64;
import io.securenn.runtime.PartyContext;

import java.util.function.IntFunction;

/**
 * Π_SC (spec §2.5, ePrint/proof form; corrections 6, 7): Z_L shares of a ≠ 2^64 − 1 to Z_{L−1} shares of a.
 *
 * <ol>
 *   <li>P0, P1 draw ⟨r⟩0, ⟨r⟩1 from their stream, redrawing while ⟨r⟩0 + ⟨r⟩1 = 0 (correction 6), α = wrap(⟨r⟩0,
 *       ⟨r⟩1) and a bit η″; P_j sends ã_j = ⟨a⟩_j + ⟨r⟩_j to P2 and keeps β_j = wrap(⟨a⟩_j, ⟨r⟩_j).</li>
 *   <li>P2: x = ã0 + ã1, δ = wrap(ã0, ã1); deals Z_67 shares of x's bits and Z_{L−1} shares of δ.</li>
 *   <li>Π_PC(x, r − 1, η″): P2 learns η′ = η″ ⊕ (x > r − 1) and deals Z_{L−1} shares of it.</li>
 *   <li>P_j, over Z_{L−1}: η_j = η′_j ⊕ η″ (P0 adds the public part), θ_j = β_j + δ_j + η_j, P0 subtracts α + 1,
 *       and ⟨y⟩_j = ⟨a⟩_j − θ_j. θ = β0 + β1 − α + δ + η − 1 is the wrap of the input shares, and L ≡ 1 mod L − 1.</li>
 * </ol>
 * Cost: 4 rounds; 16n (ã) + bit shares + 8n (δ) + Π_PC + 8n (η′) bytes. P2's deals reach only P1 (P0's
 * shares come from the P0–P2 stream). The standalone {@link #run} refreshes its output with a Z_{L−1} zero-share.
 */
public final class ShareConvert {
    private ShareConvert() {}

    /** Bytes all parties send together for n conversions. */
    public static long bytes(int n) {
        return 16L * n + dealBytes(n) + PrivateCompare.bytes(n) + PrivateCompare.shareOutputBytes(n);
    }

    public static int rounds() {
        return 4;
    }

    /** Bytes P2's first message carries (bit shares and δ shares). */
    public static long dealBytes(int n) {
        return HelperMessage.bitsBytes(n) + HelperMessage.ringBytes(n);
    }

    /** Converts Z_L shares of a (a ≠ 2^64 − 1) into fresh, canonical Z_{L−1} shares of a. */
    public static long[] run(PartyContext ctx, long[] a, int n) {
        Shares.requireCount(n, "ShareConvert");
        Shares.requireLength(ctx, a, n, "ShareConvert");
        if (n == 0) return Shares.none();
        try (var _ = ctx.meter("ShareConvert")) {
            Pending p = start(ctx, a, n);
            HelperMessage msg = HelperMessage.open(ctx, dealBytes(n));
            p.deal(msg);
            msg.deliver();
            long[] y = p.finish();
            Shares.refreshOdd(ctx, y);
            return y;
        }
    }

    /** Step 1 (P0/P1 send the masked shares; P2 receives them). Composite protocols then call deal and finish. */
    public static Pending start(PartyContext ctx, long[] a, int n) {
        Pending p = new Pending(ctx, n);
        if (ctx.isHelper()) {
            long[] t0 = ctx.receiveLongs(PartyContext.P0, n);
            long[] t1 = ctx.receiveLongs(PartyContext.P1, n);
            p.x = new long[n];
            p.delta = new long[n];
            for (int i = 0; i < n; i++) {
                p.x[i] = t0[i] + t1[i];
                p.delta[i] = Ring64.wrap(t0[i], t1[i]);
            }
            return p;
        }
        Prg common = ctx.common();
        long[][] r = maskShares(common::longs, n);
        p.eta2 = common.bits(n);
        p.a = a;
        long[] mine = r[ctx.id()];
        p.rMinus1 = new long[n];
        p.alpha = new long[n];
        p.betaMine = new long[n];
        long[] masked = new long[n];
        for (int i = 0; i < n; i++) {
            p.rMinus1[i] = r[0][i] + r[1][i] - 1;
            p.alpha[i] = Ring64.wrap(r[0][i], r[1][i]);
            p.betaMine[i] = Ring64.wrap(a[i], mine[i]);
            masked[i] = a[i] + mine[i];
        }
        ctx.sendLongs(PartyContext.P2, masked);
        return p;
    }

    /**
     * Draws the shares of the mask r from the P0–P1 stream, redrawing an element's pair while its sum is 0 mod 2^64
     * (correction 6: with r = 0 the comparison with r − 1 is wrong). Both holders see the same values and redraw
     * identically, so their streams stay in step. Returns {⟨r⟩0, ⟨r⟩1}.
     */
    static long[][] maskShares(IntFunction<long[]> draw, int n) {
        long[] r0 = draw.apply(n), r1 = draw.apply(n);
        for (int i = 0; i < n; i++) {
            while (r0[i] + r1[i] == 0) {
                long[] again = draw.apply(2);
                r0[i] = again[0];
                r1[i] = again[1];
            }
        }
        return new long[][] {r0, r1};
    }

    /** The state of one conversion between its steps. */
    public static final class Pending {
        private final PartyContext ctx;
        private final int n;
        // P0/P1
        private long[] a, rMinus1, alpha, betaMine, eta2, deltaShare;
        private byte[] bits;
        // P2
        private long[] x, delta;

        private Pending(PartyContext ctx, int n) {
            this.ctx = ctx;
            this.n = n;
        }

        /** Step 2: P2's bit shares of x and Z_{L−1} shares of δ, as items of msg. */
        public void deal(HelperMessage msg) {
            bits = msg.bitsZ67(x, n);
            deltaShare = msg.oddRing(delta, n);
        }

        /** Steps 3–4: Π_PC on r − 1, P2's η′ shares, and the output shares (canonical, not yet refreshed). */
        public long[] finish() {
            if (ctx.isHelper()) {
                long[] etaPrime = PrivateCompare.evaluate(ctx, n);
                PrivateCompare.shareOutput(ctx, etaPrime, n, PrivateCompare.OutputRing.Z_L_MINUS_1);
                return Shares.none();
            }
            PrivateCompare.send(ctx, bits, rMinus1, eta2, n);
            long[] etaPrime = PrivateCompare.shareOutput(ctx, null, n, PrivateCompare.OutputRing.Z_L_MINUS_1);
            boolean p0 = ctx.id() == PartyContext.P0;
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                // η = η′ ⊕ η″ with η″ public to P0/P1: η′_j, or (1 at P0) − η′_j when η″ = 1
                long eta = eta2[i] == 0 ? etaPrime[i]
                        : p0 ? OddRing.sub(1, etaPrime[i]) : OddRing.neg(etaPrime[i]);
                long theta = OddRing.add(OddRing.add(betaMine[i], deltaShare[i]), eta);
                if (p0) theta = OddRing.sub(theta, alpha[i] + 1);
                y[i] = OddRing.sub(a[i], theta);
            }
            return y;
        }
    }
}
