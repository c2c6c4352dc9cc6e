package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LossTest {
    private static final long ONE = FixedPoint.ONE;

    @Test
    void asmWhenEveryReluIsZeroGivesZeroAndDeltaMinusY() {
        // all logits ≤ 0 (including exactly 0): the divisor is ε alone, every ASM_i = 0/ε = 0
        long[] z = {-ONE, -5, 0, -3 * ONE, -1, -ONE / 2, 0, -7, -ONE, -2 * ONE};
        long[] y = new long[10];
        y[4] = ONE;
        PlainFixedBackend twin = new PlainFixedBackend(1);
        assertThat(Loss.asm(twin, z, 1, 10)).containsOnly(0L);
        long[] delta = Loss.ASM.delta(twin, z, y, 1, 10);
        long[] minusY = y.clone();
        for (int i = 0; i < 10; i++) minusY[i] = -y[i];
        assertThat(delta).containsExactly(minusY);
        // the float reference agrees
        FloatBackend fl = new FloatBackend();
        double[] dz = FixedPoint.decode(z), dy = FixedPoint.decode(y);
        assertThat(Loss.asm(fl, dz, 1, 10)).containsOnly(0.0);
        assertThat(Loss.ASM.delta(fl, dz, dy, 1, 10)[4]).isEqualTo(-1.0);
    }

    @Test
    void asmAllZeroStateRecoversByRaisingTheTrueLogit() {
        // one FC layer whose outputs are all negative: an SGD step with δ = −y must raise the true class's logit
        PlainFixedBackend be = new PlainFixedBackend(3);
        int in = 4, out = 10;
        long[] w = new long[in * out];
        long[] b = new long[out];
        java.util.Arrays.fill(b, -ONE);
        long[] x = {ONE, ONE / 2, ONE / 4, ONE};
        long[] y = new long[out];
        y[6] = ONE;
        GemmLayer<long[]> fc = new GemmLayer<>(be, in, out, "fc", w, b);
        long[] z0 = fc.forward(x, 1, true);
        long[] delta = Loss.ASM.delta(be, z0, y, 1, out);
        fc.backward(delta, 1, new Sgd(2, 0), false);
        long[] z1 = fc.forward(x, 1, false);
        assertThat(z1[6]).isGreaterThan(z0[6]);
        for (int i = 0; i < out; i++) if (i != 6) assertThat(z1[i]).isEqualTo(z0[i]);
    }

    @Test
    void asmMatchesTheRealQuotientWithinFixedPointError() {
        Seeded s = Seeded.fromEnvOr(101);
        int batch = 16;
        long[] z = s.fixed(batch * 10, 3);
        long[] twin = Loss.asm(new PlainFixedBackend(2), z, batch, 10);
        double[] ref = Loss.asm(new FloatBackend(), FixedPoint.decode(z), batch, 10);
        for (int r = 0; r < batch; r++) {
            double sum = 0;
            for (int i = 0; i < 10; i++) {
                double t = FixedPoint.decode(twin[r * 10 + i]);
                // floor division by the sum + ε: at most 1 ulp below the real quotient plus ε's effect
                assertThat(t).as(s.msg("row " + r + " class " + i)).isCloseTo(ref[r * 10 + i], within(2.0 / ONE));
                assertThat(t).isLessThanOrEqualTo(ref[r * 10 + i] + 1e-12);
                sum += t;
            }
            if (sum > 0) assertThat(sum).isCloseTo(1.0, within(10.0 / ONE));
        }
    }

    @Test
    void asmOfASingleHugeLogitIsOne() {
        long[] z = new long[10];
        java.util.Arrays.fill(z, -ONE);
        z[2] = 100 * ONE;
        long[] a = Loss.asm(new PlainFixedBackend(4), z, 1, 10);
        assertThat(a[2]).isBetween(ONE - 1, ONE); // 100 / (100 + 2^-13), floored
    }

    @Test
    void squareDeltaIsZMinusY() {
        long[] z = {3, -ONE, ONE, 0};
        long[] y = {0, 0, ONE, 0};
        assertThat(Loss.SQUARE.delta(new PlainFixedBackend(1), z, y, 2, 2)).containsExactly(3, -ONE, 0, 0);
    }

    @Test
    void parsesNames() {
        assertThat(Loss.parse("ASM")).isEqualTo(Loss.ASM);
        assertThat(Loss.parse("square")).isEqualTo(Loss.SQUARE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Loss.parse("softmax"))
                .isInstanceOf(io.securenn.SecureNnException.class).hasMessageContaining("asm, square or hinge");
    }

    /** The squared hinge's δ by its definition: true class min(z − 1, 0), others max(z, 0). */
    private static double hinge(double z, boolean truth) {
        return truth ? Math.min(z - 1, 0) : Math.max(z, 0);
    }

    @Test
    void hingeDeltaIsZeroWhereTheMarginsHoldAndTheSquareLossElsewhere() {
        Seeded s = Seeded.fromEnvOr(303);
        int batch = 8, classes = 10;
        long[] z = s.fixed(batch * classes, 3);
        // edge logits: exactly at the margins, one ulp either side, 0, and large values of both signs
        long[] edges = {0, ONE, 1, -1, ONE + 1, ONE - 1, 40 * ONE, -40 * ONE, ONE / 2, -ONE};
        System.arraycopy(edges, 0, z, 0, edges.length);
        System.arraycopy(edges, 0, z, 10, edges.length);
        long[] y = new long[batch * classes];
        for (int b = 0; b < batch; b++) y[b * classes + (b < 2 ? 1 + 4 * b : s.rnd.nextInt(classes))] = ONE;
        long[] twin = Loss.HINGE.delta(new PlainFixedBackend(5), z, y, batch, classes);
        double[] fl = Loss.HINGE.delta(new FloatBackend(), FixedPoint.decode(z), FixedPoint.decode(y), batch, classes);
        int zeros = 0;
        for (int i = 0; i < z.length; i++) {
            double want = hinge(FixedPoint.decode(z[i]), y[i] == ONE);
            assertThat(fl[i]).as(s.msg("float δ[" + i + "]")).isCloseTo(want, within(1e-12));
            // the product by the one-hot truncates once: at most one ulp off
            assertThat(FixedPoint.decode(twin[i])).as(s.msg("twin δ[" + i + "]")).isCloseTo(want, within(0x1p-13));
            if (want == 0) {
                zeros++;
                if (y[i] == 0) assertThat(twin[i]).as(s.msg("satisfied wrong-class margin: exactly 0")).isZero();
            }
        }
        assertThat(zeros).as("some margins hold").isGreaterThan(5);
        assertThat(Loss.parse("hinge")).isEqualTo(Loss.HINGE);
    }
}
