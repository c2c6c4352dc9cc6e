package io.securenn.ring;

import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RingArithmeticTest {
    static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);
    static final BigInteger ODD = TWO64.subtract(BigInteger.ONE);
    static final long[] EDGES = {0, 1, -1, 2, -2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
            Long.MIN_VALUE + 1, 1L << 13, -(1L << 13), 0xFFFFFFFFL, 1L << 62};

    static BigInteger u(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    long[] values(Seeded s) {
        long[] r = new long[EDGES.length + 2000];
        System.arraycopy(EDGES, 0, r, 0, EDGES.length);
        for (int i = EDGES.length; i < r.length; i++) r[i] = s.rnd.nextLong();
        return r;
    }

    @Test
    void z2e64WrapAndBitsMatchBigInteger() {
        Seeded s = Seeded.fromEnvOr(11);
        long[] vs = values(s);
        for (long a : vs)
            for (int k = 0; k < 40; k++) {
                long b = vs[s.rnd.nextInt(vs.length)];
                boolean carry = u(a).add(u(b)).compareTo(TWO64) >= 0;
                assertThat(Ring64.wrap(a, b)).as(s.msg("wrap " + a + " " + b)).isEqualTo(carry ? 1 : 0);
                assertThat(u(a + b)).isEqualTo(u(a).add(u(b)).mod(TWO64));
                assertThat(u(a * b)).isEqualTo(u(a).multiply(u(b)).mod(TWO64));
                assertThat(Ring64.greaterUnsigned(a, b)).isEqualTo(u(a).compareTo(u(b)) > 0 ? 1 : 0);
            }
        for (long a : vs)
            for (int k = 0; k < 64; k++)
                assertThat(Ring64.bitMsbFirst(a, k)).isEqualTo(u(a).testBit(63 - k) ? 1 : 0);
    }

    @Test
    void oddRingMatchesBigInteger() {
        Seeded s = Seeded.fromEnvOr(12);
        long[] vs = values(s);
        for (long a : vs)
            for (int k = 0; k < 40; k++) {
                long b = vs[s.rnd.nextInt(vs.length)];
                BigInteger ea = u(a).mod(ODD), eb = u(b).mod(ODD);
                long sum = OddRing.add(a, b);
                assertThat(u(sum)).as(s.msg("odd add " + a + " " + b)).isEqualTo(ea.add(eb).mod(ODD));
                assertThat(sum).isNotEqualTo(-1L);
                assertThat(u(OddRing.sub(a, b))).as(s.msg("odd sub")).isEqualTo(ea.subtract(eb).mod(ODD));
            }
        for (long a : vs) {
            BigInteger ea = u(a).mod(ODD);
            assertThat(u(OddRing.neg(a))).isEqualTo(ea.negate().mod(ODD));
            assertThat(u(OddRing.dbl(a))).as(s.msg("double " + a)).isEqualTo(ea.shiftLeft(1).mod(ODD));
            assertThat(u(OddRing.reduce(a))).isEqualTo(ea);
            assertThat(u(OddRing.mulSmall(a, 67))).isEqualTo(ea.multiply(BigInteger.valueOf(67)).mod(ODD));
        }
        // 2^64 - 2 is the largest canonical element; + 1 wraps to 0
        assertThat(OddRing.add(OddRing.MAX, 1)).isZero();
        assertThat(OddRing.add(-1L, -1L)).isZero();
    }

    @Test
    void zpArithmetic() {
        for (int a = 0; a < Zp.P; a++)
            for (int b = 0; b < Zp.P; b++) {
                assertThat(Zp.add(a, b)).isEqualTo((a + b) % 67);
                assertThat(Zp.sub(a, b)).isEqualTo(Math.floorMod(a - b, 67));
                assertThat(Zp.mul(a, b)).isEqualTo(a * b % 67);
            }
        assertThat(Zp.mod(-1)).isEqualTo(66);
    }

    @Test
    void fixedPointEncodesWithRoundingAndDecodesExactly() {
        assertThat(FixedPoint.encode(1.0)).isEqualTo(8192);
        assertThat(FixedPoint.encode(-1.0)).isEqualTo(-8192);
        assertThat(FixedPoint.encode(1.0 / 8192)).isEqualTo(1);
        assertThat(FixedPoint.encode(-1.0 / 8192)).isEqualTo(-1);
        assertThat(FixedPoint.encode(0.6 / 8192)).isEqualTo(1);
        assertThat(FixedPoint.encode(4.0)).isEqualTo(1L << 15);
        assertThat(FixedPoint.decode(-8192)).isEqualTo(-1.0);
        assertThat(FixedPoint.toExactDecimal(1)).isEqualTo("0.0001220703125");
        assertThat(FixedPoint.toExactDecimal(-8192 * 3)).isEqualTo("-3");
        assertThat(FixedPoint.parseExact("0.0001220703125")).isEqualTo(1);
        assertThat(FixedPoint.parseExact("-2.5")).isEqualTo(-20480);
        Seeded s = Seeded.fromEnvOr(13);
        for (int i = 0; i < 10000; i++) {
            long v = s.rnd.nextLong(-(1L << 50), 1L << 50);
            assertThat(FixedPoint.encode(FixedPoint.decode(v))).isEqualTo(v);
            assertThat(FixedPoint.parseExact(FixedPoint.toExactDecimal(v))).isEqualTo(v);
        }
    }

    @Test
    void truncationOfSharesIsFloorOrFloorPlusOne() {
        Seeded s = Seeded.fromEnvOr(14);
        long[] xs = {0, 1, -1, 8191, -8191, 8192, -8192, 1L << 40, -(1L << 40), (1L << 40) - 1};
        for (int it = 0; it < 20000; it++) {
            long x = it < xs.length ? xs[it] : s.rnd.nextLong(-(1L << 40), 1L << 40);
            long r = s.rnd.nextLong();
            long a0 = x - r, a1 = r;
            long t = Truncation.truncateShare(a0, 13, 0) + Truncation.truncateShare(a1, 13, 1);
            long floor = Math.floorDiv(x, 8192);
            assertThat(t - floor).as(s.msg("truncation of " + x)).isBetween(0L, 1L);
        }
    }
}
