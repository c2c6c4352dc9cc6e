package io.securenn.protocol.division;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.Shares;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * Π_Div, version B (spec §2.9, ePrint long division; correction 5): for fixed-point x, y with 0 ≤ x ≤ y, y > 0,
 * the fixed-point quotient q = ⌊x·2^13 / y⌋ (raw), exactly.
 *
 * <p>The paper finds one quotient bit per step (a DReLU, then a product: 9 rounds per bit). Here each step finds a
 * base-4 digit, two bits, in the same 9 rounds: with X = x·2^13 and the running u, the three comparisons
 * β_m = DReLU(X − u − m·2^i·y) for m = 1, 2, 3 go in one DReLU; they are
 * monotone (β_1 ≥ β_2 ≥ β_3), so the digit is d = β_1 + β_2 + β_3 = the largest m with m·2^i·y ≤ X − u, which is
 * exactly the two bits the paper's two steps would find. Then u += d·(2^i·y) (one exact Beaver product, its triple
 * dealt in DReLU's helper message) and q += d·2^i (local). An odd ℓ_D starts with one single-bit step. Output q:
 * fresh shares without a refresh of their own, since the last digit is a sum of refreshed DReLU outputs. Neither
 * are the z re-randomised: DReLU's views do not depend on how its input is shared (docs/PROTOCOLS.md, "Refreshes
 * and masks").
 *
 * <p>Domain (documented, not checkable on secret values): 0 ≤ x·2^13 < 2^62 and {@link #maxDivisor} ≥ y (the
 * largest multiple compared, 3·2^(ℓ_D−2)·y for even ℓ_D, stays below 2^62), so every z is in DReLU's range; then
 * q = min(⌊x·2^13/y⌋, 2^ℓ_D − 1) exactly, which is the exact quotient whenever x/y < 2^(ℓ_D − 13) (for the
 * default ℓ_D = 14: x ≤ y is well inside, 1.0 included). Quotients of 2^(ℓ_D−13) or more saturate to 2^ℓ_D − 1.
 * Division by y = 0: every comparison succeeds, so every bit is 1 and the result is 2^ℓ_D − 1 raw
 * (1.9998779296875 for ℓ_D = 14), for any x in the domain.
 *
 * <p>Cost per two bits: DReLU of 3n values + one product (1360 B per element packed, against 2 × 480 for two
 * single-bit steps) in 9 rounds (against 18): ℓ_D = 14 takes 63 rounds instead of 126, and 680 B per bit stays
 * under the paper's 704. These are the paper's DReLU form; with the masked form (the session's
 * {@link io.securenn.runtime.DReluForm}) a step costs 3·200 + 8 + 32 = 640 B per element packed in 5 rounds.
 */
public final class Division {
    private Division() {}

    public static final int DEFAULT_QUOTIENT_BITS = 14;
    public static final int MAX_QUOTIENT_BITS = 62;

    /** Steps: ⌈ℓ_D / 2⌉ (a single-bit step first when ℓ_D is odd). */
    public static int steps(int quotientBits) {
        return (quotientBits + 1) / 2;
    }

    /** Bytes all parties send together for n divisions, in the session's DReLU form and Z_67 wire format. */
    public static long bytes(SessionParams session, int n, int quotientBits) {
        long perDigit = DReLU.bytes(session, Math.multiplyExact(3, n), n) + Beaver.exchangeBytes(n);
        long perBit = DReLU.bytes(session, n, n) + Beaver.exchangeBytes(n);
        return (quotientBits / 2) * perDigit + (quotientBits % 2) * perBit;
    }

    /**
     * Per step a DReLU and one exchange; in the masked DReLU form every step after the first starts a round early
     * ({@link DReLU#roundsAheadInChain}): 9 per step (paper form), 5 + 4·(steps − 1) (masked).
     */
    public static int rounds(SessionParams session, int quotientBits) {
        int steps = steps(quotientBits);
        if (steps == 0) return 0;
        return steps * (DReLU.rounds(session) + 1) - (steps - 1) * DReLU.roundsAheadInChain(session);
    }

    /** The largest raw divisor of the domain: the largest multiple compared, m·2^i·y, stays below 2^62. */
    public static long maxDivisor(int quotientBits) {
        long limit = (1L << 62) - 1;
        return quotientBits % 2 == 1 ? limit >> (quotientBits - 1) : limit / (3L << (quotientBits - 2));
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
            for (int top = quotientBits; top > 0; ) {
                int width = top % 2 == 1 ? 1 : 2, pos = top - width, multiples = (1 << width) - 1;
                long[] yi = null, z = null;
                if (holder) {
                    // no zero-shares on z: DReLU's views and output do not depend on how its input is shared
                    // (docs/PROTOCOLS.md, "Refreshes and masks")
                    yi = new long[n];
                    z = new long[multiples * n];
                    for (int k = 0; k < n; k++) {
                        yi[k] = y[k] << pos;
                        long rest = scaledX[k] - u[k];
                        for (int m = 1; m <= multiples; m++) z[(m - 1) * n + k] = rest - m * yi[k];
                    }
                }
                DReLU.WithTriples d = DReLU.run(ctx, z, multiples * n, n);
                long[] digit = null;
                if (holder) {
                    long[] beta = d.bits();
                    digit = new long[n];
                    for (int m = 0; m < multiples; m++) for (int k = 0; k < n; k++) digit[k] += beta[m * n + k];
                }
                long[] v = Beaver.hadamards(ctx, new long[][] {digit}, new long[][] {yi}, d.triples())[0];
                if (holder) {
                    for (int k = 0; k < n; k++) {
                        u[k] += v[k];
                        q[k] += digit[k] << pos;
                    }
                }
                top = pos;
            }
            if (!holder) return Shares.none();
            // no refresh of its own: the last digit (at 2^0) is a sum of DReLU outputs, each refreshed by a
            // zero-share that appears nowhere else in any view, so q is already fresh (docs/PROTOCOLS.md)
            return q;
        }
    }
}
