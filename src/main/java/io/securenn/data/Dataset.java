package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;

/**
 * Labelled images as the data owner holds them: count images of rows×cols unsigned-byte pixels and a label
 * 0..classes−1 each. Pixels are scaled to [0, 1] (p / 255) and then encoded in fixed point for the networks.
 */
public final class Dataset {
    /** Fixed-point encoding of p / 255 for every byte value p. */
    private static final long[] PIXEL = new long[256];

    static {
        for (int p = 0; p < 256; p++) PIXEL[p] = FixedPoint.encode(p / 255.0);
    }

    private final String name;
    private final int count, rows, cols, classes;
    private final byte[] pixels;
    private final byte[] labels;

    public Dataset(String name, int count, int rows, int cols, int classes, byte[] pixels, byte[] labels) {
        if (pixels.length != (long) count * rows * cols || labels.length != count) {
            throw new IllegalArgumentException("dataset arrays do not match " + count + " images of " + rows + "×" + cols);
        }
        for (int i = 0; i < count; i++) {
            if ((labels[i] & 0xff) >= classes) {
                throw SecureNnException.badInput(name + ": label " + (labels[i] & 0xff) + " of image " + i
                        + " is not a class 0.." + (classes - 1));
            }
        }
        this.name = name;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Images and labels from two IDX arrays, with the consistency checks of the format. */
    public static Dataset of(String name, Idx.Array images, Idx.Array labels, int classes) {
        if (images.dims().length != 3) throw SecureNnException.badInput(name + ": images must have 3 dimensions");
        if (labels.dims().length != 1) throw SecureNnException.badInput(name + ": labels must have 1 dimension");
        if (images.dim(0) != labels.dim(0)) {
            throw SecureNnException.badInput(name + ": " + images.dim(0) + " images but " + labels.dim(0) + " labels");
        }
        return new Dataset(name, images.dim(0), images.dim(1), images.dim(2), classes, images.data(), labels.data());
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
        return rows * cols;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The first n images (n ≤ count). */
    public Dataset limit(int n) {
        if (n >= count) return this;
        if (n <= 0) throw SecureNnException.usage("--limit must be positive, got " + n);
        byte[] p = java.util.Arrays.copyOf(pixels, n * imageSize());
        byte[] l = java.util.Arrays.copyOf(labels, n);
        return new Dataset(name, n, rows, cols, classes, p, l);
    }

    /** Images idx[0..], one row of rows·cols fixed-point values in [0, 1] each. */
    public long[] imagesFixed(int[] idx) {
        int s = imageSize();
        long[] out = new long[idx.length * s];
        for (int k = 0; k < idx.length; k++) {
            int base = idx[k] * s;
            for (int j = 0; j < s; j++) out[k * s + j] = PIXEL[pixels[base + j] & 0xff];
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
