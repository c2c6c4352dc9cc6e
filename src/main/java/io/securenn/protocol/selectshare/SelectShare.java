package io.securenn.protocol.selectshare;

import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.sharing.Shares;
import io.securenn.runtime.PartyContext;

/**
 * Π_SS (spec §2.3; correction 2): (1 − α)·x + α·y = x + α·(y − x) for a bit α shared as an integer 0/1 over Z_L.
 * One element-wise Beaver product (exact, no truncation): 1 round (P2's ⟨Z⟩1 travels beside the E/F exchange),
 * 40n bytes. The product's output is already refreshed by {@link MatMul}, so x + it is fresh.
 */
public final class SelectShare {
    private SelectShare() {}

    public static long bytes(int n) {
        return MatMul.hadamardBytes(n);
    }

    public static int rounds() {
        return 1;
    }

    /** Shares of x where α = 0 and of y where α = 1 (empty at P2). */
    public static long[] run(PartyContext ctx, long[] alpha, long[] x, long[] y, int n) {
        Shares.requireCount(n, "SelectShare");
        Shares.requireLength(ctx, alpha, n, "SelectShare");
        Shares.requireLength(ctx, x, n, "SelectShare");
        Shares.requireLength(ctx, y, n, "SelectShare");
        if (n == 0) return Shares.none();
        try (var _ = ctx.meter("SelectShare")) {
            long[] diff = ctx.isHelper() ? null : new long[n];
            if (diff != null) for (int i = 0; i < n; i++) diff[i] = y[i] - x[i];
            long[] c = MatMul.hadamard(ctx, diff, diff == null ? null : alpha, n);
            if (ctx.isHelper()) return Shares.none();
            for (int i = 0; i < n; i++) c[i] += x[i];
            return c;
        }
    }
}
