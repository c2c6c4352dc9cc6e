package io.securenn.tensor;

/**
 * Geometry of 2-D pooling on a C×H×W example: a kh×kw window, strides, pads (top, left, bottom, right) and ONNX's
 * ceil_mode. The output extent follows ONNX (and PyTorch): ⌊(in + pads − k)/s⌋ + 1, or with ceil_mode the ceiling,
 * less one where the last window would start past the input and its begin padding.
 */
public record PoolGeometry(int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
                           int padTop, int padLeft, int padBottom, int padRight, boolean ceilMode) {

    public PoolGeometry {
        if (channels <= 0 || height <= 0 || width <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0
                || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("invalid pooling geometry");
        }
        if (padTop >= kernelH || padBottom >= kernelH || padLeft >= kernelW || padRight >= kernelW) {
            throw new IllegalArgumentException("pooling pads must be smaller than the kernel");
        }
        if (height + padTop + padBottom < kernelH || width + padLeft + padRight < kernelW) {
            throw new IllegalArgumentException("pooling kernel " + kernelH + "×" + kernelW + " larger than the padded input " + height + "×" + width);
        }
    }

    /** A square window without padding (the paper's networks). */
    public static PoolGeometry square(int channels, int height, int width, int window, int stride) {
        return new PoolGeometry(channels, height, width, window, window, stride, stride, 0, 0, 0, 0, false);
    }

    public static int outExtent(int in, int k, int s, int padBegin, int padEnd, boolean ceil) {
        int span = in + padBegin + padEnd - k;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= in + padBegin) o--;
        return o;
    }

    public int outHeight() {
        return outExtent(height, kernelH, strideH, padTop, padBottom, ceilMode);
    }

    public int outWidth() {
        return outExtent(width, kernelW, strideW, padLeft, padRight, ceilMode);
    }

    /** "3×3 stride 2 pad 1,1,0,0 ceil on 64×112×112" (pads and ceil only where there are any). */
    public String describe() {
        String s = strideH == strideW ? String.valueOf(strideH) : strideH + "×" + strideW;
        String pads = padTop + padLeft + padBottom + padRight > 0 ? " pad " + padTop + "," + padLeft + "," + padBottom + "," + padRight : "";
        return kernelH + "×" + kernelW + " stride " + s + pads + (ceilMode ? " ceil" : "") + " on " + channels + "×" + height + "×" + width;
    }

    public int windowSize() {
        return kernelH * kernelW;
    }

    public int inputSize() {
        return channels * height * width;
    }

    public int outputSize() {
        return channels * outHeight() * outWidth();
    }

    public boolean padded() {
        return padTop + padLeft + padBottom + padRight > 0 || (ceilMode && (outExtent(height, kernelH, strideH, padTop, padBottom, false) != outHeight()
                || outExtent(width, kernelW, strideW, padLeft, padRight, false) != outWidth()));
    }

    /**
     * The windows of a batch as count = batch·C·p·q windows of kh·kw positions (order (b, c, y, x); within a window
     * (ky, kx) row-major): the input index of each position, or −1 where it falls outside the input (padding or
     * past the end in ceil mode). With {@code repeatFirst}, such positions take the index of the window's first
     * position inside the input instead (max pooling: a copy of a candidate never changes the maximum).
     */
    public int[] windows(int batch, boolean repeatFirst) {
        int p = outHeight(), q = outWidth(), n = windowSize();
        int[] map = new int[Math.multiplyExact(Math.multiplyExact(batch * channels, p * q), n)];
        int o = 0;
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++) {
                int plane = (b * channels + c) * height * width;
                for (int y = 0; y < p; y++)
                    for (int x = 0; x < q; x++) {
                        int first = -1, start = o;
                        for (int ky = 0; ky < kernelH; ky++) {
                            int iy = y * strideH - padTop + ky;
                            for (int kx = 0; kx < kernelW; kx++) {
                                int ix = x * strideW - padLeft + kx;
                                int idx = iy >= 0 && iy < height && ix >= 0 && ix < width ? plane + iy * width + ix : -1;
                                if (first < 0) first = idx;
                                map[o++] = idx;
                            }
                        }
                        if (first < 0) throw new IllegalStateException("pooling window without an input position");
                        if (repeatFirst) for (int k = start; k < start + n; k++) if (map[k] < 0) map[k] = first;
                    }
            }
        return map;
    }

    /**
     * Per output position (C·p·q, one example), the number an average divides by: kh·kw when
     * {@code countIncludePad} (as onnxruntime does, even for a ceil-mode window that runs past the end padding,
     * where PyTorch divides by less), else the positions inside the input.
     */
    public int[] divisors(boolean countIncludePad) {
        int p = outHeight(), q = outWidth();
        int[] d = new int[channels * p * q];
        int o = 0;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < p; y++)
                for (int x = 0; x < q; x++) {
                    int y0 = y * strideH - padTop, x0 = x * strideW - padLeft;
                    int y1 = Math.min(y0 + kernelH, height + padBottom), x1 = Math.min(x0 + kernelW, width + padRight);
                    int cnt;
                    if (countIncludePad) {
                        cnt = kernelH * kernelW;
                    } else {
                        cnt = (Math.min(y1, height) - Math.max(y0, 0)) * (Math.min(x1, width) - Math.max(x0, 0));
                    }
                    d[o++] = cnt;
                }
        return d;
    }
}
