package io.securenn.tensor;

/**
 * Plain matrix kernels over Z_{2^64} (row-major long[]). All arithmetic wraps modulo 2^64.
 * {@link #multiply} is the hot kernel of MatMul and Conv2d: a blocked i-k-j loop that C2 vectorises.
 */
public final class MatrixOps {
    private MatrixOps() {}

    /** C (m×v) = A (m×n) · B (n×v). */
    public static long[] multiply(long[] a, long[] b, int m, int n, int v) {
        long[] c = new long[m * v];
        multiplyAdd(a, b, c, m, n, v);
        return c;
    }

    /** Whether the Vector API kernels run: the module is there and vectors hold at least four longs. */
    static final boolean VECTOR = vectorAvailable();

    private static boolean vectorAvailable() {
        if (Boolean.getBoolean("securenn.scalar")) return false;
        try {
            return VectorKernels.LANES >= 4;
        } catch (Throwable t) {   // module jdk.incubator.vector not added to this JVM
            return false;
        }
    }

    /**
     * C += A·B with the fastest kernel for the shape, as measured on AVX2 (docs/benchmarks/jmh.md,
     * MatMulKernelFormsBench, KernelTurns): the row-by-row vector kernel when B is at least a vector wide (0.4–0.6×
     * the scalar kernel's time from 16 rows, 0.15–0.3× for 4–7 columns, no slower for a single row); for a narrower
     * B, the dot-product kernel when A has four rows and is a vector wide (0.1–0.3×: one to three columns); else the
     * scalar kernel.
     */
    public static void multiplyAdd(long[] a, long[] b, long[] c, int m, int n, int v) {
        if (a.length != m * n || b.length != n * v || c.length != m * v) {
            throw new IllegalArgumentException("matrix sizes do not match " + m + "x" + n + " * " + n + "x" + v);
        }
        if (VECTOR && v >= VectorKernels.LANES) {
            VectorKernels.multiplyAdd(a, b, c, m, n, v);
        } else if (VECTOR && n >= VectorKernels.LANES && m >= 4) {
            VectorKernels.multiplyAddNarrow(a, b, c, m, n, v, 0);
        } else {
            multiplyAddScalar(a, b, c, m, n, v);
        }
    }

    /** The scalar twin: C += A · B. Blocked over k so a block of B rows stays in cache while it is reused by every row of A. */
    public static void multiplyAddScalar(long[] a, long[] b, long[] c, int m, int n, int v) {
        final int kb = 256;
        for (int k0 = 0; k0 < n; k0 += kb) {
            int k1 = Math.min(n, k0 + kb);
            for (int i = 0; i < m; i++) {
                int ci = i * v;
                int ai = i * n;
                for (int k = k0; k < k1; k++) {
                    long aik = a[ai + k];
                    if (aik == 0) continue;
                    int bk = k * v;
                    for (int j = 0; j < v; j++) c[ci + j] += aik * b[bk + j];
                }
            }
        }
    }

    /** The narrow-B vector kernel alone (tests and benchmarks); requires jdk.incubator.vector and n, v ≥ 1. */
    public static void multiplyAddNarrow(long[] a, long[] b, long[] c, int m, int n, int v) {
        VectorKernels.multiplyAddNarrow(a, b, c, m, n, v, 0);
    }

    /** The vector kernel alone (tests and benchmarks); requires jdk.incubator.vector. */
    public static void multiplyAddVector(long[] a, long[] b, long[] c, int m, int n, int v) {
        VectorKernels.multiplyAdd(a, b, c, m, n, v);
    }

    /** Reference triple loop, the scalar twin that tests cross-check the fast kernels against. */
    public static long[] multiplyNaive(long[] a, long[] b, int m, int n, int v) {
        long[] c = new long[m * v];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < v; j++) {
                long s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * v + j];
                c[i * v + j] = s;
            }
        return c;
    }

    public static long[] transpose(long[] a, int rows, int cols) {
        long[] t = new long[a.length];
        final int bs = 32;
        for (int i0 = 0; i0 < rows; i0 += bs)
            for (int j0 = 0; j0 < cols; j0 += bs)
                for (int i = i0; i < Math.min(rows, i0 + bs); i++)
                    for (int j = j0; j < Math.min(cols, j0 + bs); j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    /** Element-wise product. */
    public static long[] hadamard(long[] a, long[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("length mismatch " + a.length + " vs " + b.length);
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * b[i];
        return r;
    }
}
