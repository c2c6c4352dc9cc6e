package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.tensor.PoolGeometry;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers that open models add (AveragePool, GlobalAveragePool, general MaxPool, Pad, BatchNormalization as a
 * secure affine, Add, Concat): forward against a direct loop over the definition (ONNX's), the float64 reference
 * within rounding, the fixed-point twin within a few ulps of it (the public 1/k with extra precision and one
 * truncation), backward of the twin against the float reference.
 */
class GraphLayersTest {
    private static final double ULP = 1.0 / FixedPoint.ONE;

    /**
     * ONNX pooling by definition as onnxruntime computes it: average (count_include_pad: always by kh·kw; else by
     * the window's positions inside the input) or max over the window's valid positions.
     */
    private static double[] poolDirect(double[] x, int batch, PoolGeometry g, boolean max, boolean countIncludePad) {
        int p = g.outHeight(), q = g.outWidth(), c = g.channels(), h = g.height(), w = g.width();
        double[] out = new double[batch * c * p * q];
        int o = 0;
        for (int b = 0; b < batch; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < p; y++)
                    for (int xx = 0; xx < q; xx++) {
                        int hs = y * g.strideH() - g.padTop(), ws = xx * g.strideW() - g.padLeft();
                        int he = Math.min(hs + g.kernelH(), h + g.padBottom()), we = Math.min(ws + g.kernelW(), w + g.padRight());
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int valid = 0;
                        for (int iy = Math.max(hs, 0); iy < Math.min(he, h); iy++)
                            for (int ix = Math.max(ws, 0); ix < Math.min(we, w); ix++) {
                                double v = x[((b * c + ch) * h + iy) * w + ix];
                                acc = max ? Math.max(acc, v) : acc + v;
                                valid++;
                            }
                        out[o++] = max ? acc : acc / (countIncludePad ? g.kernelH() * g.kernelW() : valid);
                    }
        return out;
    }

    private static Layer<double[]> floatLayer(LayerHarness.Factory f, long[][] params) {
        FloatBackend be = new FloatBackend();
        List<double[]> ps = new java.util.ArrayList<>();
        for (long[] p : params) ps.add(be.importModel(p));
        return f.make(be, ps);
    }

    private static void twinVsFloat(LayerHarness.Factory f, long[][] params, long[] x, long[] d, int batch, double ulps, Seeded s) {
        var twin = LayerHarness.run(new PlainFixedBackend(s.seed), f, params, x, d, batch, new Sgd(3, 0));
        var ref = LayerHarness.run(new FloatBackend(), f, params, x, d, batch, new Sgd(3, 0));
        assertThat(LayerHarness.maxAbsDiff(twin.out(), ref.out())).as(s.msg("forward twin vs float")).isLessThanOrEqualTo(ulps * ULP);
        assertThat(LayerHarness.maxAbsDiff(twin.deltaIn(), ref.deltaIn())).as(s.msg("δ_in twin vs float")).isLessThanOrEqualTo(ulps * ULP);
        for (int i = 0; i < params.length; i++) {
            assertThat(LayerHarness.maxAbsDiff(twin.paramsAfter().get(i), ref.paramsAfter().get(i))).as(s.msg("param " + i)).isLessThanOrEqualTo(ulps * ULP);
        }
    }

    @ParameterizedTest
    @CsvSource({
            // c, h, w, kh, kw, sh, sw, top, left, bottom, right, ceil, countIncludePad
            "2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false, true",
            "2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false, false",
            "1, 8, 6, 3, 2, 2, 3, 0, 1, 2, 0, true, true",
            "3, 5, 9, 2, 4, 2, 2, 1, 0, 0, 3, true, false",
            "2, 7, 7, 7, 7, 1, 1, 0, 0, 0, 0, false, true",
            "1, 6, 6, 3, 3, 3, 3, 0, 0, 0, 0, true, false"})
    void averageAndMaxPoolMatchTheDefinition(int c, int h, int w, int kh, int kw, int sh, int sw, int top, int left,
                                             int bottom, int right, boolean ceil, boolean countIncludePad) {
        Seeded s = Seeded.fromEnvOr(7000L + c * 131 + h * 17 + w + kh * 3 + kw + sh + sw + top + left * 5 + bottom * 7 + right + (ceil ? 1 : 0));
        PoolGeometry g = new PoolGeometry(c, h, w, kh, kw, sh, sw, top, left, bottom, right, ceil);
        int batch = 2;
        long[] x = s.fixed(batch * g.inputSize(), 4), d = s.fixed(batch * g.outputSize(), 2);
        for (int i = 0; i < x.length; i += 7) x[i] = -Math.abs(x[i]) - FixedPoint.ONE; // negatives: max padding must not act as 0
        double[] xd = FixedPoint.decode(x);
        LayerHarness.Factory avg = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new AveragePoolLayer<>(be, g, countIncludePad);
            }
        };
        LayerHarness.Factory max = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new MaxPoolLayer<>(be, g);
            }
        };
        FloatBackend fb = new FloatBackend();
        double[] avgF = floatLayer(avg, new long[0][]).forward(xd, batch, false);
        double[] maxF = floatLayer(max, new long[0][]).forward(xd, batch, false);
        double[] avgD = poolDirect(xd, batch, g, false, countIncludePad), maxD = poolDirect(xd, batch, g, true, false);
        assertThat(LayerHarness.maxAbsDiff(avgF, avgD)).as(s.msg("average, float vs definition")).isLessThan(1e-12);
        assertThat(maxF).as(s.msg("max, float vs definition")).containsExactly(maxD);
        // twin: one truncation of the sum times round(2^s/k); ≤ 2 ulps
        twinVsFloat(avg, new long[0][], x, d, batch, 2, s);
        var twinMax = LayerHarness.run(new PlainFixedBackend(s.seed), max, new long[0][], x, d, batch, new Sgd(0, 0));
        var refMax = LayerHarness.run(fb, max, new long[0][], x, d, batch, new Sgd(0, 0));
        assertThat(twinMax.out()).as(s.msg("max twin exact")).containsExactly(refMax.out());
        assertThat(twinMax.deltaIn()).as(s.msg("max δ routed exactly")).containsExactly(refMax.deltaIn());
        // every window's δ lands on one input position that holds the window's max
        double sumIn = java.util.Arrays.stream(refMax.deltaIn()).sum(), sumOut = java.util.Arrays.stream(FixedPoint.decode(d)).sum();
        assertThat(sumIn).as(s.msg("max δ conserved")).isCloseTo(sumOut, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void averagePoolBackwardIsTheAdjointOfForward() {
        // <avg(x), d> = <x, avg^T(d)> in float64
        Seeded s = Seeded.fromEnvOr(7100);
        PoolGeometry g = new PoolGeometry(2, 6, 5, 3, 2, 2, 1, 1, 0, 1, 1, true);
        int batch = 3;
        double[] x = FixedPoint.decode(s.fixed(batch * g.inputSize(), 2)), d = FixedPoint.decode(s.fixed(batch * g.outputSize(), 2));
        FloatBackend be = new FloatBackend();
        for (boolean cip : new boolean[] {true, false}) {
            AveragePoolLayer<double[]> l = new AveragePoolLayer<>(be, g, cip);
            double lhs = dot(l.forward(x, batch, true), d), rhs = dot(x, l.backward(d, batch, new Sgd(0, 0), true));
            assertThat(lhs).as(s.msg("adjoint, count_include_pad " + cip)).isCloseTo(rhs, org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void globalAveragePool() {
        Seeded s = Seeded.fromEnvOr(7200);
        int batch = 2, c = 3, h = 7, w = 7;
        long[] x = s.fixed(batch * c * h * w, 3), d = s.fixed(batch * c, 2);
        double[] xd = FixedPoint.decode(x);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new GlobalAveragePoolLayer<>(be, c, h, w);
            }
        };
        double[] out = floatLayer(f, new long[0][]).forward(xd, batch, false);
        for (int i = 0; i < batch * c; i++) {
            double m = 0;
            for (int k = 0; k < h * w; k++) m += xd[i * h * w + k];
            assertThat(out[i]).as(s.msg("mean of plane " + i)).isCloseTo(m / (h * w), org.assertj.core.api.Assertions.within(1e-12));
        }
        twinVsFloat(f, new long[0][], x, d, batch, 2, s);
    }

    @Test
    void padPlacesZerosAroundAndBackwardCrops() {
        Seeded s = Seeded.fromEnvOr(7300);
        int batch = 2, c = 2, h = 3, w = 4;
        long[] x = s.fixed(batch * c * h * w, 3);
        PadLayer<double[]> l = new PadLayer<>(new FloatBackend(), c, h, w, 1, 2, 0, 1);
        double[] xd = FixedPoint.decode(x), y = l.forward(xd, batch, false);
        int oh = 4, ow = 7;
        assertThat(y).hasSize(batch * c * oh * ow);
        for (int i = 0; i < batch * c; i++)
            for (int yy = 0; yy < oh; yy++)
                for (int xx = 0; xx < ow; xx++) {
                    int iy = yy - 1, ix = xx - 2;
                    double want = iy >= 0 && iy < h && ix >= 0 && ix < w ? xd[(i * h + iy) * w + ix] : 0;
                    assertThat(y[(i * oh + yy) * ow + xx]).isEqualTo(want);
                }
        assertThat(l.backward(y, batch, new Sgd(0, 0), true)).containsExactly(xd);
    }

    @Test
    void batchNormAffineAndItsGradients() {
        Seeded s = Seeded.fromEnvOr(7400);
        int batch = 3, c = 4, plane = 6;
        long[] scale = s.fixed(c, 1.5), shift = s.fixed(c, 1), x = s.fixed(batch * c * plane, 2), d = s.fixed(batch * c * plane, 1);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new BatchNormalizationLayer<>(be, c, plane, "bn", p.get(0), p.get(1));
            }
        };
        double[] sc = FixedPoint.decode(scale), sh = FixedPoint.decode(shift), xd = FixedPoint.decode(x);
        double[] out = floatLayer(f, new long[][] {scale, shift}).forward(xd, batch, false);
        for (int i = 0; i < out.length; i++) {
            int ch = (i / plane) % c;
            assertThat(out[i]).isCloseTo(sc[ch] * xd[i] + sh[ch], org.assertj.core.api.Assertions.within(1e-12));
        }
        // the twin's products are truncated once each; parameter sums of up to batch·plane truncated products
        twinVsFloat(f, new long[][] {scale, shift}, x, d, batch, batch * plane + 2, s);
    }

    @Test
    void concatAlongChannelsAndAdd() {
        Seeded s = Seeded.fromEnvOr(7500);
        int batch = 2;
        int[] sizes = {2 * 3, 1 * 3, 3 * 3};   // C_i × (H·W = 3)
        FloatBackend be = new FloatBackend();
        double[][] in = new double[3][];
        for (int i = 0; i < 3; i++) in[i] = FixedPoint.decode(s.fixed(batch * sizes[i], 2));
        ConcatLayer<double[]> cat = new ConcatLayer<>(be, sizes);
        double[] y = cat.forward(List.of(in[0], in[1], in[2]), batch, false);
        int total = 18, o = 0;
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < sizes[i]; k++) assertThat(y[o++]).isEqualTo(in[i][b * sizes[i] + k]);
        List<double[]> back = cat.backward(y, batch, new Sgd(0, 0), true);
        for (int i = 0; i < 3; i++) assertThat(back.get(i)).containsExactly(in[i]);
        assertThat(y).hasSize(batch * total);
        AddLayer<double[]> add = new AddLayer<>(be, 6);
        double[] sum = add.forward(List.of(in[0], in[0]), batch, false);
        for (int i = 0; i < sum.length; i++) assertThat(sum[i]).isEqualTo(2 * in[0][i]);
    }

    @Test
    void publicScaleKeepsThirteenSignificantBits() {
        assertThat(PublicScale.bits(new double[] {1.0 / 49})).isEqualTo(19);
        assertThat(PublicScale.bits(new double[] {1.0, 0.5})).isEqualTo(14);
        assertThat(PublicScale.bits(new double[] {2.0})).isEqualTo(FixedPoint.FRAC_BITS);
        assertThat(PublicScale.bits(new double[] {1e-9})).isEqualTo(PublicScale.MAX_BITS);
        // 1/49 of 49.0 in the twin: within one ulp of 1
        try (PlainFixedBackend be = new PlainFixedBackend(3)) {
            long[] r = be.mulPublic(new long[] {FixedPoint.encode(49.0)}, new double[] {1.0 / 49});
            assertThat(Math.abs(FixedPoint.decode(r)[0] - 1.0)).isLessThanOrEqualTo(ULP);
        }
    }
}
