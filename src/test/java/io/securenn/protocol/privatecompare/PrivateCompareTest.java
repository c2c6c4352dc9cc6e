package io.securenn.protocol.privatecompare;

import io.securenn.ring.Ring64;
import io.securenn.ring.Zp;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.securenn.ring.ZpWire.PACKED7;
import static org.assertj.core.api.Assertions.assertThat;

class PrivateCompareTest {
    static final long L1 = -1L; // 2^64 − 1

    /** Z_67 shares of the bits of each x, MSB first: {P0's, P1's}. */
    static byte[][] bitShares(long[] x, Seeded s) {
        byte[] a = new byte[x.length * 64], b = new byte[x.length * 64];
        for (int e = 0; e < x.length; e++)
            for (int k = 0; k < 64; k++) {
                int i = e * 64 + k;
                a[i] = (byte) s.rnd.nextInt(Zp.P);
                b[i] = (byte) Zp.sub(Ring64.bitMsbFirst(x[e], k), a[i]);
            }
        return new byte[][] {a, b};
    }

    record Case(long[] x, long[] r, long[] beta) {
        int n() {
            return x.length;
        }
    }

    static Case edgeCases(Seeded s) {
        long[] xs = {0, 1, 2, -2, L1, 1L << 63, (1L << 63) - 1, 0x5555_5555_5555_5555L, s.rnd.nextLong()};
        List<long[]> rows = new ArrayList<>();
        for (long x : xs) {
            long[] rs = {0, 1, -2, L1, x, x - 1, x + 1, x ^ 1, x ^ (1L << 63), s.rnd.nextLong()};
            for (long r : rs) for (long b = 0; b < 2; b++) rows.add(new long[] {x, r, b});
        }
        return fromRows(rows);
    }

    static Case fromRows(List<long[]> rows) {
        int n = rows.size();
        long[] x = new long[n], r = new long[n], b = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = rows.get(i)[0];
            r[i] = rows.get(i)[1];
            b[i] = rows.get(i)[2];
        }
        return new Case(x, r, b);
    }

    /** Random x and r, a third of them sharing a long common prefix (the hard cases for the c vector). */
    static Case randomCases(Seeded s, int n) {
        long[] x = s.longs(n), r = s.longs(n), b = new long[n];
        for (int i = 0; i < n; i++) {
            b[i] = s.rnd.nextInt(2);
            if (i % 3 == 0) r[i] = x[i] ^ (1L << s.rnd.nextInt(64));
            if (i % 97 == 0) r[i] = L1;
            if (i % 89 == 0) r[i] = x[i];
        }
        return new Case(x, r, b);
    }

    static SeededCluster.Outcome<long[]> run(long seed, Case c, byte[][] sh) {
        return SeededCluster.run(seed, ctx -> PrivateCompare.run(ctx, ctx.isHelper() ? null : sh[ctx.id()],
                ctx.isHelper() ? null : c.r(), ctx.isHelper() ? null : c.beta(), c.n()));
    }

    static void assertCorrect(Seeded s, Case c, long[] got) {
        long[] expect = new long[c.n()];
        for (int i = 0; i < c.n(); i++) expect[i] = c.beta()[i] ^ Ring64.greaterUnsigned(c.x()[i], c.r()[i]);
        Check.equal(s, expect, got, i -> "x=" + Long.toUnsignedString(c.x()[i]) + " r="
                + Long.toUnsignedString(c.r()[i]) + " beta=" + c.beta()[i]);
    }

    @Test
    void edgeInputsIncludingBothBranchesOfRAllOnes() {
        Seeded s = Seeded.fromEnvOr(301);
        Case c = edgeCases(s);
        var out = run(s.seed, c, bitShares(c.x(), s));
        assertCorrect(s, c, out.of(PartyContext.P2));
        assertThat(out.of(0)).isEmpty();
    }

    @Test
    void hundredThousandRandomComparisonsCostTheFormula() {
        Seeded s = Seeded.fromEnvOr(302);
        int n = 100_000;
        Case c = randomCases(s, n);
        var out = run(s.seed, c, bitShares(c.x(), s));
        assertCorrect(s, c, out.of(PartyContext.P2));
        assertThat(out.bytes()).isEqualTo(PrivateCompare.bytes(PACKED7, n));
        assertThat(out.rounds()).isEqualTo(PrivateCompare.rounds()).isEqualTo(1);
        assertThat(out.streamsInLockStep()).isTrue();
    }

    @Test
    void outputIsResharedInEitherRing() {
        Seeded s = Seeded.fromEnvOr(303);
        int n = 2000;
        Case c = randomCases(s, n);
        byte[][] sh = bitShares(c.x(), s);
        for (var ring : PrivateCompare.OutputRing.values()) {
            var out = SeededCluster.run(s.seed, ctx -> {
                long[] bp = PrivateCompare.run(ctx, ctx.isHelper() ? null : sh[ctx.id()],
                        ctx.isHelper() ? null : c.r(), ctx.isHelper() ? null : c.beta(), n);
                return PrivateCompare.shareOutput(ctx, ctx.isHelper() ? bp : null, n, ring);
            });
            long[] got = ring == PrivateCompare.OutputRing.Z_L ? Shares2.add(out.of(0), out.of(1))
                    : Shares2.addOdd(out.of(0), out.of(1));
            assertCorrect(s, c, got);
            assertThat(out.bytes()).isEqualTo(PrivateCompare.bytes(PACKED7, n) + PrivateCompare.shareOutputBytes(n));
            assertThat(out.rounds()).isEqualTo(2);
            assertThat(out.streamsInLockStep()).isTrue();
        }
    }
}
