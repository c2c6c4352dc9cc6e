package io.securenn.tensor;

import java.util.List;

/**
 * Linear index operations on ring vectors (sums, gathers, scatters, concatenation, row broadcasts). They commute
 * with additive sharing, so the plaintext twin applies them to values and the secure backend to each share.
 */
public final class VectorOps {
    private VectorOps() {}

    /** matrix (rows×cols) + row broadcast over the rows. */
    public static long[] addRowVector(long[] matrix, long[] row, int rows, int cols) {
        check(matrix, (long) rows * cols);
        check(row, cols);
        long[] r = new long[matrix.length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) r[i * cols + j] = matrix[i * cols + j] + row[j];
        return r;
    }

    public static long[] sumColumns(long[] matrix, int rows, int cols) {
        check(matrix, (long) rows * cols);
        long[] r = new long[cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) r[j] += matrix[i * cols + j];
        return r;
    }

    public static long[] sumRows(long[] matrix, int rows, int cols) {
        check(matrix, (long) rows * cols);
        long[] r = new long[rows];
        for (int i = 0; i < rows; i++) {
            long s = 0;
            for (int j = 0; j < cols; j++) s += matrix[i * cols + j];
            r[i] = s;
        }
        return r;
    }

    /** out[i] = a[index[i]], or 0 where index[i] &lt; 0. */
    public static long[] gather(long[] a, int[] index) {
        long[] r = new long[index.length];
        for (int i = 0; i < index.length; i++) r[i] = index[i] < 0 ? 0 : a[index[i]];
        return r;
    }

    /** The adjoint of gather: out[index[i]] += a[i] for index[i] ≥ 0. */
    public static long[] scatterAdd(long[] a, int[] index, int outLength) {
        check(a, index.length);
        long[] r = new long[outLength];
        for (int i = 0; i < index.length; i++) if (index[i] >= 0) r[index[i]] += a[i];
        return r;
    }

    public static long[] concat(List<long[]> parts) {
        int n = 0;
        for (long[] p : parts) n += p.length;
        long[] r = new long[n];
        int off = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, r, off, p.length);
            off += p.length;
        }
        return r;
    }

    private static void check(long[] a, long n) {
        if (a.length != n) throw new IllegalArgumentException("operand has " + a.length + " elements, expected " + n);
    }
}
