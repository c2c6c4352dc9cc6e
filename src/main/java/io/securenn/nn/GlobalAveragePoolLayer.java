package io.securenn.nn;

/**
 * GlobalAveragePool: the mean of each channel's H×W plane (local sums, then the public 1/(H·W) by
 * {@link Backend#mulPublic}); output C per example (ONNX's C×1×1). No communication.
 */
public final class GlobalAveragePoolLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int channels, plane;

    public GlobalAveragePoolLayer(Backend<V> be, int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) throw new IllegalArgumentException("bad GlobalAveragePool input");
        this.be = be;
        this.channels = channels;
        this.plane = height * width;
    }

    @Override
    public String describe() {
        return "GlobalAveragePool " + channels + "×" + plane + " → " + channels;
    }

    @Override
    public int inputSize() {
        return channels * plane;
    }

    @Override
    public int outputSize() {
        return channels;
    }

    private double[] scale(int count) {
        double[] s = new double[count];
        java.util.Arrays.fill(s, 1.0 / plane);
        return s;
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        int count = batch * channels;
        return plane == 1 ? x : be.mulPublic(be.sumRows(x, count, plane), scale(count));
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        Shapes.check(be, delta, (long) batch * channels, describe() + " delta");
        if (!needInputGradient) return null;
        int count = batch * channels;
        return plane == 1 ? delta : be.gather(be.mulPublic(delta, scale(count)), IndexMaps.repeatEach(count, plane));
    }
}
