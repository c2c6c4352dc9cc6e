package io.securenn.protocol.drelu;

import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;

/**
 * Π_DReLU (spec §2.7; correction 2): DReLU(a) = 1 − MSB(2a) as Z_L shares of the integer 0/1, i.e. 1 iff a ≥ 0,
 * for a in the range |a| < 2^62 (doubling keeps the sign and 2a ≠ 2^64 − 1).
 *
 * <p>ShareConvert(2a) then ComputeMSB, composed so that P2's ComputeMSB randomness (and the Beaver triples the
 * caller asks for) travels in the message that carries η′, which P2 sends anyway. Message depth:
 * 1 ã → P2; 2 P2 → P1 (δ and SC's bit shares); 3 Π_PC(SC); 4 P2 → P1 (η′, then every ComputeMSB item and the
 * triples); 5 r exchange (P0's half already left at 1); 6 Π_PC(MSB); 7 β′ → P1; 8 E/F exchange.
 * Cost: 8 rounds, {@link ShareConvert#bytes} + {@link ComputeMSB#bytes}. Outputs are refreshed.
 *
 * <p>Memory: each Z_67 bit-share vector is its message's last item and goes into Π_PC piece by piece as it arrives
 * (P1) or is drawn (P0), so the parties hold O(n) ring elements and never 64 Z_67 values per element.
 */
public final class DReLU {
    private DReLU() {}

    /** The domain is |a| < 2^DOMAIN_BITS (raw): doubling keeps the sign and 2a ≠ 2^64 − 1. */
    public static final int DOMAIN_BITS = 62;

    /** Bytes all parties send together for n elements, with Z_67 values in the given wire format. */
    public static long bytes(ZpWire wire, int n) {
        return ShareConvert.bytes(wire, n) + ComputeMSB.bytes(wire, n);
    }

    /** Bytes including the dealing of extra triples of the given lengths (their online exchange not included). */
    public static long bytes(ZpWire wire, int n, int... tripleLengths) {
        long b = bytes(wire, n);
        for (int len : tripleLengths) b += Beaver.dealBytes(len);
        return b;
    }

    public static int rounds() {
        return 8;
    }

    /** DReLU bits and the Beaver triples dealt alongside (P2 gets empty bits and null triples). */
    public record WithTriples(long[] bits, Beaver.Triple[] triples) {}

    /** DReLU of each element of a: fresh Z_L shares of 1 if a ≥ 0, else 0. */
    public static long[] run(PartyContext ctx, long[] a, int n) {
        return run(ctx, a, n, new int[0]).bits();
    }

    /**
     * DReLU, with P2 also dealing Beaver triples of the given lengths in its first message, so a product that
     * follows costs one exchange and no extra round.
     */
    public static WithTriples run(PartyContext ctx, long[] a, int n, int... tripleLengths) {
        Shares.requireCount(n, "DReLU");
        Shares.requireLength(ctx, a, n, "DReLU");
        try (var _ = ctx.meter("DReLU")) {
            Beaver.Triple[] triples = new Beaver.Triple[tripleLengths.length];
            if (n == 0) {
                // nothing to compare: no messages; the triples asked for must be empty too
                for (int k = 0; k < triples.length; k++) {
                    if (tripleLengths[k] != 0) throw new IllegalArgumentException("triples for an empty DReLU");
                    if (!ctx.isHelper()) triples[k] = Beaver.Triple.empty();
                }
                return new WithTriples(Shares.none(), triples);
            }
            ShareConvert.Pending sc = ShareConvert.start(ctx, a, 1, n);   // of 2a
            sc.deal(HelperMessage.open(ctx, ShareConvert.dealBytes(ctx.params().zpWire(), n)));
            sc.compare();
            long extra = 0;
            for (int len : tripleLengths) extra += Beaver.dealBytes(len);
            HelperMessage msg = HelperMessage.open(ctx, PrivateCompare.shareOutputBytes(n)
                    + ComputeMSB.dealBytes(ctx.params().zpWire(), n) + extra);
            ComputeMSB.Pending msb = startMsb(ctx, sc, msg, n);
            msb.dealRest(msg);
            for (int k = 0; k < triples.length; k++) triples[k] = Beaver.deal(ctx, msg, tripleLengths[k]);
            msb.dealBits(msg);
            long[] out = Shares.oneMinus(ctx, msb.complete());
            Sharing.refresh(ctx, out);
            return new WithTriples(out, triples);
        }
    }

    /** SC's output y = 2a in Z_{L−1}, its mask for ComputeMSB, and ⟨r⟩ = 2y + ⟨x⟩ sent; y is not kept. */
    private static ComputeMSB.Pending startMsb(PartyContext ctx, ShareConvert.Pending sc, HelperMessage msg, int n) {
        long[] y = sc.finish(msg);
        ComputeMSB.Pending msb = ComputeMSB.dealMask(ctx, msg, n);
        msb.sendMasked(y);
        return msb;
    }
}
