package io.securenn.protocol.relu;

import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * Π_ReLU (spec §2.8; correction 2): ReLU(a) = DReLU(a)·a, the bit being an integer 0/1, so the Beaver product is
 * exact (no truncation). The product's triple is dealt inside DReLU's helper message, so the product adds one
 * exchange: DReLU's rounds + 1 (9 in the paper form, 5 in the masked form), DReLU's bytes + 40n. The DReLU bits are
 * returned too (backprop needs them). Domain: DReLU's (|a| < 2^62 in the paper form, the whole ring in the masked).
 */
public final class ReLU {
    private ReLU() {}

    /** ReLU(a) and DReLU(a) (1 iff a ≥ 0), both fresh Z_L shares (empty arrays at P2). */
    public record Result(long[] relu, long[] drelu) {}

    /** Bytes all parties send together for n elements, in the session's DReLU form and Z_67 wire format. */
    public static long bytes(SessionParams session, int n) {
        return DReLU.bytes(session, n, n) + Beaver.exchangeBytes(n);
    }

    /** DReLU's rounds and one exchange: 9 (paper form) or 5 (masked). */
    public static int rounds(SessionParams session) {
        return DReLU.rounds(session) + 1;
    }

    public static Result run(PartyContext ctx, long[] a, int n) {
        Shares.requireCount(n, "ReLU");
        Shares.requireLength(ctx, a, n, "ReLU");
        if (n == 0) return new Result(Shares.none(), Shares.none());
        try (var _ = ctx.meter("ReLU")) {
            DReLU.WithTriples d = DReLU.run(ctx, a, n, n);
            long[] relu = Beaver.hadamards(ctx, new long[][] {d.bits()}, new long[][] {a}, d.triples())[0];
            Sharing.refresh(ctx, relu);
            return new Result(relu, d.bits());
        }
    }
}
