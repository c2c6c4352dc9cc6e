package io.securenn.nn;

import java.util.HashMap;
import java.util.Map;

/** Pad (constant 0) of the H and W axes of NCHW input: a local gather; backward gathers δ back. */
public final class PadLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int channels, height, width, top, left, bottom, right;
    private final Map<Integer, int[]> forwardMaps = new HashMap<>(), backwardMaps = new HashMap<>();

    public PadLayer(Backend<V> be, int channels, int height, int width, int top, int left, int bottom, int right) {
        if (top < 0 || left < 0 || bottom < 0 || right < 0) throw new IllegalArgumentException("negative pads");
        this.be = be;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.top = top;
        this.left = left;
        this.bottom = bottom;
        this.right = right;
    }

    private int outH() {
        return height + top + bottom;
    }

    private int outW() {
        return width + left + right;
    }

    @Override
    public String describe() {
        return "Pad " + top + "," + left + "," + bottom + "," + right + " on " + channels + "×" + height + "×" + width;
    }

    @Override
    public int inputSize() {
        return channels * height * width;
    }

    @Override
    public int outputSize() {
        return channels * outH() * outW();
    }

    private int[] forwardMap(int batch) {
        return forwardMaps.computeIfAbsent(batch, b -> {
            int[] m = new int[b * outputSize()];
            int o = 0;
            for (int i = 0; i < b * channels; i++)
                for (int y = 0; y < outH(); y++)
                    for (int x = 0; x < outW(); x++) {
                        int iy = y - top, ix = x - left;
                        m[o++] = iy >= 0 && iy < height && ix >= 0 && ix < width ? (i * height + iy) * width + ix : -1;
                    }
            return m;
        });
    }

    private int[] backwardMap(int batch) {
        return backwardMaps.computeIfAbsent(batch, b -> {
            int[] m = new int[b * inputSize()];
            int o = 0;
            for (int i = 0; i < b * channels; i++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++) m[o++] = (i * outH() + y + top) * outW() + x + left;
            return m;
        });
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        return be.gather(x, forwardMap(batch));
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        Shapes.check(be, delta, (long) batch * outputSize(), describe() + " delta");
        return needInputGradient ? be.gather(delta, backwardMap(batch)) : null;
    }
}
