package io.securenn.protocol.computemsb;

import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.Chunks;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.random.Prg;
import io.securenn.ring.OddRing;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;

/**
 * Π_MSB (spec §2.6, ePrint form; correction 2): Z_{L−1} shares of a in, Z_L shares of MSB(a) as an integer 0/1 out.
 *
 * <ol>
 *   <li>P2's randomness: a uniform x ∈ Z_{L−1} (⟨x⟩0 from the P0–P2 stream, ⟨x⟩1 from the P1–P2 stream, so x
 *       itself costs nothing), Z_67 shares of x's bits, Z_L shares of x[0] (its LSB), and the Beaver triple for
 *       step 5 (⟨Z⟩1): one message to P1.</li>
 *   <li>P_j sends ⟨r⟩_j = 2⟨a⟩_j + ⟨x⟩_j (Z_{L−1}) to the other and both reconstruct r = 2a + x.</li>
 *   <li>Π_PC(x, r, β) with a common bit β; P2 deals Z_L shares of β′ = β ⊕ (x > r).</li>
 *   <li>γ = β′ ⊕ β = (x > r) (P1 adds β: ⟨γ⟩_j = ⟨β′⟩_j + j·β − 2β⟨β′⟩_j) and δ = x[0] ⊕ r[0] likewise.</li>
 *   <li>θ = γ·δ (one Beaver product, integers, no truncation); output γ + δ − 2θ = γ ⊕ δ = LSB(2a) = MSB(a).</li>
 * </ol>
 * In the odd ring, LSB(2a) = r[0] ⊕ x[0] ⊕ wrap(2a, x), and wrap(2a, x) = (x > r).
 *
 * <p>Cost: 4 rounds (P2's message travels beside the r exchange; the paper counts 5), and
 * bit shares + 16n (LSB shares, ⟨Z⟩1) + 16n (r) + Π_PC + 8n (β′) + 32n (E, F) bytes.
 *
 * <p>Memory: the bit shares are the last item of P2's message and are used piece by piece in step 3, as they
 * arrive (P1) or are drawn (P0, from a forked stream); no party holds the 64 Z_67 values per element whole.
 */
public final class ComputeMSB {
    private ComputeMSB() {}

    /** Bytes all parties send together for n elements, with Z_67 values in the given wire format. */
    public static long bytes(ZpWire wire, int n) {
        return dealBytes(wire, n) + 16L * n + PrivateCompare.bytes(wire, n) + PrivateCompare.shareOutputBytes(n)
                + Beaver.exchangeBytes(n);
    }

    public static int rounds() {
        return 4;
    }

    /** Bytes of P2's randomness for n elements (bit shares, LSB shares, the triple's ⟨Z⟩1). */
    public static long dealBytes(ZpWire wire, int n) {
        return HelperMessage.bitsBytes(wire, n) + HelperMessage.ringBytes(n) + Beaver.dealBytes(n);
    }

    /** MSB of each element of a (Z_{L−1} shares) as fresh Z_L shares of 0/1. */
    public static long[] run(PartyContext ctx, long[] a, int n) {
        Shares.requireCount(n, "ComputeMSB");
        Shares.requireLength(ctx, a, n, "ComputeMSB");
        if (n == 0) return Shares.none();
        try (var _ = ctx.meter("ComputeMSB")) {
            HelperMessage msg = HelperMessage.open(ctx, dealBytes(ctx.params().zpWire(), n));
            Pending p = dealMask(ctx, msg, n);
            // P0/P1 send their masked share before P1 waits for P2's message: both travel in round 1
            p.sendMasked(a);
            p.dealRest(msg);
            p.dealBits(msg);
            long[] out = p.complete();
            Sharing.refresh(ctx, out);
            return out;
        }
    }

    /**
     * Draws the mask x (no communication). Then {@link Pending#sendMasked}, {@link Pending#dealRest} (the caller may
     * add items of its own after it), {@link Pending#dealBits} (the message's last item) and
     * {@link Pending#complete}.
     */
    public static Pending dealMask(PartyContext ctx, HelperMessage msg, int n) {
        Pending p = new Pending(ctx, n);
        p.x = msg.randomOddRing(n);
        return p;
    }

    /** The state of one ComputeMSB between its steps. */
    public static final class Pending {
        private final PartyContext ctx;
        private final int n;
        private long[] x;          // P2: x itself; P0/P1: ⟨x⟩_j
        private HelperMessage.BitShares xBits;
        private long[] xLsb;
        private Beaver.Triple triple;
        private long[] rMine;

        private Pending(PartyContext ctx, int n) {
            this.ctx = ctx;
            this.n = n;
        }

        /** Step 1's dealt items but the bit shares: Z_L shares of x's LSB and the triple, as items of msg. */
        public void dealRest(HelperMessage msg) {
            long[] lsb = null;
            if (ctx.isHelper()) {
                lsb = new long[n];
                for (int i = 0; i < n; i++) lsb[i] = x[i] & 1L;
            }
            xLsb = msg.ring(lsb, n);
            triple = Beaver.deal(ctx, msg, n);
        }

        /** Step 1's last item, the bit shares of x, used piece by piece in step 3 (P2 sends its message here). */
        public void dealBits(HelperMessage msg) {
            xBits = msg.bitsZ67Last(x, n);
            x = null;
        }

        /** Step 2's send: ⟨r⟩_j = 2⟨a⟩_j + ⟨x⟩_j to the other share holder (a in Z_{L−1}, may be non-canonical). */
        public void sendMasked(long[] a) {
            if (ctx.isHelper()) return;
            rMine = x;   // ⟨x⟩_j is needed only here: ⟨r⟩_j takes its place
            for (int i = 0; i < n; i++) rMine[i] = OddRing.add(OddRing.dbl(a[i]), rMine[i]);
            ctx.sendLongs(ctx.other(), rMine);
        }

        /**
         * Steps 2–5 after the send: returns shares of MSB(a) (not refreshed). Π_PC runs {@link Chunks piece by
         * piece} (one message per piece, all in its round), so its Z_67 temporaries stay the size of a piece.
         */
        public long[] complete() {
            if (ctx.isHelper()) {
                long[] betaPrime = PrivateCompare.runInPieces(ctx, null, null, null, n);
                PrivateCompare.shareOutput(ctx, betaPrime, n, PrivateCompare.OutputRing.Z_L);
                return Shares.none();
            }
            long[] r = ctx.receiveLongs(ctx.other(), n);
            for (int i = 0; i < n; i++) r[i] = OddRing.add(rMine[i], r[i]);
            rMine = null;
            long[] beta = ctx.common().bitWords(n);
            PrivateCompare.runInPieces(ctx, xBits, r, beta, n);
            xBits = null;
            long[] betaPrime = PrivateCompare.shareOutput(ctx, null, n, PrivateCompare.OutputRing.Z_L);
            long j = ctx.id();
            long[] gamma = betaPrime, delta = xLsb;   // each share is read once, then its place holds the result
            for (int i = 0; i < n; i++) {
                // XOR with a public bit b: share s stays s if b = 0, becomes j − s if b = 1 (P1 adds, as written)
                gamma[i] = Prg.bit(beta, i) == 0 ? betaPrime[i] : j - betaPrime[i];
                delta[i] = (r[i] & 1L) == 0 ? xLsb[i] : j - xLsb[i];
            }
            Beaver.Triple t = triple;
            xLsb = null;
            triple = null;
            long[] theta = Beaver.hadamards(ctx, new long[][] {gamma}, new long[][] {delta}, new Beaver.Triple[] {t})[0];
            for (int i = 0; i < n; i++) theta[i] = gamma[i] + delta[i] - 2 * theta[i];
            return theta;
        }
    }
}
