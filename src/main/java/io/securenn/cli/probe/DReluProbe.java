package io.securenn.cli.probe;

import io.securenn.protocol.drelu.DReLU;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.util.List;

/** {@code op drelu}: 1 if x ≥ 0 else 0, element-wise (spec §2.7); domain |x| < 2^62 raw. */
final class DReluProbe extends UnaryProbe {
    DReluProbe() {
        super("drelu", "1 if x >= 0 else 0, element-wise");
    }

    @Override
    public Encoding resultEncoding(ProbeOptions o) {
        return Encoding.BIT;
    }

    @Override
    public List<String> checkDomain(long[][] x, Shape[] s, ProbeOptions o) {
        ProbeOperations.requireBelow(this, x[0], s[0], DReLU.DOMAIN_BITS, o, "DReLU takes the sign of 2x");
        return List.of();
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int n = s[0].size();
        return measured.protocol(() -> DReLU.run(ctx, x[0], n));
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return DReLU.bytes(session, in[0].size());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return DReLU.rounds(session);
    }
}
