package io.securenn.protocol.drelu;

import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Shares;
import io.securenn.random.Prg;
import io.securenn.runtime.PartyContext;

/**
 * Π_DReLU′, DReLU's masked-reveal form ({@link io.securenn.runtime.DReluForm#MASKED}), step by step: {@link #deal},
 * {@link #open}, {@link #compare}, {@link #finish}; {@link DReLU#run} runs them and refreshes the output. The steps
 * and the identity behind them are in {@link DReLU}'s description and docs/PROTOCOLS.md ("DReLU").
 * Package-private: the view tests run the steps without the refresh as a negative control.
 *
 * <p>Every vector is n ring elements (or n bits, packed); the Z_67 bit shares of r′ are P2's message's last item and
 * go into Π_PC piece by piece ({@link PrivateCompare#runInPieces}).
 */
final class MaskedReveal {
    /** The low 63 bits. */
    private static final long LOW = Long.MAX_VALUE;

    private final PartyContext ctx;
    private final int n;
    // P0/P1
    private long[] x;             // ⟨r⟩_j, then ⟨a⟩_j + ⟨r⟩_j, then x = a + r, then x′ (its low 63 bits)
    private long[] beta, c;       // β and c = x₆₃ ⊕ β, packed (Prg.bitWords)
    private HelperMessage.BitShares bits;
    // P2
    private long[] r63;           // the top bits of r, packed
    private long[] gamma;

    private MaskedReveal(PartyContext ctx, int n) {
        this.ctx = ctx;
        this.n = n;
    }

    /**
     * Step 1: P2 draws r (from its own stream) and deals ⟨r⟩, the triples of the given lengths (stored into triples;
     * null at P2) and, as the message's last item, the Z_67 shares of r′'s 64 bits (top bit 0) in one message to P1;
     * P0 draws its shares of all of it from the P0–P2 stream.
     */
    static MaskedReveal deal(PartyContext ctx, int n, int[] tripleLengths, Beaver.Triple[] triples) {
        long bytes = DReLU.maskedDealBytes(ctx.params(), n);
        for (int len : tripleLengths) bytes += Beaver.dealBytes(len);
        HelperMessage msg = HelperMessage.open(ctx, bytes);
        MaskedReveal m = new MaskedReveal(ctx, n);
        long[] r = null;
        if (ctx.isHelper()) {
            r = ctx.local().longs(n);
            m.r63 = new long[(n + 63) / 64];
            for (int i = 0; i < n; i++) m.r63[i >>> 6] |= (r[i] >>> 63) << (i & 63);
        }
        m.x = msg.ring(r, n);
        for (int k = 0; k < triples.length; k++) triples[k] = Beaver.deal(ctx, msg, tripleLengths[k]);
        if (r != null) for (int i = 0; i < n; i++) r[i] &= LOW;   // r′, whose bits P2 deals
        m.bits = msg.bitsZ67Last(r, n);
        return m;
    }

    /**
     * Step 2: P_j sends ⟨a⟩_j + ⟨r⟩_j to the other share holder and both reconstruct x = a + r; then they draw β
     * and keep c = x₆₃ ⊕ β and x′. Nothing at P2.
     */
    void open(long[] a) {
        if (ctx.isHelper()) return;
        for (int i = 0; i < n; i++) x[i] += a[i];
        ctx.sendLongs(ctx.other(), x);
        ctx.receiveLongsAdding(ctx.other(), x);
        beta = ctx.common().bitWords(n);
        c = beta.clone();
        for (int i = 0; i < n; i++) {
            c[i >>> 6] ^= (x[i] >>> 63) << (i & 63);
            x[i] &= LOW;
        }
    }

    /** Step 3: Π_PC(r′ shared, x′ public, β): P2 learns β′ = β ⊕ (r′ &gt; x′) and computes γ = β′ ⊕ r₆₃. */
    void compare() {
        long[] out = PrivateCompare.runInPieces(ctx, bits, x, beta, n);
        bits = null;
        x = beta = null;
        if (!ctx.isHelper()) return;
        gamma = out;
        for (int i = 0; i < n; i++) gamma[i] ^= Prg.bit(r63, i);
        r63 = null;
    }

    /**
     * Steps 4 and 5: P2 deals γ over Z_L (one message to P1, P0's share from the P0–P2 stream), and P_j outputs
     * ⟨DReLU⟩_j = [j = 0]·(1 − c) − (1 − 2c)·⟨γ⟩_j, since MSB(a) = c ⊕ γ. Not refreshed; empty at P2.
     */
    long[] finish() {
        long[] g = PrivateCompare.shareOutput(ctx, gamma, n, PrivateCompare.OutputRing.Z_L);
        gamma = null;
        if (ctx.isHelper()) return Shares.none();
        long one = ctx.id() == PartyContext.P0 ? 1 : 0;
        for (int i = 0; i < n; i++) if (Prg.bit(c, i) == 0) g[i] = one - g[i];
        c = null;
        return g;
    }
}
