package io.securenn.cli.probe;

import io.securenn.SecureNnException;
import io.securenn.protocol.division.Division;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.util.List;

/**
 * {@code op div}: x / y element-wise (spec §2.9, long division with {@link Division#DEFAULT_QUOTIENT_BITS}
 * quotient bits), fixed point in and out (with --raw, the fixed-point encodings as integers). The probe accepts
 * the domain where the quotient is exact: 0 ≤ x ≤ y and 0 &lt; y &lt; 2^48 raw (y &lt; 2^35 in fixed point, the
 * largest power of two under {@link Division#maxDivisor} for ℓ_D = 14), so the result is ⌊x·2^13 / y⌋ / 2^13
 * exactly.
 */
final class DivProbe implements ProbeOperation {
    static final int QUOTIENT_BITS = Division.DEFAULT_QUOTIENT_BITS;
    /** Every compared value X − u − m·2^i·y must stay in DReLU's range: y ≤ Division.maxDivisor(ℓ_D). */
    static final int DIVISOR_BITS = 63 - Long.numberOfLeadingZeros(Division.maxDivisor(QUOTIENT_BITS));

    @Override
    public String name() {
        return "div";
    }

    @Override
    public String summary() {
        return "x / y element-wise, for 0 <= x <= y, y > 0";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public Shape resultShape(Shape[] in, ProbeOptions o) {
        return Shape.requireSame(in, "div", "x and y");
    }

    @Override
    public List<String> checkDomain(long[][] in, Shape[] s, ProbeOptions o) {
        long[] x = in[0], y = in[1];
        for (int i = 0; i < x.length; i++) {
            String problem = y[i] <= 0 ? "y is not positive"
                    : y[i] >= 1L << DIVISOR_BITS ? "y is not below 2^" + (o.raw() ? DIVISOR_BITS
                            : DIVISOR_BITS - FixedPoint.FRAC_BITS + " (2^" + DIVISOR_BITS + " in fixed point)")
                    : x[i] < 0 ? "x is negative"
                    : x[i] > y[i] ? "x is larger than y" : null;
            if (problem != null) {
                throw SecureNnException.badInput("div: at " + ProbeOperations.at(s[0], i) + ", " + problem
                        + " (div needs 0 <= x <= y and y > 0)");
            }
        }
        return List.of();
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int n = s[0].size();
        return measured.protocol(() -> Division.run(ctx, x[0], x[1], n, QUOTIENT_BITS));
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return Division.bytes(session, in[0].size(), QUOTIENT_BITS);
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return Division.rounds(session, QUOTIENT_BITS);
    }
}
