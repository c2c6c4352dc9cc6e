package io.securenn.protocol.shareconvert;

import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Shares;
import io.securenn.random.Prg;
import io.securenn.ring.OddRing;
import io.securenn.ring.Ring64;
import io.securenn.ring.ZpWire;
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
 *
 * <p>Memory: the bit shares are the last item of P2's message and are used piece by piece as they arrive (P1) or
 * are drawn (P0, from a forked stream), each piece going straight into its Π_PC message; so no party ever holds
 * the 64 Z_67 values per element of the whole vector, only O(n) ring elements.
 */
public final class ShareConvert {
    private ShareConvert() {}

    /** Bytes all parties send together for n conversions, with Z_67 values in the given wire format. */
    public static long bytes(ZpWire wire, int n) {
        return 16L * n + dealBytes(wire, n) + PrivateCompare.bytes(wire, n) + PrivateCompare.shareOutputBytes(n);
    }

    public static int rounds() {
        return 4;
    }

    /** Bytes P2's first message carries (bit shares and δ shares). */
    public static long dealBytes(ZpWire wire, int n) {
        return HelperMessage.bitsBytes(wire, n) + HelperMessage.ringBytes(n);
    }

    /** Converts Z_L shares of a (a ≠ 2^64 − 1) into fresh, canonical Z_{L−1} shares of a. */
    public static long[] run(PartyContext ctx, long[] a, int n) {
        Shares.requireCount(n, "ShareConvert");
        Shares.requireLength(ctx, a, n, "ShareConvert");
        if (n == 0) return Shares.none();
        try (var _ = ctx.meter("ShareConvert")) {
            Pending p = start(ctx, a, n);
            p.deal(HelperMessage.open(ctx, dealBytes(ctx.params().zpWire(), n)));
            p.compare();
            HelperMessage etaMessage = HelperMessage.open(ctx, PrivateCompare.shareOutputBytes(n));
            long[] y = p.finish(etaMessage);
            etaMessage.deliver();
            Shares.refreshOdd(ctx, y);
            return y;
        }
    }

    /**
     * Step 1 (P0/P1 send the masked shares; P2 receives them). Composite protocols then call {@link Pending#deal},
     * {@link Pending#compare} and {@link Pending#finish}.
     */
    public static Pending start(PartyContext ctx, long[] a, int n) {
        return start(ctx, a, 0, n);
    }

    /** As {@link #start(PartyContext, long[], int)} for the shares of a·2^shift (a itself is neither copied nor changed). */
    public static Pending start(PartyContext ctx, long[] a, int shift, int n) {
        Pending p = new Pending(ctx, n);
        if (ctx.isHelper()) {
            long[] x = ctx.receiveLongs(PartyContext.P0, n);
            long[] t1 = ctx.receiveLongs(PartyContext.P1, n);
            for (int i = 0; i < n; i++) {
                long t = t1[i];
                t1[i] = Ring64.wrap(x[i], t);   // δ = wrap(ã0, ã1), in ã1's place
                x[i] += t;
            }
            p.x = x;
            p.delta = t1;
            return p;
        }
        Prg common = ctx.common();
        long[][] r = maskShares(common::longs, n);
        p.eta2 = common.bitWords(n);
        p.a = a;
        p.shift = shift;
        boolean p0 = ctx.id() == PartyContext.P0;
        long[] mine = r[ctx.id()], theirs = r[1 - ctx.id()];
        p.theta = new long[n];
        for (int i = 0; i < n; i++) {
            long ai = a[i] << shift;
            long alpha = Ring64.wrap(r[0][i], r[1][i]);
            long beta = Ring64.wrap(ai, mine[i]);
            // θ_j starts as β_j, and P0 subtracts α + 1 once (over Z_{L−1}; α, β ∈ {0, 1})
            p.theta[i] = p0 ? OddRing.sub(beta, alpha + 1) : beta;
            theirs[i] = mine[i] + theirs[i] - 1;   // r − 1, in the other share's place
            mine[i] = ai + mine[i];                // ã_j, in this share's place
        }
        p.rMinus1 = theirs;
        ctx.sendLongs(PartyContext.P2, mine);
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
        private long[] a, rMinus1, theta, eta2;   // eta2: η″, packed (Prg.bitWords)
        private int shift;
        private HelperMessage.BitShares bits;
        // P2
        private long[] x, delta, etaPrime;

        private Pending(PartyContext ctx, int n) {
            this.ctx = ctx;
            this.n = n;
        }

        /**
         * Step 2: P2's message, in which the Z_{L−1} shares of δ and then the bit shares of x (its last item: the
         * message goes out whole at P2 here) travel. P0/P1 take the δ shares now and the bit shares in step 3.
         */
        public void deal(HelperMessage msg) {
            long[] deltaShare = msg.oddRing(delta, n);
            if (!ctx.isHelper()) for (int i = 0; i < n; i++) theta[i] = OddRing.add(theta[i], deltaShare[i]);
            bits = msg.bitsZ67Last(x, n);
            x = delta = null;
        }

        /**
         * Step 3: Π_PC on r − 1 {@link PrivateCompare#runInPieces piece by piece}, one message per piece (all in one
         * round), each piece's bit shares used as they come; P2 learns η′.
         */
        public void compare() {
            long[] out = PrivateCompare.runInPieces(ctx, bits, rMinus1, eta2, n);
            if (ctx.isHelper()) etaPrime = out;
            bits = null;
            rMinus1 = null;
        }

        /**
         * Step 4: η′ re-shared over Z_{L−1} as an item of msg (P2's next message to P1, which the caller may extend
         * and delivers), and the output shares (canonical, not yet refreshed; empty at P2).
         */
        public long[] finish(HelperMessage msg) {
            if (ctx.isHelper()) {
                msg.oddRing(etaPrime, n);
                etaPrime = null;
                return Shares.none();
            }
            long[] y = msg.oddRing(null, n);   // ⟨η′⟩_j, read once: its place then holds the output
            boolean p0 = ctx.id() == PartyContext.P0;
            for (int i = 0; i < n; i++) {
                // η = η′ ⊕ η″ with η″ public to P0/P1: η′_j, or (1 at P0) − η′_j when η″ = 1
                long eta = Prg.bit(eta2, i) == 0 ? y[i] : p0 ? OddRing.sub(1, y[i]) : OddRing.neg(y[i]);
                y[i] = OddRing.sub(a[i] << shift, OddRing.add(theta[i], eta));
            }
            a = theta = eta2 = null;
            return y;
        }
    }
}
