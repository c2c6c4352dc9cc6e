package io.securenn.nn;

import io.securenn.tensor.ConvGeometry;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution (cross-correlation) of NCHW input with D kernels of size f×f, stride and zero padding, via
 * im2col (spec §2.2, correction 9): Z = im2col(X)·W_mat + b with W_mat (C·f·f)×D, reshaped to NCHW (B, D, p, q).
 * Backward: G = δ as (B·p·q)×D rows; ΔW = im2col(X)^T·G (truncated by 13 + log2 B + lr-shift at once) and
 * δ_in = col2im(G·W_mat^T) in ONE matmul call; Δb[d] = Σ over (b, y, x) of G[·, d], truncated by log2 B + lr-shift.
 * Training keeps X, not im2col(X) (f² times larger): backward forms im2col(X) again, a local copy.
 */
public final class ConvLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int channels, height, width, outChannels, kernel, stride, padding;
    private final Parameter<V> weights, bias;
    private V input;

    public ConvLayer(Backend<V> be, int channels, int height, int width, int outChannels, int kernel, int stride,
                  int padding, String name, V weights, V bias) {
        this.be = be;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        geometry(1); // validates the geometry
        int k = channels * kernel * kernel;
        this.weights = new Parameter<>(name + ".W", new int[] {k, outChannels}, weights);
        this.bias = new Parameter<>(name + ".b", new int[] {outChannels}, bias);
        Shapes.check(be, weights, (long) k * outChannels, this.weights.name());
        Shapes.check(be, bias, outChannels, this.bias.name());
    }

    public ConvGeometry geometry(int batch) {
        return new ConvGeometry(batch, channels, height, width, kernel, stride, padding);
    }

    @Override
    public String describe() {
        ConvGeometry g = geometry(1);
        return "Conv " + channels + "×" + height + "×" + width + " → " + outChannels + "×" + g.outHeight() + "×"
                + g.outWidth() + " (" + kernel + "×" + kernel + ", stride " + stride + ", pad " + padding + ")";
    }

    @Override
    public int inputSize() {
        return channels * height * width;
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
        V c = be.im2col(x, g);
        input = training ? x : null;
        V z = be.matmul(Backend.Product.of(c, weights.value(), g.rows(), g.cols(), outChannels));
        z = be.addRowVector(z, bias.value(), g.rows(), outChannels);
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
        V biasStep = be.truncate(be.sumColumns(grad, g.rows(), outChannels), sgd.shift());
        sgd.apply(be, weights, r.get(0));
        sgd.apply(be, bias, biasStep);
        input = null;
        return needInputGradient ? be.col2im(r.get(1), g) : null;
    }

    @Override
    public List<Parameter<V>> parameters() {
        return List.of(weights, bias);
    }
}
