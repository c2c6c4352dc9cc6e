package io.securenn.cli.probe;

import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.relu.ReLU;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.util.List;

/** {@code op relu}: max(x, 0) element-wise (spec §2.8), fixed point or --raw; domain |x| < 2^62 raw. */
final class ReluProbe extends UnaryProbe {
    ReluProbe() {
        super("relu", "max(x, 0) element-wise");
    }

    @Override
    public List<String> checkDomain(long[][] x, Shape[] s, ProbeOptions o) {
        ProbeOperations.requireBelow(this, x[0], s[0], DReLU.DOMAIN_BITS, o, "ReLU takes the sign of 2x");
        return List.of();
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int n = s[0].size();
        return measured.protocol(() -> ReLU.run(ctx, x[0], n).relu());
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return ReLU.bytes(session, in[0].size());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return ReLU.rounds(session);
    }
}
