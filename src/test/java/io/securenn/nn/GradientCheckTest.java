package io.securenn.nn;

import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The float64 reference's backward pass against central finite differences of L = Σ G ⊙ layer(x) for each layer
 * type: the input gradient δ_in, and the weight and bias gradients read off an SGD step with learning rate 1 and
 * batch 1 (W_before − W_after = ∂L/∂W).
 */
class GradientCheckTest {
    private static final double EPS = 1e-6, TOL = 1e-6;
    private final FloatBackend be = new FloatBackend();

    private static double[] random(Seeded s, int n, double bound) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = (s.rnd.nextDouble() * 2 - 1) * bound;
        return r;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Central differences of loss(v) with respect to every element of v. */
    private static double[] numeric(double[] v, Function<double[], Double> loss) {
        double[] g = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double keep = v[i];
            v[i] = keep + EPS;
            double up = loss.apply(v);
            v[i] = keep - EPS;
            double down = loss.apply(v);
            v[i] = keep;
            g[i] = (up - down) / (2 * EPS);
        }
        return g;
    }

    private static void assertGradient(double[] analytic, double[] numeric, String what, Seeded s) {
        assertThat(LayerHarness.maxAbsDiff(analytic, numeric)).as(s.msg(what)).isLessThan(TOL * 100);
        double norm = Math.sqrt(dot(numeric, numeric));
        assertThat(norm).as(what + " is not trivially zero").isGreaterThan(1e-3);
    }

    private static double[] minus(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    @Test
    void fullyConnected() {
        Seeded s = Seeded.fromEnvOr(61);
        int batch = 3, in = 7, out = 5;
        double[] w = random(s, in * out, 1), b = random(s, out, 1), x = random(s, batch * in, 1), g = random(s, batch * out, 1);
        var fc = new GemmLayer<>(be, in, out, "fc", w.clone(), b.clone());
        fc.forward(x, batch, true);
        double[] dIn = fc.backward(g, batch, new Sgd(0, 0), true);
        assertGradient(dIn, numeric(x.clone(), v -> dot(g, new GemmLayer<>(be, in, out, "f", w, b).forward(v, batch, false))), "δ_in", s);
        assertGradient(minus(w, fc.parameters().get(0).value()),
                numeric(w.clone(), v -> dot(g, new GemmLayer<>(be, in, out, "f", v, b).forward(x, batch, false))), "∂L/∂W", s);
        assertGradient(minus(b, fc.parameters().get(1).value()),
                numeric(b.clone(), v -> dot(g, new GemmLayer<>(be, in, out, "f", w, v).forward(x, batch, false))), "∂L/∂b", s);
    }

    @ParameterizedTest
    @CsvSource({"2,2,6,6,3,3,1,0", "1,3,7,7,2,3,2,1", "2,1,9,9,4,5,2,2"})
    void conv2d(int batch, int c, int h, int wd, int d, int f, int stride, int pad) {
        Seeded s = Seeded.fromEnvOr(70L + c + h + d + f + stride + pad);
        double[] w = random(s, c * f * f * d, 1), b = random(s, d, 1);
        var conv = new ConvLayer<>(be, c, h, wd, d, f, stride, pad, "c", w.clone(), b.clone());
        double[] x = random(s, batch * conv.inputSize(), 1), g = random(s, batch * conv.outputSize(), 1);
        conv.forward(x, batch, true);
        double[] dIn = conv.backward(g, batch, new Sgd(0, 0), true);
        assertGradient(dIn, numeric(x.clone(), v -> dot(g, new ConvLayer<>(be, c, h, wd, d, f, stride, pad, "c", w, b).forward(v, batch, false))), "δ_in", s);
        assertGradient(minus(w, conv.parameters().get(0).value()),
                numeric(w.clone(), v -> dot(g, new ConvLayer<>(be, c, h, wd, d, f, stride, pad, "c", v, b).forward(x, batch, false))), "∂L/∂W", s);
        assertGradient(minus(b, conv.parameters().get(1).value()),
                numeric(b.clone(), v -> dot(g, new ConvLayer<>(be, c, h, wd, d, f, stride, pad, "c", w, v).forward(x, batch, false))), "∂L/∂b", s);
    }

    @Test
    void relu() {
        Seeded s = Seeded.fromEnvOr(81);
        double[] x = random(s, 40, 1), g = random(s, 40, 1);
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i]) < 1e-3) x[i] = 0.5; // away from the kink
        var r = new ReluLayer<>(be, 20);
        r.forward(x, 2, true);
        assertGradient(r.backward(g, 2, new Sgd(0, 0), true),
                numeric(x.clone(), v -> dot(g, new ReluLayer<>(be, 20).forward(v, 2, false))), "δ_in", s);
    }

    @ParameterizedTest
    @CsvSource({"2,8,8,2,2", "3,7,7,3,2"})
    void maxPool(int c, int h, int w, int win, int stride) {
        Seeded s = Seeded.fromEnvOr(90L + c + h + win + stride);
        int batch = 2;
        var mp = new MaxPoolLayer<>(be, c, h, w, win, stride);
        double[] x = random(s, batch * mp.inputSize(), 1), g = random(s, batch * mp.outputSize(), 1);
        mp.forward(x, batch, true);
        assertGradient(mp.backward(g, batch, new Sgd(0, 0), true),
                numeric(x.clone(), v -> dot(g, new MaxPoolLayer<>(be, c, h, w, win, stride).forward(v, batch, false))), "δ_in", s);
    }

    @Test
    void squareLossDeltaIsItsGradient() {
        Seeded s = Seeded.fromEnvOr(95);
        double[] z = random(s, 2 * 10, 2), y = new double[20];
        y[3] = 1;
        y[17] = 1;
        double[] delta = Loss.SQUARE.delta(be, z, y, 2, 10);
        assertGradient(delta, numeric(z.clone(), v -> {
            double l = 0;
            for (int i = 0; i < v.length; i++) l += 0.5 * (v[i] - y[i]) * (v[i] - y[i]);
            return l;
        }), "δ of ½‖z − y‖²", s);
    }
}
