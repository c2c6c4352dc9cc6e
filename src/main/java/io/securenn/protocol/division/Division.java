package io.securenn.protocol.division;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.Beaver;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;

/**
 * Π_Div, version B (spec §2.9, ePrint long division; correction 5): for fixed-point x, y with 0 ≤ x ≤ y, y > 0,
 * the fixed-point quotient q = ⌊x·2^13 / y⌋ (raw), exactly.
 *
 * <p>X = x·2^13 (local), u = 0; for i = ℓ_D − 1 down to 0: z_i = X − u − 2^i·y (+ a fresh zero-share),
 * β_i = DReLU(z_i) (1 iff the remainder X − u still holds 2^i·y), u += β_i·(2^i·y) (one exact Beaver product, its
 * triple dealt in DReLU's helper message), q += 2^i·β_i (local). Output q, refreshed.
 *
 * <p>Domain (documented, not checkable on secret values): 0 ≤ x·2^13 < 2^62 and 2^(ℓ_D − 1)·y < 2^62, so every
 * z_i is in DReLU's range; then q = min(⌊x·2^13/y⌋, 2^ℓ_D − 1) exactly, which is the exact quotient whenever
 * x/y < 2^(ℓ_D − 13) (for the default ℓ_D = 14: x ≤ y is well inside, 1.0 included). Quotients of 2^(ℓ_D−13) or
 * more saturate to 2^ℓ_D − 1. Division by y = 0: every z_i = X − u ≥ 0, so every bit is 1 and the result is
 * 2^ℓ_D − 1 raw (1.9998779296875 for ℓ_D = 14), for any x in the domain.
 *
 * <p>Cost: ℓ_D·(DReLU + 40n) bytes and ℓ_D·9 rounds.
 */
public final class Division {
    private Division() {}

    public static final int DEFAULT_QUOTIENT_BITS = 14;
    public static final int MAX_QUOTIENT_BITS = 62;

    public static long bytes(int n, int quotientBits) {
        return quotientBits * (DReLU.bytes(n, n) + Beaver.exchangeBytes(n));
    }

    public static int rounds(int quotientBits) {
        return quotientBits * (DReLU.rounds() + 1);
    }

    /** The raw result for a zero divisor: every quotient bit set. */
    public static long zeroDivisorResult(int quotientBits) {
        return (1L << quotientBits) - 1;
    }

    public static long[] run(PartyContext ctx, long[] x, long[] y, int n) {
        return run(ctx, x, y, n, DEFAULT_QUOTIENT_BITS);
    }

    /** Fixed-point x / y element-wise with quotientBits quotient bits (fresh shares; empty at P2). */
    public static long[] run(PartyContext ctx, long[] x, long[] y, int n, int quotientBits) {
        if (quotientBits < 1 || quotientBits > MAX_QUOTIENT_BITS) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "division quotient bits must be 1.."
                    + MAX_QUOTIENT_BITS + ", got " + quotientBits);
        }
        Shares.requireCount(n, "Division");
        Shares.requireLength(ctx, x, n, "Division");
        Shares.requireLength(ctx, y, n, "Division");
        if (n == 0) return Shares.none();
        try (var _ = ctx.meter("Division")) {
            boolean holder = !ctx.isHelper();
            long[] scaledX = null, u = null, q = null;
            if (holder) {
                scaledX = new long[n];
                for (int k = 0; k < n; k++) scaledX[k] = x[k] << FixedPoint.FRAC_BITS;
                u = new long[n];
                q = new long[n];
            }
            for (int i = quotientBits - 1; i >= 0; i--) {
                long[] yi = null, z = null;
                if (holder) {
                    long[] w = ctx.common().longs(n);
                    boolean p0 = ctx.id() == PartyContext.P0;
                    yi = new long[n];
                    z = new long[n];
                    for (int k = 0; k < n; k++) {
                        yi[k] = y[k] << i;
                        z[k] = scaledX[k] - u[k] - yi[k] + (p0 ? w[k] : -w[k]);
                    }
                }
                DReLU.WithTriples d = DReLU.run(ctx, z, n, n);
                long[] v = Beaver.hadamards(ctx, new long[][] {d.bits()}, new long[][] {yi}, d.triples())[0];
                if (holder) {
                    long[] beta = d.bits();
                    for (int k = 0; k < n; k++) {
                        u[k] += v[k];
                        q[k] += beta[k] << i;
                    }
                }
            }
            if (!holder) return Shares.none();
            Sharing.refresh(ctx, q);
            return q;
        }
    }
}
