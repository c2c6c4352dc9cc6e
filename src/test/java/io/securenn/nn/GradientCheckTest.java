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

    // ---- the layers open models add: float64 backward against finite differences, the twin against float64

    private static double[] fixedRandom(Seeded s, int n, double bound) {
        // values on the fixed-point grid, so the twin and the float reference start from the same numbers
        return io.securenn.ring.FixedPoint.decode(s.fixed(n, bound));
    }

    /** The twin's forward, δ_in and updated parameters within {@code ulps} of the float reference's. */
    private static void twinTracksFloat(LayerHarness.Factory f, double[][] params, double[] x, double[] g, int batch,
                                        double ulps, Seeded s) {
        long[][] p = new long[params.length][];
        for (int i = 0; i < params.length; i++) p[i] = io.securenn.ring.FixedPoint.encode(params[i]);
        long[] xf = io.securenn.ring.FixedPoint.encode(x), gf = io.securenn.ring.FixedPoint.encode(g);
        var twin = LayerHarness.run(new PlainFixedBackend(s.seed), f, p, xf, gf, batch, new Sgd(0, 0));
        var ref = LayerHarness.run(new FloatBackend(), f, p, xf, gf, batch, new Sgd(0, 0));
        double ulp = 1.0 / io.securenn.ring.FixedPoint.ONE;
        assertThat(LayerHarness.maxAbsDiff(twin.out(), ref.out())).as(s.msg("forward, twin vs float")).isLessThanOrEqualTo(ulps * ulp);
        assertThat(LayerHarness.maxAbsDiff(twin.deltaIn(), ref.deltaIn())).as(s.msg("δ_in, twin vs float")).isLessThanOrEqualTo(ulps * ulp);
        for (int i = 0; i < params.length; i++) {
            assertThat(LayerHarness.maxAbsDiff(twin.paramsAfter().get(i), ref.paramsAfter().get(i)))
                    .as(s.msg("parameter " + i + " after the step, twin vs float")).isLessThanOrEqualTo(ulps * ulp);
        }
    }

    @ParameterizedTest
    @CsvSource({
            // c, h, w, d, kh, kw, sh, sw, top, left, bottom, right, bias
            "2, 6, 7, 3, 3, 2, 1, 2, 1, 0, 2, 1, true",
            "1, 5, 5, 2, 1, 3, 2, 1, 0, 2, 0, 0, false",
            "3, 7, 4, 2, 4, 4, 3, 2, 2, 1, 1, 2, true"})
    void generalConv(int c, int h, int wd, int d, int kh, int kw, int sh, int sw, int top, int left, int bottom, int right,
                     boolean bias) {
        Seeded s = Seeded.fromEnvOr(7600L + c * 31 + h * 7 + wd + d + kh * 3 + kw + sh + sw + top + left + bottom + right);
        int batch = 2;
        io.securenn.tensor.ConvGeometry geo = new io.securenn.tensor.ConvGeometry(1, c, h, wd, kh, kw, sh, sw, top, left, bottom, right);
        int k = c * kh * kw;
        double[] w = fixedRandom(s, k * d, 1), b = bias ? fixedRandom(s, d, 1) : null;
        java.util.function.BiFunction<double[], double[], ConvLayer<double[]>> make = (ww, bb) -> new ConvLayer<>(be, geo, d, "c", ww, bb);
        ConvLayer<double[]> conv = make.apply(w.clone(), bias ? b.clone() : null);
        double[] x = fixedRandom(s, batch * conv.inputSize(), 1), g = fixedRandom(s, batch * conv.outputSize(), 1);
        conv.forward(x, batch, true);
        double[] dIn = conv.backward(g, batch, new Sgd(0, 0), true);
        assertGradient(dIn, numeric(x.clone(), v -> dot(g, make.apply(w, b).forward(v, batch, false))), "δ_in", s);
        assertGradient(minus(w, conv.parameters().get(0).value()),
                numeric(w.clone(), v -> dot(g, make.apply(v, b).forward(x, batch, false))), "∂L/∂W", s);
        if (bias) {
            assertGradient(minus(b, conv.parameters().get(1).value()),
                    numeric(b.clone(), v -> dot(g, make.apply(w, v).forward(x, batch, false))), "∂L/∂b", s);
        }
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> bk, java.util.List<V> p) {
                return new ConvLayer<>(bk, geo, d, "c", p.get(0), bias ? p.get(1) : null);
            }
        };
        // one truncation per product; δ_in sums up to kh·kw truncated products (col2im)
        twinTracksFloat(f, bias ? new double[][] {w, b} : new double[][] {w}, x, g, batch, kh * kw + 2, s);
    }

    @ParameterizedTest
    @CsvSource({
            // c, h, w, kh, kw, sh, sw, top, left, bottom, right, ceil
            "2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false",
            "1, 8, 6, 3, 2, 2, 3, 0, 1, 2, 0, true",
            "2, 5, 9, 2, 4, 2, 2, 1, 0, 0, 3, true"})
    void generalMaxPool(int c, int h, int w, int kh, int kw, int sh, int sw, int top, int left, int bottom, int right, boolean ceil) {
        Seeded s = Seeded.fromEnvOr(7700L + c + h * 3 + w * 5 + kh + kw + sh + sw + top + left + bottom + right + (ceil ? 1 : 0));
        int batch = 2;
        io.securenn.tensor.PoolGeometry geo = new io.securenn.tensor.PoolGeometry(c, h, w, kh, kw, sh, sw, top, left, bottom, right, ceil);
        double[] x = random(s, batch * geo.inputSize(), 1), g = random(s, batch * geo.outputSize(), 1);
        for (int i = 0; i < x.length; i += 5) x[i] = -1 - Math.abs(x[i]);   // padding must not act as a 0 candidate
        var mp = new MaxPoolLayer<>(be, geo);
        mp.forward(x, batch, true);
        assertGradient(mp.backward(g, batch, new Sgd(0, 0), true),
                numeric(x.clone(), v -> dot(g, new MaxPoolLayer<>(be, geo).forward(v, batch, false))), "δ_in", s);
    }

    @ParameterizedTest
    @CsvSource({"2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false, true", "1, 8, 6, 3, 2, 2, 3, 0, 1, 2, 0, true, false",
            "2, 6, 6, 2, 2, 2, 2, 0, 0, 0, 0, false, false"})
    void averagePool(int c, int h, int w, int kh, int kw, int sh, int sw, int top, int left, int bottom, int right, boolean ceil,
                     boolean countIncludePad) {
        Seeded s = Seeded.fromEnvOr(7800L + c + h * 3 + w * 5 + kh + kw + sh + sw + top + left + bottom + right + (ceil ? 1 : 0));
        int batch = 2;
        io.securenn.tensor.PoolGeometry geo = new io.securenn.tensor.PoolGeometry(c, h, w, kh, kw, sh, sw, top, left, bottom, right, ceil);
        double[] x = fixedRandom(s, batch * geo.inputSize(), 2), g = fixedRandom(s, batch * geo.outputSize(), 1);
        var ap = new AveragePoolLayer<>(be, geo, countIncludePad);
        ap.forward(x, batch, true);
        assertGradient(ap.backward(g, batch, new Sgd(0, 0), true),
                numeric(x.clone(), v -> dot(g, new AveragePoolLayer<>(be, geo, countIncludePad).forward(v, batch, false))), "δ_in", s);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> bk, java.util.List<V> p) {
                return new AveragePoolLayer<>(bk, geo, countIncludePad);
            }
        };
        twinTracksFloat(f, new double[0][], x, g, batch, 4, s);
    }

    @Test
    void globalAveragePool() {
        Seeded s = Seeded.fromEnvOr(7900);
        int batch = 2, c = 3, h = 5, w = 4;
        double[] x = fixedRandom(s, batch * c * h * w, 2), g = fixedRandom(s, batch * c, 1);
        var gap = new GlobalAveragePoolLayer<>(be, c, h, w);
        gap.forward(x, batch, true);
        assertGradient(gap.backward(g, batch, new Sgd(0, 0), true),
                numeric(x.clone(), v -> dot(g, new GlobalAveragePoolLayer<>(be, c, h, w).forward(v, batch, false))), "δ_in", s);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> bk, java.util.List<V> p) {
                return new GlobalAveragePoolLayer<>(bk, c, h, w);
            }
        };
        twinTracksFloat(f, new double[0][], x, g, batch, 2, s);
    }

    @Test
    void batchNormalizationAffine() {
        Seeded s = Seeded.fromEnvOr(7950);
        int batch = 3, c = 4, plane = 5;
        double[] sc = fixedRandom(s, c, 1.5), sh = fixedRandom(s, c, 1);
        double[] x = fixedRandom(s, batch * c * plane, 1), g = fixedRandom(s, batch * c * plane, 1);
        var bn = new BatchNormalizationLayer<>(be, c, plane, "bn", sc.clone(), sh.clone());
        bn.forward(x, batch, true);
        double[] dIn = bn.backward(g, batch, new Sgd(0, 0), true);
        assertGradient(dIn, numeric(x.clone(), v -> dot(g, new BatchNormalizationLayer<>(be, c, plane, "b", sc, sh).forward(v, batch, false))), "δ_in", s);
        assertGradient(minus(sc, bn.parameters().get(0).value()),
                numeric(sc.clone(), v -> dot(g, new BatchNormalizationLayer<>(be, c, plane, "b", v, sh).forward(x, batch, false))), "∂L/∂scale", s);
        assertGradient(minus(sh, bn.parameters().get(1).value()),
                numeric(sh.clone(), v -> dot(g, new BatchNormalizationLayer<>(be, c, plane, "b", sc, v).forward(x, batch, false))), "∂L/∂shift", s);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> bk, java.util.List<V> p) {
                return new BatchNormalizationLayer<>(bk, c, plane, "bn", p.get(0), p.get(1));
            }
        };
        // the scale's gradient sums batch·plane truncated products
        twinTracksFloat(f, new double[][] {sc, sh}, x, g, batch, batch * plane + 2, s);
    }

    @Test
    void pad() {
        Seeded s = Seeded.fromEnvOr(7960);
        int batch = 2, c = 2, h = 3, w = 4;
        double[] x = fixedRandom(s, batch * c * h * w, 2);
        var pad = new PadLayer<>(be, c, h, w, 1, 2, 0, 1);
        double[] g = fixedRandom(s, batch * pad.outputSize(), 1);
        pad.forward(x, batch, true);
        assertGradient(pad.backward(g, batch, new Sgd(0, 0), true),
                numeric(x.clone(), v -> dot(g, new PadLayer<>(be, c, h, w, 1, 2, 0, 1).forward(v, batch, false))), "δ_in", s);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> bk, java.util.List<V> p) {
                return new PadLayer<>(bk, c, h, w, 1, 2, 0, 1);
            }
        };
        twinTracksFloat(f, new double[0][], x, g, batch, 0, s);
    }

    @Test
    void addAndConcat() {
        Seeded s = Seeded.fromEnvOr(7970);
        int batch = 2;
        int[] sizes = {2 * 3, 3, 3 * 3};
        double[][] in = new double[3][];
        for (int i = 0; i < 3; i++) in[i] = fixedRandom(s, batch * sizes[i], 2);
        double[] g = fixedRandom(s, batch * 18, 1);
        ConcatLayer<double[]> cat = new ConcatLayer<>(be, sizes);
        cat.forward(java.util.List.of(in[0], in[1], in[2]), batch, true);
        java.util.List<double[]> back = cat.backward(g, batch, new Sgd(0, 0), true);
        for (int i = 0; i < 3; i++) {
            final int which = i;
            assertGradient(back.get(i), numeric(in[i].clone(), v -> {
                java.util.List<double[]> args = new java.util.ArrayList<>(java.util.List.of(in[0], in[1], in[2]));
                args.set(which, v);
                return dot(g, new ConcatLayer<>(be, sizes).forward(args, batch, false));
            }), "Concat δ of input " + i, s);
        }
        double[] g6 = fixedRandom(s, batch * 6, 1), other = fixedRandom(s, batch * 6, 2);
        AddLayer<double[]> add = new AddLayer<>(be, 6);
        add.forward(java.util.List.of(in[0], other), batch, true);
        java.util.List<double[]> dAdd = add.backward(g6, batch, new Sgd(0, 0), true);
        assertGradient(dAdd.get(0), numeric(in[0].clone(), v -> dot(g6, new AddLayer<>(be, 6).forward(java.util.List.of(v, other), batch, false))), "Add δ of input 0", s);
        assertGradient(dAdd.get(1), numeric(other.clone(), v -> dot(g6, new AddLayer<>(be, 6).forward(java.util.List.of(in[0], v), batch, false))), "Add δ of input 1", s);
        // the twin: index operations and additions only, exact
        try (PlainFixedBackend pb = new PlainFixedBackend(s.seed)) {
            long[][] fin = new long[3][];
            for (int i = 0; i < 3; i++) fin[i] = io.securenn.ring.FixedPoint.encode(in[i]);
            ConcatLayer<long[]> tc = new ConcatLayer<>(pb, sizes);
            double[] out = io.securenn.ring.FixedPoint.decode(tc.forward(java.util.List.of(fin[0], fin[1], fin[2]), batch, true));
            assertThat(out).containsExactly(new ConcatLayer<>(be, sizes).forward(java.util.List.of(in[0], in[1], in[2]), batch, false));
            java.util.List<long[]> tb = tc.backward(io.securenn.ring.FixedPoint.encode(g), batch, new Sgd(0, 0), true);
            for (int i = 0; i < 3; i++) assertThat(io.securenn.ring.FixedPoint.decode(tb.get(i))).containsExactly(back.get(i));
            AddLayer<long[]> ta = new AddLayer<>(pb, 6);
            ta.forward(java.util.List.of(fin[0], io.securenn.ring.FixedPoint.encode(other)), batch, true);
            java.util.List<long[]> tab = ta.backward(io.securenn.ring.FixedPoint.encode(g6), batch, new Sgd(0, 0), true);
            for (int i = 0; i < 2; i++) assertThat(io.securenn.ring.FixedPoint.decode(tab.get(i))).containsExactly(dAdd.get(i));
        }
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
