package io.securenn.cli.probe;

import io.securenn.SecureNnException;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.ring.OddRing;
import io.securenn.runtime.PartyContext;

import java.util.List;

/**
 * {@code op shareconvert}: raw ring elements x shared in Z_2^64 come out shared in Z_{2^64−1} (spec §2.5); the
 * result is written as the unsigned value in 0 … 2^64 − 2 (x itself read as an unsigned integer). Valid for
 * x ≠ −1 (2^64 − 1), the protocol's domain.
 */
final class ShareConvertProbe extends UnaryProbe {
    ShareConvertProbe() {
        super("shareconvert", "raw x to Z_(2^64-1), written unsigned; x != -1");
    }

    @Override
    public void checkOptions(ProbeOptions o) {
        super.checkOptions(o);
        ProbeOperations.requireRaw(this, o);
    }

    @Override
    public Encoding resultEncoding(ProbeOptions o) {
        return Encoding.UNSIGNED;
    }

    @Override
    public List<String> checkDomain(long[][] x, Shape[] s, ProbeOptions o) {
        requireNotAllOnes(this, x[0], s[0]);
        return List.of();
    }

    /** ShareConvert's domain: x ≠ 2^64 − 1. */
    static void requireNotAllOnes(ProbeOperation op, long[] x, Shape s) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] == -1L) {
                throw SecureNnException.badInput(op.name() + ": the value at " + ProbeOperations.at(s, i) + " is -1 "
                        + "(2^64 - 1), outside ShareConvert's domain (x != 2^64 - 1)");
            }
        }
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
    public long formulaBytes(Shape[] in, ProbeOptions o) {
        return ShareConvert.bytes(in[0].size());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o) {
        return ShareConvert.rounds();
    }
}
