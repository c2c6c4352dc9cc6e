package io.securenn.protocol.division;

import io.securenn.SecureNnException;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Sessions;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DivisionTest {
    /** Largest raw divisor of the documented domain for ℓ_D = 14: 3·2^12·y < 2^62. */
    static final long YMAX = Division.maxDivisor(14);

    static long expected(long x, long y, int bits) {
        if (y == 0) return Division.zeroDivisorResult(bits);
        BigInteger q = BigInteger.valueOf(x).shiftLeft(13).divide(BigInteger.valueOf(y));
        return Math.min(q.longValueExact(), (1L << bits) - 1);
    }

    static void check(Seeded s, long[] x, long[] y, int bits) {
        check(SessionParams.defaults(), s, x, y, bits);
    }

    /** Checks each quotient against BigInteger and the cost against the formula; returns the quotients. */
    static long[] check(SessionParams session, Seeded s, long[] x, long[] y, int bits) {
        int n = x.length;
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(session, s.seed, ctx -> Division.run(ctx, Shares2.mine(xs, ctx.id()),
                Shares2.mine(ys, ctx.id()), n, bits));
        long[] expect = new long[n];
        for (int i = 0; i < n; i++) expect[i] = expected(x[i], y[i], bits);
        long[] q = Shares2.add(out.of(0), out.of(1));
        Check.equal(s, expect, q, i -> x[i] + "/" + y[i] + " (raw)");
        assertThat(out.bytes()).isEqualTo(Division.bytes(session, n, bits));
        assertThat(out.rounds()).isEqualTo(Division.rounds(session, bits));
        assertThat(out.streamsInLockStep()).isTrue();
        return q;
    }

    /** The two DReLU forms give the same quotients on the same shares, each at its own documented cost. */
    @Test
    void bothDReluFormsGiveIdenticalQuotients() {
        long[][] q = new long[2][];
        for (DReluForm form : DReluForm.values()) {
            Seeded s = Seeded.fromEnvOr(1207);   // the same values and shares for both forms
            int n = 1500;
            long[] x = new long[n], y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = 1 + Math.floorMod(s.rnd.nextLong(), i % 2 == 0 ? YMAX : 64 * 8192);
                x[i] = Math.floorMod(s.rnd.nextLong(), y[i] + 1);
            }
            q[form.ordinal()] = check(Sessions.of(form), s, x, y, Division.DEFAULT_QUOTIENT_BITS);
        }
        assertThat(q[1]).isEqualTo(q[0]);
    }

    @Test
    void edgeQuotientsAreExactFloors() {
        Seeded s = Seeded.fromEnvOr(1201);
        long one = 8192;
        long[][] pairs = {{0, 1}, {1, 1}, {0, one}, {one, one}, {1, one}, {one - 1, one}, {3 * one, 3 * one},
                {one, 3 * one}, {Math.round(0.3 * one), Math.round(2.5 * one)}, {5 * one, 7 * one},
                {YMAX, YMAX}, {YMAX - 1, YMAX}, {1, YMAX}, {0, YMAX}, {one, one + 1}, {2, 3}, {Math.round(0.7 * one),
                Math.round(0.7 * one)}};
        long[] x = new long[pairs.length], y = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            x[i] = pairs[i][0];
            y[i] = pairs[i][1];
        }
        check(s, x, y, Division.DEFAULT_QUOTIENT_BITS);
        assertThat(expected(one, one, 14)).isEqualTo(one);                 // 1.0 is representable
        assertThat(expected(Math.round(0.3 * one), Math.round(2.5 * one), 14)).isEqualTo(983);  // spec's 0.12
    }

    /** The values /work/shared/spec/checks/check_division.py prints for version B with ℓ_D = 14 (the oracle). */
    @Test
    void matchesTheSpecOraclesVersionB() {
        Seeded s = Seeded.fromEnvOr(1206);
        long[] x = {8192, Math.round(0.3 * 8192), 8192, 5 * 8192};
        long[] y = {8192, Math.round(2.5 * 8192), 3 * 8192, 7 * 8192};
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(s.seed, ctx -> Division.run(ctx, Shares2.mine(xs, ctx.id()),
                Shares2.mine(ys, ctx.id()), x.length));
        assertThat(Shares2.add(out.of(0), out.of(1))).containsExactly(8192, 983, 2730, 5851);
    }

    @Test
    void zeroDivisorGivesAllQuotientBitsSet() {
        Seeded s = Seeded.fromEnvOr(1202);
        long[] x = {0, 1, 8192, 5 * 8192, YMAX}, y = new long[x.length];
        check(s, x, y, 14);
        assertThat(Division.zeroDivisorResult(14)).isEqualTo(16383);   // 1.9998779296875
    }

    /** 10^5 random quotients (1.4·10^6 DReLUs, the slowest test of the default suite: about 15 s). */
    @Test
    void hundredThousandRandomQuotientsInTheDomain() {
        randomQuotients(Seeded.fromEnvOr(1203), 100_000);
    }

    static void randomQuotients(Seeded s, int n) {
        long[] x = new long[n], y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = switch (i % 3) {      // divisors over three magnitudes, up to the domain's top
                case 0 -> 1 + s.rnd.nextLong(YMAX);
                case 1 -> 1 + s.rnd.nextLong(64 * 8192);
                default -> 1 + s.rnd.nextLong(8192);
            };
            x[i] = s.rnd.nextLong(y[i] + 1);
        }
        check(s, x, y, Division.DEFAULT_QUOTIENT_BITS);
    }

    @Test
    void otherQuotientWidthsAndSaturationAboveTheRange() {
        Seeded s = Seeded.fromEnvOr(1204);
        int n = 500;
        long[] x = new long[n], y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = 1 + s.rnd.nextLong(1 << 20);
            x[i] = s.rnd.nextLong(4 * y[i]);   // quotients up to 4: above 2 they saturate with ℓ_D = 14
        }
        check(s, x, y, 14);
        check(s, x, y, 16);
        check(s, x, y, 13);
    }

    @Test
    @Tag("long")
    void threeHundredThousandRandomQuotients() {
        randomQuotients(Seeded.fromEnvOr(1205), 300_000);
    }

    @Test
    void quotientWidthIsChecked() {
        assertThatThrownBy(() -> Division.run(null, null, null, 1, 0)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("quotient bits");
        assertThatThrownBy(() -> Division.run(null, null, null, 1, 63)).isInstanceOf(SecureNnException.class);
    }

    @Test
    void costPerQuotientBitIsWithinThePapersTable() {
        SessionParams paper = Sessions.paper(), paperByte = Sessions.of(ZpWire.BYTE, DReluForm.PAPER);
        assertThat(Division.bytes(paperByte, 1, 1)).isEqualTo(528).isLessThanOrEqualTo(704);
        assertThat(Division.bytes(paper, 1, 1)).isEqualTo(480);
        // a base-4 digit: DReLU of three values, one triple and one exchange: 1360 B for two bits, under the paper's
        // 2 × 704 with the default 7-bit Z_67; with one-byte Z_67 1504 B, 7 % over, for half the rounds (documented)
        assertThat(Division.bytes(paper, 1, 2)).isEqualTo(1360).isLessThanOrEqualTo(2 * 704);
        assertThat(Division.bytes(paperByte, 1, 2)).isEqualTo(1504);
        // the masked DReLU: 200 (224) B per comparison
        assertThat(Division.bytes(Sessions.masked(), 1, 1)).isEqualTo(240);
        assertThat(Division.bytes(Sessions.masked(), 1, 2)).isEqualTo(640);
        assertThat(Division.bytes(Sessions.of(ZpWire.BYTE, DReluForm.MASKED), 1, 2)).isEqualTo(712);
        for (ZpWire w : ZpWire.values()) {
            for (DReluForm f : DReluForm.values()) {
                SessionParams p = Sessions.of(w, f);
                assertThat(Division.bytes(p, 3, 14)).isEqualTo(3 * 7 * Division.bytes(p, 1, 2));
                assertThat(Division.bytes(p, 3, 15)).isEqualTo(3 * 7 * Division.bytes(p, 1, 2) + 3 * Division.bytes(p, 1, 1));
            }
        }
        assertThat(Division.rounds(paper, 1)).isEqualTo(9);
        assertThat(Division.rounds(paper, 2)).isEqualTo(9);
        assertThat(Division.rounds(paper, 14)).isEqualTo(63);
        assertThat(Division.rounds(paper, 15)).isEqualTo(72);
        assertThat(Division.rounds(Sessions.masked(), 14)).isEqualTo(29);   // 5 + 6 · 4: each next dealing travels ahead
    }
}
