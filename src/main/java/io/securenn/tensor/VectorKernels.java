package io.securenn.tensor;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for Z_{2^64} matrix products (the hot loop of MatMul and Conv2d). Register-blocked: four
 * rows of A against two vector-wide strips of B, so each B load feeds four multiply-adds. The scalar twin is
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

    /**
     * C += A·B for row-major A (m×n), B (n×v), C (m×v); v must be at least one vector wide to pay off. Four rows of A
     * against two vector-wide strips of B (eight accumulators): each broadcast of an A element feeds two multiplies
     * and each B load four. On AVX2 the 64-bit lane multiply is emulated with two 32-bit multiplies, and the
     * multiplier port bounds the kernel; the wider block saves the loads, broadcasts and accumulator traffic around
     * it (on AVX2, MatMulKernelFormsBench and KernelTurns: 0.8–0.9× the time of four rows × one strip on the small
     * rows' blocks, 0.64–0.75× at 256³; docs/benchmarks/jmh.md). A last strip of one vector and the rows left over
     * take the narrower loops, the columns past the last strip {@link #multiplyAddNarrow}.
     */
    static void multiplyAdd(long[] a, long[] b, long[] c, int m, int n, int v) {
        int vEnd = v - v % LANES, v2End = v - v % (2 * LANES);
        for (int k0 = 0; k0 < n; k0 += KB) {
            int k1 = Math.min(n, k0 + KB);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                // one small method per loop nest: the Vector API needs its calls inlined, which a large method defeats
                if (v2End > 0) fourRowsTwoStrips(a, b, c, n, v, i, k0, k1, v2End);
                if (vEnd > v2End) fourRowsOneStrip(a, b, c, n, v, i, k0, k1, v2End);
            }
            for (; i < m; i++) oneRow(a, b, c, n, v, i, k0, k1, vEnd);
        }
        // the columns past the last whole strip: as dot products where A's rows are a vector wide, else scalar
        if (vEnd < v && n >= LANES) {
            multiplyAddNarrow(a, b, c, m, n, v, vEnd);
        } else {
            for (int i = 0; i < m; i++) scalarTail(a, b, c, i, n, v, vEnd);
        }
    }

    /** Rows i..i+3 of C, columns [0, jEnd) in pairs of strips, += A's columns [k0, k1) · B's rows [k0, k1). */
    private static void fourRowsTwoStrips(long[] a, long[] b, long[] c, int n, int v, int i, int k0, int k1, int jEnd) {
        int a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        int c0 = i * v, c1 = c0 + v, c2 = c1 + v, c3 = c2 + v;
        for (int j = 0; j < jEnd; j += 2 * LANES) {
            int jw = j + LANES;
            LongVector s0 = LongVector.fromArray(S, c, c0 + j), t0 = LongVector.fromArray(S, c, c0 + jw);
            LongVector s1 = LongVector.fromArray(S, c, c1 + j), t1 = LongVector.fromArray(S, c, c1 + jw);
            LongVector s2 = LongVector.fromArray(S, c, c2 + j), t2 = LongVector.fromArray(S, c, c2 + jw);
            LongVector s3 = LongVector.fromArray(S, c, c3 + j), t3 = LongVector.fromArray(S, c, c3 + jw);
            for (int k = k0; k < k1; k++) {
                LongVector bv = LongVector.fromArray(S, b, k * v + j), bw = LongVector.fromArray(S, b, k * v + jw);
                long e0 = a[a0 + k], e1 = a[a1 + k], e2 = a[a2 + k], e3 = a[a3 + k];
                s0 = bv.mul(e0).add(s0);
                t0 = bw.mul(e0).add(t0);
                s1 = bv.mul(e1).add(s1);
                t1 = bw.mul(e1).add(t1);
                s2 = bv.mul(e2).add(s2);
                t2 = bw.mul(e2).add(t2);
                s3 = bv.mul(e3).add(s3);
                t3 = bw.mul(e3).add(t3);
            }
            s0.intoArray(c, c0 + j);
            t0.intoArray(c, c0 + jw);
            s1.intoArray(c, c1 + j);
            t1.intoArray(c, c1 + jw);
            s2.intoArray(c, c2 + j);
            t2.intoArray(c, c2 + jw);
            s3.intoArray(c, c3 + j);
            t3.intoArray(c, c3 + jw);
        }
    }

    /** Rows i..i+3 of C, the one strip at column j, += A's columns [k0, k1) · B's rows [k0, k1). */
    private static void fourRowsOneStrip(long[] a, long[] b, long[] c, int n, int v, int i, int k0, int k1, int j) {
        int a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        int c0 = i * v, c1 = c0 + v, c2 = c1 + v, c3 = c2 + v;
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

    /** Row i of C, columns [0, jEnd) strip by strip, += A's columns [k0, k1) · B's rows [k0, k1). */
    private static void oneRow(long[] a, long[] b, long[] c, int n, int v, int i, int k0, int k1, int jEnd) {
        int ai = i * n, ci = i * v;
        for (int j = 0; j < jEnd; j += LANES) {
            LongVector s = LongVector.fromArray(S, c, ci + j);
            for (int k = k0; k < k1; k++) s = LongVector.fromArray(S, b, k * v + j).mul(a[ai + k]).add(s);
            s.intoArray(c, ci + j);
        }
    }

    /**
     * Columns [j0, v) of C += A · those columns of B, for a B narrower than two vectors (v &lt; 2·LANES, e.g. a
     * convolution's 5 output channels; j0 = 0) or the columns a row-by-row kernel leaves over (v not a multiple of
     * LANES); n ≥ LANES to pay off. Each C value is the dot product of a row of A with a column of B, taken along the
     * rows of A (contiguous) against the rows of Bᵀ, four rows of A per column, and summed across the lanes at the
     * end (on AVX2: 0.26–0.32× the scalar kernel's time for 5–10 columns; as the tail of the row-by-row kernel,
     * 0.3–0.4× the one-strip form's scalar tail; docs/benchmarks/jmh.md).
     */
    static void multiplyAddNarrow(long[] a, long[] b, long[] c, int m, int n, int v, int j0) {
        int w = v - j0;
        if (w <= 0) return;
        long[] bt = new long[w * n];
        for (int k = 0; k < n; k++) for (int j = 0; j < w; j++) bt[j * n + k] = b[k * v + j0 + j];
        int nEnd = n - n % LANES, i = 0;
        for (; i + 4 <= m; i += 4) {
            for (int j = 0; j < w; j++) fourRowDots(a, bt, c, n, v, i, j0, j, nEnd);
        }
        for (; i < m; i++) {
            int ai = i * n;
            for (int j = 0; j < w; j++) {
                LongVector s = LongVector.zero(S);
                int bj = j * n;
                for (int k = 0; k < nEnd; k += LANES) {
                    s = LongVector.fromArray(S, a, ai + k).mul(LongVector.fromArray(S, bt, bj + k)).add(s);
                }
                long t = s.reduceLanes(VectorOperators.ADD);
                for (int k = nEnd; k < n; k++) t += a[ai + k] * bt[bj + k];
                c[i * v + j0 + j] += t;
            }
        }
    }

    /** C[i..i+3][j0 + j] += rows i..i+3 of A · row j of Bᵀ. */
    private static void fourRowDots(long[] a, long[] bt, long[] c, int n, int v, int i, int j0, int j, int nEnd) {
        int a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n, bj = j * n;
        LongVector s0 = LongVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int k = 0; k < nEnd; k += LANES) {
            LongVector bv = LongVector.fromArray(S, bt, bj + k);
            s0 = LongVector.fromArray(S, a, a0 + k).mul(bv).add(s0);
            s1 = LongVector.fromArray(S, a, a1 + k).mul(bv).add(s1);
            s2 = LongVector.fromArray(S, a, a2 + k).mul(bv).add(s2);
            s3 = LongVector.fromArray(S, a, a3 + k).mul(bv).add(s3);
        }
        long t0 = s0.reduceLanes(VectorOperators.ADD), t1 = s1.reduceLanes(VectorOperators.ADD);
        long t2 = s2.reduceLanes(VectorOperators.ADD), t3 = s3.reduceLanes(VectorOperators.ADD);
        for (int k = nEnd; k < n; k++) {
            long bk = bt[bj + k];
            t0 += a[a0 + k] * bk;
            t1 += a[a1 + k] * bk;
            t2 += a[a2 + k] * bk;
            t3 += a[a3 + k] * bk;
        }
        int cj = i * v + j0 + j;
        c[cj] += t0;
        c[cj + v] += t1;
        c[cj + 2 * v] += t2;
        c[cj + 3 * v] += t3;
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
