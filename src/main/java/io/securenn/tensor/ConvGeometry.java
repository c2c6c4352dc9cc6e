package io.securenn.tensor;

/**
 * Geometry of a 2-D convolution on NCHW activations and the im2col / col2im reshapes (spec correction 9):
 * im2col rows are output positions (b, y, x) row-major, columns are (c, ky, kx); the weight matrix is (C·f·f)×D,
 * so the convolution is im2col(X) · W, a (B·p·q)×D matrix.
 */
public record ConvGeometry(int batch, int channels, int height, int width, int kernel, int stride, int padding) {

    public ConvGeometry {
        if (batch <= 0 || channels <= 0 || height <= 0 || width <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new IllegalArgumentException("kernel " + kernel + " larger than padded input " + this);
        }
    }

    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    public int rows() {
        return batch * outHeight() * outWidth();
    }

    public int cols() {
        return channels * kernel * kernel;
    }

    public int inputSize() {
        return batch * channels * height * width;
    }

    /** im2col of an NCHW input (zero padding contributes ring zeros). */
    public long[] im2col(long[] x) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("input has " + x.length + " elements, geometry needs " + inputSize());
        }
        int p = outHeight(), q = outWidth(), f = kernel, cols = cols();
        long[] out = new long[rows() * cols];
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < p; oy++)
                for (int ox = 0; ox < q; ox++) {
                    int row = (b * p + oy) * q + ox;
                    int base = row * cols;
                    for (int c = 0; c < channels; c++) {
                        int chan = (b * channels + c) * height;
                        for (int ky = 0; ky < f; ky++) {
                            int iy = oy * stride - padding + ky;
                            int colBase = base + (c * f + ky) * f;
                            if (iy < 0 || iy >= height) continue;
                            int rowOff = (chan + iy) * width;
                            for (int kx = 0; kx < f; kx++) {
                                int ix = ox * stride - padding + kx;
                                if (ix >= 0 && ix < width) out[colBase + kx] = x[rowOff + ix];
                            }
                        }
                    }
                }
        return out;
    }

    /** The adjoint of im2col: scatter-adds each row back onto its patch (used for the input gradient). */
    public long[] col2im(long[] cols2) {
        int p = outHeight(), q = outWidth(), f = kernel, cols = cols();
        if (cols2.length != rows() * cols) {
            throw new IllegalArgumentException("col2im input has " + cols2.length + " elements, needs " + rows() * cols);
        }
        long[] x = new long[inputSize()];
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < p; oy++)
                for (int ox = 0; ox < q; ox++) {
                    int base = ((b * p + oy) * q + ox) * cols;
                    for (int c = 0; c < channels; c++) {
                        int chan = (b * channels + c) * height;
                        for (int ky = 0; ky < f; ky++) {
                            int iy = oy * stride - padding + ky;
                            if (iy < 0 || iy >= height) continue;
                            int colBase = base + (c * f + ky) * f;
                            int rowOff = (chan + iy) * width;
                            for (int kx = 0; kx < f; kx++) {
                                int ix = ox * stride - padding + kx;
                                if (ix >= 0 && ix < width) x[rowOff + ix] += cols2[colBase + kx];
                            }
                        }
                    }
                }
        return x;
    }

    /** Rearranges a (B·p·q)×D result matrix into NCHW (B, D, p, q). */
    public static long[] rowsToNchw(long[] m, int batch, int p, int q, int d) {
        long[] out = new long[m.length];
        for (int b = 0; b < batch; b++)
            for (int y = 0; y < p; y++)
                for (int x = 0; x < q; x++) {
                    int row = ((b * p + y) * q + x) * d;
                    for (int c = 0; c < d; c++) out[((b * d + c) * p + y) * q + x] = m[row + c];
                }
        return out;
    }

    /** Inverse of {@link #rowsToNchw}. */
    public static long[] nchwToRows(long[] t, int batch, int p, int q, int d) {
        long[] out = new long[t.length];
        for (int b = 0; b < batch; b++)
            for (int y = 0; y < p; y++)
                for (int x = 0; x < q; x++) {
                    int row = ((b * p + y) * q + x) * d;
                    for (int c = 0; c < d; c++) out[row + c] = t[((b * d + c) * p + y) * q + x];
                }
        return out;
    }
}
