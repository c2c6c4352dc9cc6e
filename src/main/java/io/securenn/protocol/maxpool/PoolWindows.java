package io.securenn.protocol.maxpool;

import io.securenn.SecureNnException;

/**
 * Pooling windows of NCHW activations: window × window patches every stride pixels (no padding), one row per
 * output position in NCHW order (b, c, oy, ox), the patch's values row-major (ky, kx). {@link #extract} builds
 * the count × n matrix MaxPool takes (n = window²), {@link #scatter} is its adjoint (adds each row back onto its
 * patch; overlapping windows add up), used to route gradients through DMaxPool's one-hot rows.
 */
public record PoolWindows(int batch, int channels, int height, int width, int window, int stride) {

    public PoolWindows {
        if (batch <= 0 || channels <= 0 || height <= 0 || width <= 0 || window <= 0 || stride <= 0) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "invalid pooling geometry: batch "
                    + batch + ", channels " + channels + ", " + height + "x" + width + ", window " + window
                    + ", stride " + stride);
        }
        if (window > height || window > width) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "pooling window " + window
                    + " larger than the " + height + "x" + width + " input");
        }
    }

    public int outHeight() {
        return (height - window) / stride + 1;
    }

    public int outWidth() {
        return (width - window) / stride + 1;
    }

    /** Number of windows (= output elements). */
    public int count() {
        return batch * channels * outHeight() * outWidth();
    }

    /** Values per window. */
    public int size() {
        return window * window;
    }

    public int inputSize() {
        return batch * channels * height * width;
    }

    /** The count × size matrix of windows of x (NCHW, inputSize() values). */
    public long[] extract(long[] x) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("input has " + x.length + " values, pooling needs " + inputSize());
        }
        long[] out = new long[Math.multiplyExact(count(), size())];
        walk((row, k, at) -> out[row * size() + k] = x[at]);
        return out;
    }

    /** Adds row r's value k back at its input position: the adjoint of {@link #extract}. */
    public long[] scatter(long[] rows) {
        if (rows.length != (long) count() * size()) {
            throw new IllegalArgumentException("window matrix has " + rows.length + " values, needs "
                    + (long) count() * size());
        }
        long[] x = new long[inputSize()];
        walk((row, k, at) -> x[at] += rows[row * size() + k]);
        return x;
    }

    private interface Visit {
        void at(int row, int k, int inputIndex);
    }

    private void walk(Visit v) {
        int p = outHeight(), q = outWidth();
        int row = 0;
        for (int bc = 0; bc < batch * channels; bc++)
            for (int oy = 0; oy < p; oy++)
                for (int ox = 0; ox < q; ox++, row++)
                    for (int ky = 0; ky < window; ky++)
                        for (int kx = 0; kx < window; kx++)
                            v.at(row, ky * window + kx, (bc * height + oy * stride + ky) * width + ox * stride + kx);
    }
}
