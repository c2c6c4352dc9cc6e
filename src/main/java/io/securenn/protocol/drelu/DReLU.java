package io.securenn.protocol.drelu;

import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * DReLU(a) = 1 − MSB(a) as Z_L shares of the integer 0/1 (correction 2), i.e. 1 iff a ≥ 0, in one of two forms,
 * the session's ({@link SessionParams#dreluForm()}); both give the same bits wherever the paper's form is defined.
 *
 * <p>{@link DReluForm#PAPER} (spec §2.7): 1 − MSB(2a) by ShareConvert(2a) then ComputeMSB, for |a| &lt; 2^62
 * (doubling keeps the sign and 2a ≠ 2^64 − 1), composed so that P2's ComputeMSB randomness (and the Beaver triples
 * the caller asks for) travels in the message that carries η′, which P2 sends anyway. Message depth:
 * 1 ã → P2; 2 P2 → P1 (δ and SC's bit shares); 3 Π_PC(SC); 4 P2 → P1 (η′, then every ComputeMSB item and the
 * triples); 5 r exchange (P0's half already left at 1); 6 Π_PC(MSB); 7 β′ → P1; 8 E/F exchange.
 * Cost: 8 rounds, {@link ShareConvert#bytes} + {@link ComputeMSB#bytes}.
 *
 * <p>{@link DReluForm#MASKED} (Π_DReLU′, docs/PROTOCOLS.md "DReLU"), exact for every a ∈ Z_{2^64}: with x = a + r,
 * x = x₆₃·2^63 + x′ and r = r₆₃·2^63 + r′, MSB(a) = x₆₃ ⊕ r₆₃ ⊕ (r′ &gt; x′).
 * <ol>
 *   <li>P2 draws r and deals ⟨r⟩, the caller's triples and (last) Z_67 shares of the 64 bits of r′, in one
 *       message. <i>(depth 1)</i></li>
 *   <li>P0 and P1 exchange ⟨a⟩_j + ⟨r⟩_j and both learn x. <i>(P0's half at depth 1, P1's at 2)</i></li>
 *   <li>Π_PC of the shared r′ against the public x′ with a common bit β: P2 learns β′ = β ⊕ (r′ &gt; x′).
 *       <i>(P1 at depth 2, P0 at 3)</i></li>
 *   <li>P2 deals γ = β′ ⊕ r₆₃ over Z_L. <i>(depth 4)</i></li>
 *   <li>With c = x₆₃ ⊕ β public to the holders, MSB(a) = c ⊕ γ, linear in γ:
 *       ⟨DReLU⟩_j = [j = 0]·(1 − c) − (1 − 2c)·⟨γ⟩_j.</li>
 * </ol>
 * Cost: 4 rounds; 8n (⟨r⟩1) + bit shares + 16n (x) + Π_PC + 8n (⟨γ⟩1) bytes = (32 + 3Z)·n.
 *
 * <p>Both forms refresh their output. Memory: each Z_67 bit-share vector is its message's last item and goes into
 * Π_PC piece by piece as it arrives (P1) or is drawn (P0), so the parties hold O(n) ring elements and never 64
 * Z_67 values per element.
 */
public final class DReLU {
    private DReLU() {}

    /** The paper form's domain is |a| &lt; 2^DOMAIN_BITS (raw): doubling keeps the sign and 2a ≠ 2^64 − 1. */
    public static final int DOMAIN_BITS = 62;

    /** The domain of the form: |a| &lt; 2^bits (raw); 64 for the masked form, which is exact on the whole ring. */
    public static int domainBits(DReluForm form) {
        return form == DReluForm.PAPER ? DOMAIN_BITS : 64;
    }

    /** Bytes all parties send together for n elements in the session's form and Z_67 wire format. */
    public static long bytes(SessionParams session, int n) {
        return switch (session.dreluForm()) {
            case PAPER -> ShareConvert.bytes(session.zpWire(), n) + ComputeMSB.bytes(session.zpWire(), n);
            case MASKED -> maskedDealBytes(session, n) + 16L * n + PrivateCompare.bytes(session.zpWire(), n)
                    + PrivateCompare.shareOutputBytes(n);
        };
    }

    /** Bytes including the dealing of extra triples of the given lengths (their online exchange not included). */
    public static long bytes(SessionParams session, int n, int... tripleLengths) {
        long b = bytes(session, n);
        for (int len : tripleLengths) b += Beaver.dealBytes(len);
        return b;
    }

    /** Message depth of one DReLU in the session's form: 8 (paper) or 4 (masked). */
    public static int rounds(SessionParams session) {
        return session.dreluForm() == DReluForm.PAPER ? 8 : 4;
    }

    /**
     * Rounds a DReLU takes fewer when it follows, inside one protocol, a step whose last exchange is between P0 and
     * P1 only (a Beaver product): in the masked form its first message, P2's dealing, needs no input, so P2 sends it
     * as soon as it has sent its last message of the step before, a round ahead (MaxPool's comparisons, Division's
     * steps: 5 rounds for the first step, 4 for each one after it). 0 in the paper form, whose first message is
     * the masked input.
     */
    public static int roundsAheadInChain(SessionParams session) {
        return session.dreluForm() == DReluForm.MASKED ? 1 : 0;
    }

    /** The masked form's first helper message without triples: ⟨r⟩1 and the bit shares of r′. */
    static long maskedDealBytes(SessionParams session, int n) {
        return HelperMessage.ringBytes(n) + HelperMessage.bitsBytes(session.zpWire(), n);
    }

    /** DReLU bits and the Beaver triples dealt alongside (P2 gets empty bits and null triples). */
    public record WithTriples(long[] bits, Beaver.Triple[] triples) {}

    /** DReLU of each element of a: fresh Z_L shares of 1 if a ≥ 0, else 0. */
    public static long[] run(PartyContext ctx, long[] a, int n) {
        return run(ctx, a, n, new int[0]).bits();
    }

    /**
     * DReLU, with P2 also dealing Beaver triples of the given lengths in its first message (paper form: in the
     * message that carries η′), so a product that follows costs one exchange and no extra round.
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
            long[] out = switch (ctx.params().dreluForm()) {
                case PAPER -> paper(ctx, a, n, tripleLengths, triples);
                case MASKED -> {
                    MaskedReveal m = MaskedReveal.deal(ctx, n, tripleLengths, triples);
                    m.open(a);
                    m.compare();
                    yield m.finish();
                }
            };
            Sharing.refresh(ctx, out);
            return new WithTriples(out, triples);
        }
    }

    /** The paper's form, not refreshed; fills in the triples. */
    private static long[] paper(PartyContext ctx, long[] a, int n, int[] tripleLengths, Beaver.Triple[] triples) {
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
        return Shares.oneMinus(ctx, msb.complete());
    }

    /** SC's output y = 2a in Z_{L−1}, its mask for ComputeMSB, and ⟨r⟩ = 2y + ⟨x⟩ sent; y is not kept. */
    private static ComputeMSB.Pending startMsb(PartyContext ctx, ShareConvert.Pending sc, HelperMessage msg, int n) {
        long[] y = sc.finish(msg);
        ComputeMSB.Pending msb = ComputeMSB.dealMask(ctx, msg, n);
        msb.sendMasked(y);
        return msb;
    }
}
