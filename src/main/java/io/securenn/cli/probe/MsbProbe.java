package io.securenn.cli.probe;

import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * {@code op msb}: the most significant bit of raw ring elements x (1 iff x &lt; 0 as a signed integer). ComputeMSB
 * takes Z_{2^64−1} shares, so x, shared in Z_2^64, goes through ShareConvert first (spec §2.5, §2.6); both count
 * as the protocol. Valid for x ≠ −1 (2^64 − 1), ShareConvert's domain.
 */
final class MsbProbe extends ShareConvertDomainProbe {
    MsbProbe() {
        super("msb", "MSB of raw x (ShareConvert, ComputeMSB); x != -1", Encoding.BIT);
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int n = s[0].size();
        return measured.protocol(() -> ComputeMSB.run(ctx, ShareConvert.run(ctx, x[0], n), n));
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        int n = in[0].size();
        return ShareConvert.bytes(session.zpWire(), n) + ComputeMSB.bytes(session.zpWire(), n);
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return ShareConvert.rounds() + ComputeMSB.rounds();
    }
}
