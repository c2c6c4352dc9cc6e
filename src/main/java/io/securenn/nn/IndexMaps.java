package io.securenn.nn;

import java.util.function.UnaryOperator;

/**
 * Index maps for {@link Backend#gather} / {@link Backend#scatterAdd}, and a way to derive one from any layout
 * reshape that copies elements (im2col, NCHW ↔ rows): running it on the vector 1, 2, …, n tells where every
 * output element comes from (0, i.e. a padding zero, becomes −1).
 */
public final class IndexMaps {
    private IndexMaps() {}

    public static int[] of(int inputLength, UnaryOperator<long[]> copyingReshape) {
        long[] ids = new long[inputLength];
        for (int i = 0; i < inputLength; i++) ids[i] = i + 1;
        long[] out = copyingReshape.apply(ids);
        int[] map = new int[out.length];
        for (int i = 0; i < out.length; i++) map[i] = (int) out[i] - 1;
        return map;
    }

    /** Each of the count elements repeated n times in a row: out[w·n + k] = in[w]. */
    public static int[] repeatEach(int count, int n) {
        int[] map = new int[count * n];
        for (int w = 0; w < count; w++)
            for (int k = 0; k < n; k++) map[w * n + k] = w;
        return map;
    }

    /**
     * Pooling windows of an NCHW tensor (batch, c, h, w) with an f×f window and stride s, as count = batch·c·p·q
     * windows of f·f contiguous values (window order (b, c, y, x), so window maxima come out in NCHW order;
     * within a window (ky, kx) row-major).
     */
    public static int[] poolWindows(int batch, int channels, int h, int w, int f, int s) {
        int p = (h - f) / s + 1, q = (w - f) / s + 1;
        int[] map = new int[batch * channels * p * q * f * f];
        int o = 0;
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++) {
                int plane = (b * channels + c) * h * w;
                for (int y = 0; y < p; y++)
                    for (int x = 0; x < q; x++)
                        for (int ky = 0; ky < f; ky++)
                            for (int kx = 0; kx < f; kx++) map[o++] = plane + (y * s + ky) * w + x * s + kx;
            }
        return map;
    }
}
