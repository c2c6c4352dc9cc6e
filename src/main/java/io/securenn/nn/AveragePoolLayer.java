package io.securenn.nn;

import io.securenn.tensor.PoolGeometry;

import java.util.HashMap;
import java.util.Map;

/**
 * Average pooling of NCHW input (ONNX AveragePool: kh×kw window, strides, pads, ceil_mode, count_include_pad):
 * window sums are local, then each sum is multiplied by its public 1/k ({@link Backend#mulPublic}: extra
 * precision and one local truncation). No communication. Backward spreads δ/k over each window's positions.
 */
public final class AveragePoolLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final PoolGeometry g;
    private final boolean countIncludePad;
    private final double[] inverse;   // per output position of one example
    private final Map<Integer, int[]> windowMaps = new HashMap<>();
    private final Map<Integer, double[]> scales = new HashMap<>();

    public AveragePoolLayer(Backend<V> be, PoolGeometry geometry, boolean countIncludePad) {
        this.be = be;
        this.g = geometry;
        this.countIncludePad = countIncludePad;
        int[] d = geometry.divisors(countIncludePad);
        inverse = new double[d.length];
        for (int i = 0; i < d.length; i++) inverse[i] = 1.0 / d[i];
    }

    @Override
    public String describe() {
        return "AveragePool " + g.describe() + (countIncludePad && g.padded() ? " (pads counted)" : "");
    }

    @Override
    public int inputSize() {
        return g.inputSize();
    }

    @Override
    public int outputSize() {
        return g.outputSize();
    }

    private int[] windows(int batch) {
        return windowMaps.computeIfAbsent(batch, b -> g.windows(b, false));
    }

    private double[] scale(int batch) {
        return scales.computeIfAbsent(batch, b -> Shapes.repeat(inverse, b));
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        int count = batch * outputSize(), n = g.windowSize();
        V sums = be.sumRows(be.gather(x, windows(batch)), count, n);
        return be.mulPublic(sums, scale(batch));
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        Shapes.check(be, delta, (long) batch * outputSize(), describe() + " delta");
        if (!needInputGradient) return null;
        int count = batch * outputSize(), n = g.windowSize();
        V each = be.gather(be.mulPublic(delta, scale(batch)), IndexMaps.repeatEach(count, n));
        return be.scatterAdd(each, windows(batch), batch * inputSize());
    }
}
