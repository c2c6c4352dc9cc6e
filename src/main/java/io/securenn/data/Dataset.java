package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;

/**
 * Labelled images as the data owner holds them: count images of channels×rows×cols values and a label
 * 0..classes−1 each. Unsigned-byte pixels are scaled to [0, 1] (p / 255); real-valued images (a float .npy) are
 * kept as given. Both are encoded in fixed point for the models.
 */
public final class Dataset {
    /** Fixed-point encoding of p / 255 for every byte value p. */
    private static final long[] PIXEL = new long[256];

    static {
        for (int p = 0; p < 256; p++) PIXEL[p] = FixedPoint.encode(p / 255.0);
    }

    private final String name;
    private final int count, channels, rows, cols, classes;
    private final byte[] pixels;    // unsigned bytes, or null
    private final float[] values;   // real values, or null
    private final byte[] labels;

    public Dataset(String name, int count, int rows, int cols, int classes, byte[] pixels, byte[] labels) {
        this(name, count, 1, rows, cols, classes, pixels, null, labels);
    }

    /** Images of channels×rows×cols as unsigned bytes ({@code pixels}) or real values ({@code values}). */
    public Dataset(String name, int count, int channels, int rows, int cols, int classes, byte[] pixels, float[] values,
                   byte[] labels) {
        long n = (long) count * channels * rows * cols;
        if ((pixels == null) == (values == null) || (pixels != null ? pixels.length : values.length) != n || labels.length != count) {
            throw new IllegalArgumentException("dataset arrays do not match " + count + " images of " + channels + "×" + rows + "×" + cols);
        }
        for (int i = 0; i < count; i++) {
            if ((labels[i] & 0xff) >= classes) {
                throw SecureNnException.badInput(name + ": label " + (labels[i] & 0xff) + " of image " + i
                        + " is not a class 0.." + (classes - 1));
            }
        }
        this.name = name;
        this.count = count;
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.pixels = pixels;
        this.values = values;
        this.labels = labels;
    }

    /** The same images and labels for a model of {@code k} classes (every label must be below k). */
    public Dataset withClasses(int k) {
        return k == classes ? this : new Dataset(name, count, channels, rows, cols, k, pixels, values, labels);
    }

    /** Images and labels from two IDX arrays, with the consistency checks of the format. */
    public static Dataset of(String name, Idx.Array images, Idx.Array labels, int classes) {
        int rank = images.dims().length;
        if (rank != 3 && rank != 4) throw SecureNnException.badInput(name + ": images must have 3 (N×H×W) or 4 (N×C×H×W) dimensions");
        if (labels.dims().length != 1) throw SecureNnException.badInput(name + ": labels must have 1 dimension");
        if (images.dim(0) != labels.dim(0)) {
            throw SecureNnException.badInput(name + ": " + images.dim(0) + " images but " + labels.dim(0) + " labels");
        }
        int c = rank == 4 ? images.dim(1) : 1;
        return new Dataset(name, images.dim(0), c, images.dim(rank - 2), images.dim(rank - 1), classes, images.data(), null, labels.data());
    }

    public int channels() {
        return channels;
    }

    public String name() {
        return name;
    }

    public int count() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int classes() {
        return classes;
    }

    public int imageSize() {
        return channels * rows * cols;
    }

    /** The image shape per example: C×H×W. */
    public int[] imageShape() {
        return new int[] {channels, rows, cols};
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The index of the first image whose label is k or more, or −1. */
    public int firstLabelAtLeast(int k) {
        for (int i = 0; i < count; i++) if ((labels[i] & 0xff) >= k) return i;
        return -1;
    }

    /** The first n images (n ≤ count). */
    public Dataset limit(int n) {
        if (n >= count) return this;
        if (n <= 0) throw SecureNnException.usage("--limit must be positive, got " + n);
        byte[] p = pixels == null ? null : java.util.Arrays.copyOf(pixels, n * imageSize());
        float[] v = values == null ? null : java.util.Arrays.copyOf(values, n * imageSize());
        byte[] l = java.util.Arrays.copyOf(labels, n);
        return new Dataset(name, n, channels, rows, cols, classes, p, v, l);
    }

    /** Images idx[0..], one row of C·H·W fixed-point values each (bytes scaled to [0, 1]). */
    public long[] imagesFixed(int[] idx) {
        int s = imageSize();
        long[] out = new long[idx.length * s];
        for (int k = 0; k < idx.length; k++) {
            int base = idx[k] * s;
            if (pixels != null) {
                for (int j = 0; j < s; j++) out[k * s + j] = PIXEL[pixels[base + j] & 0xff];
            } else {
                for (int j = 0; j < s; j++) out[k * s + j] = FixedPoint.encode(values[base + j]);
            }
        }
        return out;
    }

    /** One-hot labels in fixed point (1.0 = 2^13), idx.length × classes. */
    public long[] labelsOneHotFixed(int[] idx) {
        long[] out = new long[idx.length * classes];
        for (int k = 0; k < idx.length; k++) out[k * classes + label(idx[k])] = FixedPoint.ONE;
        return out;
    }

    /** Labels as integers. */
    public long[] labelsInteger(int[] idx) {
        long[] out = new long[idx.length];
        for (int k = 0; k < idx.length; k++) out[k] = label(idx[k]);
        return out;
    }
}
