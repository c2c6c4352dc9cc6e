package io.securenn.nn;

import io.securenn.tensor.PoolGeometry;

import java.util.HashMap;
import java.util.Map;

/**
 * Max pooling of NCHW input (ONNX MaxPool: kh×kw window, strides, pads, ceil_mode), windows gathered locally,
 * max and argmax by the backend's Π_MP over all windows at once. A window position outside the input (padding,
 * or past the end in ceil mode) repeats the window's first position inside it, so it never changes the maximum.
 * Training keeps the DMP one-hot of each window's argmax; backward routes δ of each window to the position of
 * its maximum (one-hot ⊙ repeated δ, exact bit products) and scatter-adds the windows back onto the input. DMP
 * needs windows of a power-of-two size (n | 2^64): in training a window of another size (3×3) is filled up to the
 * next power of two with copies of its first position, which changes neither the maximum nor where δ goes.
 */
public final class MaxPoolLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final PoolGeometry g;
    private final Map<Integer, int[]> windowMaps = new HashMap<>(), trainingMaps = new HashMap<>();
    private final Map<Integer, int[]> repeatMaps = new HashMap<>();
    private V oneHot;

    public MaxPoolLayer(Backend<V> be, int channels, int height, int width, int window, int stride) {
        this(be, checked(channels, height, width, window, stride));
    }

    public MaxPoolLayer(Backend<V> be, PoolGeometry geometry) {
        this.be = be;
        this.g = geometry;
    }

    private static PoolGeometry checked(int channels, int height, int width, int window, int stride) {
        if (window <= 0 || stride <= 0 || window > height || window > width) {
            throw new IllegalArgumentException("bad pooling window " + window + " stride " + stride + " on "
                    + height + "×" + width);
        }
        return PoolGeometry.square(channels, height, width, window, stride);
    }

    public PoolGeometry geometry() {
        return g;
    }

    public int outHeight() {
        return g.outHeight();
    }

    public int outWidth() {
        return g.outWidth();
    }

    @Override
    public String describe() {
        return "MaxPool " + g.describe();
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
        return windowMaps.computeIfAbsent(batch, b -> g.windows(b, true));
    }

    /** The window size in training: the next power of two. */
    private int trainingWindow() {
        int n = g.windowSize();
        return Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
    }

    private int[] trainingWindows(int batch) {
        int n = g.windowSize(), m = trainingWindow();
        if (m == n) return windows(batch);
        return trainingMaps.computeIfAbsent(batch, b -> {
            int[] w = windows(b);
            int count = w.length / n;
            int[] out = new int[count * m];
            for (int i = 0; i < count; i++) {
                System.arraycopy(w, i * n, out, i * m, n);
                for (int k = n; k < m; k++) out[i * m + k] = w[i * n];
            }
            return out;
        });
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        int count = batch * outputSize(), n = training ? trainingWindow() : g.windowSize();
        if (n == 1) {
            oneHot = null;
            return be.gather(x, windows(batch));
        }
        Backend.MaxResult<V> r = be.max(be.gather(x, training ? trainingWindows(batch) : windows(batch)), count, n);
        oneHot = training ? be.oneHot(r.index(), count, n) : null;
        return r.max();
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        int count = batch * outputSize(), n = trainingWindow();
        Shapes.check(be, delta, (long) batch * outputSize(), describe() + " delta");
        if (n == 1) return needInputGradient ? be.scatterAdd(delta, windows(batch), batch * inputSize()) : null;
        if (oneHot == null) throw new IllegalStateException(describe() + ": backward without a training forward pass");
        V d = null;
        if (needInputGradient) {
            V repeated = be.gather(delta, repeatMaps.computeIfAbsent(batch, b -> IndexMaps.repeatEach(count, n)));
            d = be.scatterAdd(be.mulBits(oneHot, repeated), trainingWindows(batch), batch * inputSize());
        }
        oneHot = null;
        return d;
    }
}
