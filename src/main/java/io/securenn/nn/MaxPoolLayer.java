package io.securenn.nn;

import java.util.HashMap;
import java.util.Map;

/**
 * Max pooling of NCHW input with an f×f window and stride s (windows gathered locally, max and argmax by the
 * backend's Π_MP over all windows at once). Training keeps the DMP one-hot of each window's argmax; backward
 * routes δ of each window to the position of its maximum (one-hot ⊙ repeated δ, exact bit products) and
 * scatter-adds the windows back onto the input.
 */
public final class MaxPoolLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int channels, height, width, window, stride;
    private final Map<Integer, int[]> windowMaps = new HashMap<>();
    private final Map<Integer, int[]> repeatMaps = new HashMap<>();
    private V oneHot;

    public MaxPoolLayer(Backend<V> be, int channels, int height, int width, int window, int stride) {
        if (window <= 0 || stride <= 0 || window > height || window > width) {
            throw new IllegalArgumentException("bad pooling window " + window + " stride " + stride + " on "
                    + height + "×" + width);
        }
        this.be = be;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.window = window;
        this.stride = stride;
    }

    public int outHeight() {
        return (height - window) / stride + 1;
    }

    public int outWidth() {
        return (width - window) / stride + 1;
    }

    @Override
    public String describe() {
        return "MaxPool " + window + "×" + window + " stride " + stride + " on " + channels + "×" + height + "×" + width;
    }

    @Override
    public int inputSize() {
        return channels * height * width;
    }

    @Override
    public int outputSize() {
        return channels * outHeight() * outWidth();
    }

    private int[] windows(int batch) {
        return windowMaps.computeIfAbsent(batch,
                b -> IndexMaps.poolWindows(b, channels, height, width, window, stride));
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        int count = batch * outputSize(), n = window * window;
        Backend.MaxResult<V> r = be.max(be.gather(x, windows(batch)), count, n);
        oneHot = training ? be.oneHot(r.index(), count, n) : null;
        return r.max();
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        if (oneHot == null) throw new IllegalStateException(describe() + ": backward without a training forward pass");
        Shapes.check(be, delta, (long) batch * outputSize(), describe() + " delta");
        int count = batch * outputSize(), n = window * window;
        V d = null;
        if (needInputGradient) {
            V repeated = be.gather(delta, repeatMaps.computeIfAbsent(batch, b -> IndexMaps.repeatEach(count, n)));
            d = be.scatterAdd(be.mulBits(oneHot, repeated), windows(batch), batch * inputSize());
        }
        oneHot = null;
        return d;
    }
}
