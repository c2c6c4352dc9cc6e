package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** SGD's update rule, plain and with heavy-ball momentum, on the float64 reference and the fixed-point twin. */
class SgdMomentumTest {
    private static final int N = 64, STEPS = 5, LR = 3, M = 2, LOG_B = 0;

    /** v ← μv + g, W ← W − αv, computed by hand in double. */
    private static double[] expected(double[] w0, double[][] g) {
        double mu = 1 - Math.pow(2, -M), alpha = Math.pow(2, -LR);
        double[] w = w0.clone(), v = new double[w0.length];
        for (double[] gs : g) {
            for (int i = 0; i < w.length; i++) {
                v[i] = mu * v[i] + gs[i];
                w[i] -= alpha * v[i];
            }
        }
        return w;
    }

    private static double[][] gradients(Seeded s) {
        double[][] g = new double[STEPS][N];
        for (double[] row : g) {
            for (int i = 0; i < N; i++) row[i] = switch (i % 4) {
                case 0 -> 0;                                   // no gradient: only the velocity moves the weight
                case 1 -> FixedPoint.decode(i % 8 == 1 ? 1 : -1); // ±2^-13, the smallest step
                default -> (s.rnd.nextDouble() * 2 - 1) * 3;
            };
        }
        return g;
    }

    @Test
    void floatReferenceIsHeavyBallMomentum() {
        Seeded s = Seeded.fromEnvOr(11);
        double[][] g = gradients(s);
        double[] w0 = new double[N];
        for (int i = 0; i < N; i++) w0[i] = s.rnd.nextDouble() - 0.5;
        FloatBackend be = new FloatBackend();
        Parameter<double[]> p = new Parameter<>("w", new int[] {N}, w0.clone());
        p.startVelocity(be);
        Sgd sgd = new Sgd(LR, LOG_B, M);
        assertThat(sgd.shift()).as("the product keeps the gradient's scale; α comes after the velocity").isEqualTo(LOG_B);
        for (double[] gs : g) sgd.apply(be, p, gs.clone());
        double[] want = expected(w0, g);
        for (int i = 0; i < N; i++) assertThat(p.value()[i]).as(s.msg("w[" + i + "]")).isCloseTo(want[i], within(1e-12));
    }

    @Test
    void twinMomentumIsTheFloatOneUpToTruncationNoise() {
        Seeded s = Seeded.fromEnvOr(12);
        double[][] g = gradients(s);
        long[] w0 = new long[N];
        double[] w0d = new double[N];
        for (int i = 0; i < N; i++) {
            w0[i] = FixedPoint.encode(s.rnd.nextDouble() - 0.5);
            w0d[i] = FixedPoint.decode(w0[i]);
        }
        try (PlainFixedBackend be = new PlainFixedBackend(s.seed)) {
            Parameter<long[]> p = new Parameter<>("w", new int[] {N}, w0.clone());
            p.startVelocity(be);
            assertThat(p.velocity().value()).as("velocity starts at zero").containsOnly(0L);
            Sgd sgd = new Sgd(LR, LOG_B, M);
            for (double[] gs : g) {
                long[] enc = new long[N];
                for (int i = 0; i < N; i++) enc[i] = FixedPoint.encode(gs[i]);
                sgd.apply(be, p, enc);
            }
            double[] want = expected(w0d, g);
            for (int i = 0; i < N; i++) {
                // each truncation is off by < 1 ulp; 2 per step, the velocity's errors summed over 5 steps
                assertThat(FixedPoint.decode(p.value()[i])).as(s.msg("w[" + i + "]")).isCloseTo(want[i], within(20 * 0x1p-13));
            }
        }
    }

    @Test
    void plainSgdSubtractsTheStepAndKeepsNoVelocity() {
        FloatBackend be = new FloatBackend();
        Parameter<double[]> p = new Parameter<>("w", new int[] {2}, new double[] {1, -1});
        Sgd sgd = new Sgd(5, 7);
        assertThat(sgd.momentum()).isFalse();
        assertThat(sgd.shift()).isEqualTo(12);
        sgd.apply(be, p, new double[] {0.25, -0.5});
        assertThat(p.value()).containsExactly(0.75, -0.5);
        assertThat(p.velocity()).isNull();
        // momentum without a velocity is a programming error, not a silent plain step
        Sgd withMomentum = new Sgd(5, 7, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withMomentum.apply(be, p, new double[2]))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void masterWeightsKeepStepsBelowOneUlp() {
        // a constant step of 1/16 ulp for 64 steps must move W by 4 ulps: plain fixed point gets there only by
        // stochastic rounding (noisy), the master copy with 7 more bits exactly
        int n = 4096;
        long[] w0 = new long[n];
        try (PlainFixedBackend be = new PlainFixedBackend(3)) {
            Parameter<long[]> p = new Parameter<>("w", new int[] {n}, w0.clone());
            p.startMaster(be, 7);
            assertThat(p.master().value()).containsOnly(0L);
            Sgd sgd = new Sgd(0, 7, 0, 7);
            assertThat(sgd.shift()).isZero();
            long[] step = new long[n];
            java.util.Arrays.fill(step, 8);   // 8 / 2^7 = 1/16 ulp in the master's units
            for (int i = 0; i < 64; i++) sgd.apply(be, p, step.clone());
            for (int i = 0; i < n; i++) {
                assertThat(p.master().value()[i]).isEqualTo(-512L);
                assertThat(p.value()[i]).as("w[" + i + "]").isEqualTo(-4L);
            }
        }
    }

    @Test
    void masterBitsAreBoundedByTheBitsTheStepDrops() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Sgd(5, 7, 3, 8))
                .isInstanceOf(io.securenn.SecureNnException.class).hasMessageContaining("--master-bits");
        assertThat(new Sgd(5, 7, 0, 12).shift()).isZero();
        assertThat(new Sgd(5, 7, 3, 7).shift()).isZero();
    }
}
