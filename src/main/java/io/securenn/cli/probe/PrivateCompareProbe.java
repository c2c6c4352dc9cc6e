package io.securenn.cli.probe;

import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * {@code op privatecompare}: (x &gt; r) as 0/1 for raw x (--in) and r (--in2), both compared as unsigned 64-bit
 * integers, by Π_PC (spec §2.4) as the protocol expects its inputs:
 * <ul>
 *   <li>x is the helper's value: P0 sends it to P2, which deals Z_67 shares of its 64 bits to P0 and P1 (as in
 *       ShareConvert and ComputeMSB, P0's shares from the P0–P2 stream, P1's in one message);</li>
 *   <li>r is public to P0 and P1 (P0 sends it to P1), and they draw the common bit β per element;</li>
 *   <li>Π_PC itself, the only part counted as the protocol: P2 learns β′ = β ⊕ (x &gt; r);</li>
 *   <li>P2 re-shares β′ in Z_2^64 ({@link PrivateCompare#shareOutput}, as ComputeMSB does), and P0 and P1 remove
 *       β locally: (x &gt; r) = β′ ⊕ β.</li>
 * </ul>
 * Dealing the bits and re-sharing β′ count as input/output bytes.
 */
final class PrivateCompareProbe implements ProbeOperation {
    @Override
    public String name() {
        return "privatecompare";
    }

    @Override
    public String summary() {
        return "(x > r) unsigned; raw x known to P2, r to P0/P1";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public InputKind inputKind(int input) {
        return input == 0 ? InputKind.KNOWN_TO_HELPER : InputKind.PUBLIC_TO_HOLDERS;
    }

    @Override
    public void checkOptions(ProbeOptions o) {
        ProbeOperation.super.checkOptions(o);
        ProbeOperations.requireRaw(this, o);
    }

    @Override
    public Encoding resultEncoding(ProbeOptions o) {
        return Encoding.BIT;
    }

    @Override
    public Shape resultShape(Shape[] in, ProbeOptions o) {
        return Shape.requireSame(in, "privatecompare", "x and r");
    }

    @Override
    public long[] run(PartyContext ctx, long[][] in, Shape[] s, ProbeOptions o, Measured measured) {
        int n = s[0].size();
        boolean helper = ctx.isHelper();
        // the helper deals Z_67 shares of x's bits (input)
        HelperMessage msg = HelperMessage.open(ctx, HelperMessage.bitsBytes(ctx.params().zpWire(), n));
        byte[] xBits = msg.bitsZ67(helper ? in[0] : null, n);
        msg.deliver();
        long[] r = helper ? null : in[1];
        long[] beta = helper ? null : ctx.common().bits(n);
        long[] betaPrime = measured.protocol(() -> PrivateCompare.run(ctx, xBits, r, beta, n));
        // output: β′ re-shared in Z_2^64, then ⊕ β (public to the holders: s stays s if β = 0, becomes j − s if 1)
        long[] share = PrivateCompare.shareOutput(ctx, helper ? betaPrime : null, n, PrivateCompare.OutputRing.Z_L);
        if (helper) return share;
        int j = ctx.id();
        for (int i = 0; i < n; i++) if (beta[i] != 0) share[i] = j - share[i];
        return share;
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return PrivateCompare.bytes(session.zpWire(), in[0].size());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return PrivateCompare.rounds();
    }
}
