package io.securenn.bench;

import io.securenn.tensor.MatrixOps;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Z_{2^64} matrix product kernels against the naive triple loop measured in the same run.
 * Run: scripts/jmh.sh MatMulKernelBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulKernelBench {
    /** m,n,v: a square case and the shapes of Network A's first layer and C's first convolution (batch 1). */
    @Param({"256,256,256", "128,784,128", "576,25,20"})
    public String shape;

    long[] a, b;
    int m, n, v;

    @Setup
    public void setup() {
        String[] p = shape.split(",");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        v = Integer.parseInt(p[2]);
        SplittableRandom r = new SplittableRandom(1);
        a = r.longs((long) m * n).toArray();
        b = r.longs((long) n * v).toArray();
    }

    @Benchmark
    public long[] naiveBaseline() {
        return MatrixOps.multiplyNaive(a, b, m, n, v);
    }

    @Benchmark
    public long[] scalarBlocked() {
        long[] c = new long[m * v];
        MatrixOps.multiplyAddScalar(a, b, c, m, n, v);
        return c;
    }

    @Benchmark
    public long[] vectorBlocked() {
        long[] c = new long[m * v];
        MatrixOps.multiplyAddVector(a, b, c, m, n, v);
        return c;
    }
}
