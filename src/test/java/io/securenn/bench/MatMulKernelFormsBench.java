package io.securenn.bench;

import io.securenn.tensor.MatrixOps;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The matrix kernels of issue 16 on the shapes of the small benchmark rows: the vector kernel against its form
 * before (four rows of A against one strip of B; now two strips), and the kernel {@link MatrixOps#multiplyAdd}
 * picks against the scalar twin, which it picked before for B narrower than two vectors (the convolution's five
 * channels, the ten logits). Run: scripts/jmh.sh MatMulKernelFormsBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The kernels compiled on their own, as in a party process (-XX:+PrintInlining of a bench worker: MatMul's and the
// convolution's calls to VectorKernels.multiplyAdd are "too big" to inline, and so is fourRowsTwoStrips into it).
// Inlined into JMH's measurement loop, the two-strip kernel measured 1.3x the one-strip form's time instead of 0.85x.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=dontinline,io.securenn.tensor.VectorKernels::multiply*",
        "-XX:CompileCommand=dontinline,io.securenn.tensor.MatrixOps::multiplyAdd*",
        "-XX:CompileCommand=dontinline,io.securenn.bench.MatMulKernelFormsBench::oneStrip"})
public class MatMulKernelFormsBench {
    /**
     * m×n×v (written with x, so that JMH's -p can name one): blocks of rows as MatMul forms them (16 384 values of X per block): A's first layer at batch 128
     * (20 × 784 · 784 × 128), its second (128³), D's second (16 × 980 · 980 × 100); a square case; a tile of D's
     * convolution at batch 128 (10 485 patches × 25 · 25 × 5) and the weights' gradient of A's last layer
     * (128 × 128 · 128 × 10, transposed X).
     */
    @Param({"20x784x128", "128x128x128", "16x980x100", "256x256x256", "10485x25x5", "128x128x10"})
    public String shape;

    long[] a, b;
    int m, n, v;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        v = Integer.parseInt(p[2]);
        SplittableRandom r = new SplittableRandom(1);
        a = r.longs((long) m * n).toArray();
        b = r.longs((long) n * v).toArray();
    }

    @Benchmark
    public long[] vectorBlocked() {
        long[] c = new long[m * v];
        MatrixOps.multiplyAddVector(a, b, c, m, n, v);
        return c;
    }

    @Benchmark
    public long[] vectorBaselineOneStrip() {
        long[] c = new long[m * v];
        oneStrip(a, b, c, m, n, v);
        return c;
    }

    /** What MatrixOps.multiplyAdd runs for the shape. */
    @Benchmark
    public long[] pickedKernel() {
        long[] c = new long[m * v];
        MatrixOps.multiplyAdd(a, b, c, m, n, v);
        return c;
    }

    /** The scalar twin (what multiplyAdd ran for v below two vectors, or m below 4, before issue 16). */
    @Benchmark
    public long[] pickedBaselineScalar() {
        long[] c = new long[m * v];
        MatrixOps.multiplyAddScalar(a, b, c, m, n, v);
        return c;
    }

    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;

    /** VectorKernels.multiplyAdd as it was (4 rows × 1 strip, blocked over k by 128), with its scalar tail. */
    static void oneStrip(long[] a, long[] b, long[] c, int m, int n, int v) {
        int lanes = S.length(), vEnd = v - v % lanes;
        for (int k0 = 0; k0 < n; k0 += 128) {
            int k1 = Math.min(n, k0 + 128);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
                int c0 = i * v, c1 = c0 + v, c2 = c1 + v, c3 = c2 + v;
                for (int j = 0; j < vEnd; j += lanes) {
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
                for (int j = 0; j < vEnd; j += lanes) {
                    LongVector s = LongVector.fromArray(S, c, ci + j);
                    for (int k = k0; k < k1; k++) s = LongVector.fromArray(S, b, k * v + j).mul(a[ai + k]).add(s);
                    s.intoArray(c, ci + j);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            if (vEnd == v) break;
            int ai = i * n, ci = i * v;
            for (int k = 0; k < n; k++) {
                long aik = a[ai + k];
                for (int j = vEnd; j < v; j++) c[ci + j] += aik * b[k * v + j];
            }
        }
    }
}
