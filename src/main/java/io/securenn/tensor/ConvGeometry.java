package io.securenn.tensor;

/**
 * Geometry of a 2-D convolution on NCHW activations and the im2col / col2im reshapes (spec correction 9):
 * im2col rows are output positions (b, y, x) row-major, columns are (c, ky, kx); the weight matrix is (C·f·f)×D,
 * so the convolution is im2col(X) · W, a (B·p·q)×D matrix.
 */
public record ConvGeometry(int batch, int channels, int height, int width, int kernelH, int kernelW, int strideH,
                           int strideW, int padTop, int padLeft, int padBottom, int padRight) {

    public ConvGeometry {
        if (batch <= 0 || channels <= 0 || height <= 0 || width <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0
                || strideW <= 0 || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
        if (height + padTop + padBottom < kernelH || width + padLeft + padRight < kernelW) {
            throw new IllegalArgumentException("kernel " + kernelH + "×" + kernelW + " larger than padded input " + this);
        }
        if ((long) batch * channels * height * width > Integer.MAX_VALUE
                || (long) batch * outHeight(height, kernelH, strideH, padTop, padBottom) * outHeight(width, kernelW, strideW, padLeft, padRight)
                   * channels * kernelH * kernelW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("convolution too large for one im2col matrix " + this);
        }
    }

    /** A square kernel with one stride and symmetric zero padding (the paper's networks). */
    public ConvGeometry(int batch, int channels, int height, int width, int kernel, int stride, int padding) {
        this(batch, channels, height, width, kernel, kernel, stride, stride, padding, padding, padding, padding);
    }

    private static int outHeight(int in, int k, int s, int p0, int p1) {
        return (in + p0 + p1 - k) / s + 1;
    }

    /** The same geometry for another batch size. */
    public ConvGeometry withBatch(int b) {
        return new ConvGeometry(b, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight);
    }

    /** The kernel's side of a square kernel. */
    public int kernel() {
        if (kernelH != kernelW) throw new IllegalStateException("kernel is not square: " + this);
        return kernelH;
    }

    public int stride() {
        if (strideH != strideW) throw new IllegalStateException("strides differ: " + this);
        return strideH;
    }

    public int padding() {
        if (padTop != padLeft || padTop != padBottom || padTop != padRight) throw new IllegalStateException("padding is not symmetric: " + this);
        return padTop;
    }

    public int outHeight() {
        return outHeight(height, kernelH, strideH, padTop, padBottom);
    }

    public int outWidth() {
        return outHeight(width, kernelW, strideW, padLeft, padRight);
    }

    public int rows() {
        return batch * outHeight() * outWidth();
    }

    public int cols() {
        return channels * kernelH * kernelW;
    }

    public int inputSize() {
        return batch * channels * height * width;
    }

    /** im2col of an NCHW input (zero padding contributes ring zeros). */
    public long[] im2col(long[] x) {
        return im2colRows(x, 0, rows(), new long[rows() * cols()]);
    }

    /**
     * Rows [r0, r1) of im2col(x) into out (from its start, (r1 − r0)·cols values; the rest of out is left as it
     * is), for products that stream the patch matrix a tile at a time. Returns out.
     */
    public long[] im2colRows(long[] x, int r0, int r1, long[] out) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("input has " + x.length + " elements, geometry needs " + inputSize());
        }
        int p = outHeight(), q = outWidth(), fh = kernelH, fw = kernelW, cols = cols();
        if (r0 < 0 || r1 > rows() || r0 > r1 || out.length < (r1 - r0) * cols) {
            throw new IllegalArgumentException("rows [" + r0 + ", " + r1 + ") of " + rows() + " into " + out.length + " values");
        }
        java.util.Arrays.fill(out, 0, (r1 - r0) * cols, 0L);
        for (int row = r0; row < r1; row++) {
            int b = row / (p * q), oy = (row / q) % p, ox = row % q;
            int base = (row - r0) * cols;
            for (int c = 0; c < channels; c++) {
                int chan = (b * channels + c) * height;
                for (int ky = 0; ky < fh; ky++) {
                    int iy = oy * strideH - padTop + ky;
                    int colBase = base + (c * fh + ky) * fw;
                    if (iy < 0 || iy >= height) continue;
                    int rowOff = (chan + iy) * width;
                    for (int kx = 0; kx < fw; kx++) {
                        int ix = ox * strideW - padLeft + kx;
                        if (ix >= 0 && ix < width) out[colBase + kx] = x[rowOff + ix];
                    }
                }
            }
        }
        return out;
    }

    /** The adjoint of im2col: scatter-adds each row back onto its patch (used for the input gradient). */
    public long[] col2im(long[] cols2) {
        int p = outHeight(), q = outWidth(), fh = kernelH, fw = kernelW, cols = cols();
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
                        for (int ky = 0; ky < fh; ky++) {
                            int iy = oy * strideH - padTop + ky;
                            if (iy < 0 || iy >= height) continue;
                            int colBase = base + (c * fh + ky) * fw;
                            int rowOff = (chan + iy) * width;
                            for (int kx = 0; kx < fw; kx++) {
                                int ix = ox * strideW - padLeft + kx;
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
