package io.securenn.tensor;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for Z_{2^64} matrix products (the hot loop of MatMul and Conv2d). Register-blocked: four
 * rows of A against one vector-wide strip of B, so each B load feeds four multiply-adds. The scalar twin is
 * {@link MatrixOps#multiplyAdd}; tests cross-check the two on random and edge shapes.
 */
final class VectorKernels {
    private VectorKernels() {}

    // A species must be a static final constant, or every use pays a lookup (measured 15–20× slower).
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    static final int LANES = S.length();

    /**
     * Rows of B per block: a block of B (KB × v) is reused by every row group of A before the next is read, so a
     * wide B (ResNet-50's 4608 × 512 weights: 19 MB) is not streamed from memory once per four rows (issue 15:
     * without blocking the kernel was 2.7× slower than the scalar twin on that shape).
     */
    static final int KB = 128;

    /** C += A·B for row-major A (m×n), B (n×v), C (m×v); v must be at least one vector wide to pay off. */
    static void multiplyAdd(long[] a, long[] b, long[] c, int m, int n, int v) {
        int vEnd = v - v % LANES;
        for (int k0 = 0; k0 < n; k0 += KB) {
            int k1 = Math.min(n, k0 + KB);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
                int c0 = i * v, c1 = c0 + v, c2 = c1 + v, c3 = c2 + v;
                for (int j = 0; j < vEnd; j += LANES) {
                    LongVector s0 = LongVector.fromArray(S, c, c0 + j);
                    LongVector s1 = LongVector.fromArray(S, c, c1 + j);
                    LongVector s2 = LongVector.fromArray(S, c, c2 + j);
                    LongVector s3 = LongVector.fromArray(S, c, c3 + j);
                    for (int k = k0; k < k1; k++) {
                        LongVector bv = LongVector.fromArray(S, b, k * v + j);
                        s0 = bv.mul(a[a0 + k]).add(s0);
                        s1 = bv.mul(a[a1 + k]).add(s1);
                        s2 = bv.mul(a[a2 + k]).add(s2);
                        s3 = bv.mul(a[a3 + k]).add(s3);
                    }
                    s0.intoArray(c, c0 + j);
                    s1.intoArray(c, c1 + j);
                    s2.intoArray(c, c2 + j);
                    s3.intoArray(c, c3 + j);
                }
            }
            for (; i < m; i++) {
                int ai = i * n, ci = i * v;
                for (int j = 0; j < vEnd; j += LANES) {
                    LongVector s = LongVector.fromArray(S, c, ci + j);
                    for (int k = k0; k < k1; k++) s = LongVector.fromArray(S, b, k * v + j).mul(a[ai + k]).add(s);
                    s.intoArray(c, ci + j);
                }
            }
        }
        for (int i = 0; i < m; i++) scalarTail(a, b, c, i, n, v, vEnd);
    }

    private static void scalarTail(long[] a, long[] b, long[] c, int row, int n, int v, int from) {
        if (from == v) return;
        int ai = row * n, ci = row * v;
        for (int k = 0; k < n; k++) {
            long aik = a[ai + k];
            int bk = k * v;
            for (int j = from; j < v; j++) c[ci + j] += aik * b[bk + j];
        }
    }
}
