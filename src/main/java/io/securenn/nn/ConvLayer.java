package io.securenn.nn;

import io.securenn.tensor.ConvGeometry;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution (cross-correlation) of NCHW input with D kernels of size f×f, stride and zero padding, via
 * im2col (spec §2.2, correction 9): Z = im2col(X)·W_mat + b with W_mat (C·f·f)×D, reshaped to NCHW (B, D, p, q);
 * the product is {@link Backend#convolve} (the secure backend opens the masked input, not its patches, where smaller).
 * Backward: G = δ as (B·p·q)×D rows; ΔW = im2col(X)^T·G (truncated by 13 + log2 B + lr-shift at once) and
 * δ_in = col2im(G·W_mat^T) in ONE matmul call; Δb[d] = Σ over (b, y, x) of G[·, d], truncated by log2 B + lr-shift.
 * Training keeps X, not im2col(X) (f² times larger): backward forms im2col(X) again, a local copy.
 */
public final class ConvLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final ConvGeometry one;
    private final int outChannels;
    private final Parameter<V> weights, bias;
    private V input;

    public ConvLayer(Backend<V> be, int channels, int height, int width, int outChannels, int kernel, int stride,
                  int padding, String name, V weights, V bias) {
        this(be, new ConvGeometry(1, channels, height, width, kernel, stride, padding), outChannels, name, weights, bias);
    }

    /**
     * Any kernel, strides and pads: {@code geometry} for one example (batch 1). The bias may be null (Conv without
     * bias: nothing is added and nothing is trained).
     */
    public ConvLayer(Backend<V> be, ConvGeometry geometry, int outChannels, String name, V weights, V bias) {
        this.be = be;
        this.one = geometry.withBatch(1);
        this.outChannels = outChannels;
        int k = one.cols();
        this.weights = new Parameter<>(name + ".W", new int[] {k, outChannels}, weights);
        this.bias = bias == null ? null : new Parameter<>(name + ".b", new int[] {outChannels}, bias);
        Shapes.check(be, weights, (long) k * outChannels, this.weights.name());
        if (bias != null) Shapes.check(be, bias, outChannels, this.bias.name());
    }

    public ConvGeometry geometry(int batch) {
        return one.withBatch(batch);
    }

    @Override
    public String describe() {
        ConvGeometry g = one;
        String pads = g.padTop() == g.padBottom() && g.padLeft() == g.padRight() && g.padTop() == g.padLeft()
                ? String.valueOf(g.padTop()) : g.padTop() + "," + g.padLeft() + "," + g.padBottom() + "," + g.padRight();
        String stride = g.strideH() == g.strideW() ? String.valueOf(g.strideH()) : g.strideH() + "×" + g.strideW();
        return "Conv " + g.channels() + "×" + g.height() + "×" + g.width() + " → " + outChannels + "×" + g.outHeight() + "×"
                + g.outWidth() + " (" + g.kernelH() + "×" + g.kernelW() + ", stride " + stride + ", pad " + pads + ")";
    }

    @Override
    public int inputSize() {
        return one.inputSize();
    }

    @Override
    public int outputSize() {
        ConvGeometry g = geometry(1);
        return outChannels * g.outHeight() * g.outWidth();
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        ConvGeometry g = geometry(batch);
        input = training ? x : null;
        V z = be.convolve(x, g, weights.value(), outChannels);   // im2col(X)·W, perhaps without forming im2col(X)
        if (bias != null) z = be.addRowVector(z, bias.value(), g.rows(), outChannels);
        return be.rowsToNchw(z, batch, g.outHeight(), g.outWidth(), outChannels);
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        if (input == null) throw new IllegalStateException(describe() + ": backward without a training forward pass");
        Shapes.check(be, delta, (long) batch * outputSize(), describe() + " delta");
        ConvGeometry g = geometry(batch);
        V grad = be.nchwToRows(delta, batch, g.outHeight(), g.outWidth(), outChannels);
        List<Backend.Product<V>> products = new ArrayList<>(2);
        V cols = be.im2col(input, g);
        products.add(new Backend.Product<>(cols, grad, g.cols(), g.rows(), outChannels, true, false, sgd.shift()));
        if (needInputGradient) {
            products.add(new Backend.Product<>(grad, weights.value(), g.rows(), outChannels, g.cols(), false, true, 0));
        }
        List<V> r = be.matmul(products);
        V biasStep = bias == null ? null : be.truncate(be.sumColumns(grad, g.rows(), outChannels), sgd.shift());
        sgd.apply(be, weights, r.get(0));
        if (bias != null) sgd.apply(be, bias, biasStep);
        input = null;
        return needInputGradient ? be.col2im(r.get(1), g) : null;
    }

    @Override
    public List<Parameter<V>> parameters() {
        return bias == null ? List.of(weights) : List.of(weights, bias);
    }
}
