package io.securenn.cli.probe;

import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.ring.OddRing;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * {@code op shareconvert}: raw ring elements x shared in Z_2^64 come out shared in Z_{2^64−1} (spec §2.5); the
 * result is written as the unsigned value in 0 … 2^64 − 2 (x itself read as an unsigned integer). Valid for
 * x ≠ −1 (2^64 − 1), the protocol's domain.
 */
final class ShareConvertProbe extends ShareConvertDomainProbe {
    ShareConvertProbe() {
        super("shareconvert", "raw x to Z_(2^64-1), written unsigned; x != -1", Encoding.UNSIGNED);
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int n = s[0].size();
        return measured.protocol(() -> ShareConvert.run(ctx, x[0], n));
    }

    @Override
    public long reconstruct(long share0, long share1) {
        return OddRing.add(share0, share1);
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return ShareConvert.bytes(session.zpWire(), in[0].size());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return ShareConvert.rounds();
    }
}
