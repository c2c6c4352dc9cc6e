package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PlainProtocolsTest {

    @Test
    void dreluIsOneForNonNegativeIncludingZero() {
        assertThat(PlainProtocols.drelu(0)).isEqualTo(1);
        assertThat(PlainProtocols.drelu(1)).isEqualTo(1);
        assertThat(PlainProtocols.drelu(-1)).isEqualTo(0);
        assertThat(PlainProtocols.drelu(FixedPoint.ONE)).isEqualTo(1);
        assertThat(PlainProtocols.drelu(-FixedPoint.ONE)).isEqualTo(0);
        assertThat(PlainProtocols.drelu((1L << 62) - 1)).isEqualTo(1);
        assertThat(PlainProtocols.drelu(-(1L << 62))).isEqualTo(0);
        // outside the range assumption DReLU is 1 − MSB(2a), not the sign: documented protocol behaviour
        assertThat(PlainProtocols.drelu(1L << 62)).isEqualTo(0);
    }

    @Test
    void maxKeepsTheEarlierIndexOnTiesAndMatchesAScan() {
        long[] x = {5, 7, 7, 1, /* */ -3, -3, -3, -3, /* */ 0, -1, 0, 2};
        long[] max = new long[3], ind = new long[3];
        PlainProtocols.max(x, 3, 4, max, ind);
        assertThat(max).containsExactly(7, -3, 2);
        assertThat(ind).containsExactly(1, 0, 3);

        Seeded s = Seeded.fromEnvOr(11);
        int count = 200, n = 9;
        long[] r = s.fixed(count * n, 100);
        for (int i = 0; i < r.length; i += 7) r[i] = r[i / 2]; // plant repeated values
        long[] m = new long[count], k = new long[count];
        PlainProtocols.max(r, count, n, m, k);
        for (int w = 0; w < count; w++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (r[w * n + i] > r[w * n + best]) best = i;
            assertThat(k[w]).as(s.msg("argmax of window " + w)).isEqualTo(best);
            assertThat(m[w]).as(s.msg("max of window " + w)).isEqualTo(r[w * n + best]);
        }
    }

    @Test
    void divisionIsTheFlooredFixedPointQuotient() {
        Seeded s = Seeded.fromEnvOr(12);
        for (int t = 0; t < 20000; t++) {
            long y = 1 + (s.rnd.nextLong() >>> (16 + s.rnd.nextInt(47))); // y < 2^48: inside the domain
            long x = (long) (s.rnd.nextDouble() * 2 * y); // 0 ≤ x < 2y
            if (t % 5 == 0) x = y;
            long expect = BigInteger.valueOf(x).shiftLeft(13).divide(BigInteger.valueOf(y)).longValueExact();
            assertThat(PlainProtocols.divide(x, y)).as(s.msg(x + "/" + y)).isEqualTo(expect);
        }
        assertThat(PlainProtocols.divide(FixedPoint.ONE, FixedPoint.ONE)).isEqualTo(FixedPoint.ONE);
        assertThat(PlainProtocols.divide(0, 1)).isZero();
        assertThat(PlainProtocols.divide(3, 4 * FixedPoint.ONE + 1)).isZero();
    }

    @Test
    void divisionByZeroAndOverflowSaturate() {
        long all = (1L << PlainProtocols.DIVISION_BITS) - 1;
        assertThat(PlainProtocols.divide(0, 0)).isEqualTo(all);
        assertThat(PlainProtocols.divide(FixedPoint.ONE, 0)).isEqualTo(all);
        assertThat(PlainProtocols.divide(5 * FixedPoint.ONE, FixedPoint.ONE)).isEqualTo(all); // quotient ≥ 2
    }

    @Test
    void oneHotMarksTheIndex() {
        assertThat(PlainProtocols.oneHot(new long[] {2, 0}, 4)).containsExactly(0, 0, 1, 0, 1, 0, 0, 0);
    }
}
