package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each layer's forward and backward pass on the fixed-point twin against the float64 reference, from the same
 * fixed-point inputs: products are within a few ulps (one truncation per product, plus the sums of col2im);
 * ReLU and MaxPool are exact.
 */
class LayerTwinVsFloatTest {
    private static final double ULP = 1.0 / FixedPoint.ONE;

    private static void assertClose(double[] twin, double[] ref, double ulps, String what, Seeded s) {
        assertThat(LayerHarness.maxAbsDiff(twin, ref)).as(s.msg(what)).isLessThanOrEqualTo(ulps * ULP);
    }

    private static void compare(LayerHarness.Factory f, long[][] params, long[] x, long[] delta, int batch, Sgd sgd,
                                double ulps, Seeded s) {
        var twin = LayerHarness.run(new PlainFixedBackend(s.seed), f, params, x, delta, batch, sgd);
        var ref = LayerHarness.run(new FloatBackend(), f, params, x, delta, batch, sgd);
        assertClose(twin.out(), ref.out(), ulps, "forward", s);
        assertClose(twin.deltaIn(), ref.deltaIn(), ulps, "input gradient", s);
        for (int i = 0; i < params.length; i++) assertClose(twin.paramsAfter().get(i), ref.paramsAfter().get(i), ulps, "parameter " + i + " after SGD", s);
        // the step actually moved the weights (the comparison above is not vacuous)
        if (params.length > 0) {
            assertThat(LayerHarness.maxAbsDiff(ref.paramsAfter().get(0), FixedPoint.decode(params[0]))).isGreaterThan(10 * ULP);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "4,20,7", "8,33,10"})
    void fullyConnected(int batch, int in, int out) {
        Seeded s = Seeded.fromEnvOr(31L * batch + in + out);
        long[] w = s.fixed(in * out, 0.5), b = s.fixed(out, 0.5), x = s.fixed(batch * in, 1), d = s.fixed(batch * out, 1);
        long[] edges = {0, FixedPoint.ONE, -FixedPoint.ONE, 1, -1};
        if (x.length > 2 * edges.length) System.arraycopy(edges, 0, x, 0, edges.length);
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new GemmLayer<>(be, in, out, "fc", p.get(0), p.get(1));
            }
        };
        compare(f, new long[][] {w, b}, x, d, batch, new Sgd(1, 0), 3, s);
    }

    @ParameterizedTest
    @CsvSource({"2,1,6,6,4,3,1,0", "2,3,7,7,5,3,2,1", "1,1,28,28,5,5,2,2", "2,2,8,8,3,5,1,0"})
    void conv2d(int batch, int c, int h, int w, int d, int f, int stride, int pad) {
        Seeded s = Seeded.fromEnvOr(1000L + batch * 7 + c * 11 + h + d + f + stride + pad);
        var probe = new ConvLayer<>(new FloatBackend(), c, h, w, d, f, stride, pad, "p", new double[c * f * f * d], new double[d]);
        long[] wt = s.fixed(c * f * f * d, 0.5), b = s.fixed(d, 0.5);
        long[] x = s.fixed(batch * probe.inputSize(), 1), delta = s.fixed(batch * probe.outputSize(), 1);
        LayerHarness.Factory fac = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new ConvLayer<>(be, c, h, w, d, f, stride, pad, "conv", p.get(0), p.get(1));
            }
        };
        // δ_in is a col2im sum of up to f·f truncated products
        compare(fac, new long[][] {wt, b}, x, delta, batch, new Sgd(2, 1), f * f + 2, s);
    }

    @Test
    void reluIsExact() {
        Seeded s = Seeded.fromEnvOr(41);
        long[] x = s.fixed(3 * 50, 2), d = s.fixed(3 * 50, 2);
        x[0] = 0;
        x[1] = -1;
        x[2] = 1;
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new ReluLayer<>(be, 50);
            }
        };
        var twin = LayerHarness.run(new PlainFixedBackend(1), f, new long[0][], x, d, 3, new Sgd(0, 0));
        var ref = LayerHarness.run(new FloatBackend(), f, new long[0][], x, d, 3, new Sgd(0, 0));
        assertThat(twin.out()).containsExactly(ref.out());
        assertThat(twin.deltaIn()).containsExactly(ref.deltaIn());
        assertThat(twin.out()[0]).isZero();
        assertThat(twin.deltaIn()[0]).as("DReLU(0) = 1 lets δ through").isEqualTo(FixedPoint.decode(d[0]));
        assertThat(twin.deltaIn()[1]).isZero();
    }

    @ParameterizedTest
    @CsvSource({"2,3,8,8,2,2", "1,2,6,6,3,3", "2,1,7,7,3,2"})
    void maxPoolIsExactIncludingTies(int batch, int c, int h, int w, int win, int stride) {
        Seeded s = Seeded.fromEnvOr(50L + c * 13 + h + win + stride);
        MaxPoolLayer<double[]> probe = new MaxPoolLayer<>(new FloatBackend(), c, h, w, win, stride);
        long[] x = s.fixed(batch * probe.inputSize(), 3), d = s.fixed(batch * probe.outputSize(), 3);
        for (int i = 0; i < x.length; i += 5) x[i] = x[i / 3]; // ties
        java.util.Arrays.fill(x, 0, Math.min(x.length, 2 * w), 7); // a tied top band
        LayerHarness.Factory f = new LayerHarness.Factory() {
            public <V> Layer<V> make(Backend<V> be, List<V> p) {
                return new MaxPoolLayer<>(be, c, h, w, win, stride);
            }
        };
        var twin = LayerHarness.run(new PlainFixedBackend(1), f, new long[0][], x, d, batch, new Sgd(0, 0));
        var ref = LayerHarness.run(new FloatBackend(), f, new long[0][], x, d, batch, new Sgd(0, 0));
        assertThat(twin.out()).as(s.msg("max")).containsExactly(ref.out());
        assertThat(twin.deltaIn()).as(s.msg("routed δ")).containsExactly(ref.deltaIn());
        // each window's δ goes to one position: total δ is preserved (non-overlapping case)
        if (win == stride) {
            double sumIn = java.util.Arrays.stream(twin.deltaIn()).sum(), sumOut = java.util.Arrays.stream(FixedPoint.decode(d)).sum();
            assertThat(sumIn).isCloseTo(sumOut, org.assertj.core.api.Assertions.within(1e-9));
        }
    }
}
