package io.securenn.tensor;

import java.util.Arrays;

/** A dense tensor of ring elements: a flat row-major {@code long[]} plus a shape. */
public final class LongTensor {
    private final long[] data;
    private final int[] shape;

    public LongTensor(long[] data, int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    public static LongTensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return new LongTensor(new long[Math.toIntExact(n)], shape);
    }

    public long[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    public LongTensor reshape(int... newShape) {
        return new LongTensor(data, newShape);
    }

    public LongTensor copy() {
        return new LongTensor(data.clone(), shape);
    }

    /** Transpose of a matrix (rank 2). */
    public LongTensor transpose() {
        if (shape.length != 2) throw new IllegalArgumentException("transpose needs a matrix, got rank " + shape.length);
        return new LongTensor(MatrixOps.transpose(data, shape[0], shape[1]), shape[1], shape[0]);
    }

    @Override
    public String toString() {
        return "LongTensor" + Arrays.toString(shape);
    }
}
