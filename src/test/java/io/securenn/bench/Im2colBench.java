package io.securenn.bench;

import io.securenn.tensor.ConvGeometry;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * im2col of NCHW activations ({@link ConvGeometry#im2col}) against the plain six-deep loop over (b, y, x, c, ky, kx)
 * with a bounds check per element, measured in the same run. Shapes: the convolutions of networks C and D at
 * batch 16. Run: scripts/jmh.sh Im2colBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Im2colBench {
    /** batch, channels, size, kernel, stride, padding. */
    @Param({"16,1,28,5,1,0", "16,20,12,5,1,0", "16,1,28,5,2,2"})
    public String geometry;

    ConvGeometry g;
    long[] x;

    @Setup
    public void setup() {
        String[] p = geometry.split(",");
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) v[i] = Integer.parseInt(p[i]);
        g = new ConvGeometry(v[0], v[1], v[2], v[2], v[3], v[4], v[5]);
        x = new SplittableRandom(1).longs(g.inputSize()).toArray();
    }

    @Benchmark
    public long[] naiveBaseline() {
        return naive(g, x);
    }

    @Benchmark
    public long[] im2col() {
        return g.im2col(x);
    }

    /** The textbook loop: every output element computed with its own index arithmetic and padding test. */
    static long[] naive(ConvGeometry g, long[] x) {
        int p = g.outHeight(), q = g.outWidth(), f = g.kernel(), c = g.channels(), h = g.height(), w = g.width();
        long[] out = new long[g.rows() * g.cols()];
        for (int b = 0; b < g.batch(); b++)
            for (int oy = 0; oy < p; oy++)
                for (int ox = 0; ox < q; ox++)
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < f; ky++)
                            for (int kx = 0; kx < f; kx++) {
                                int iy = oy * g.stride() - g.padding() + ky, ix = ox * g.stride() - g.padding() + kx;
                                int row = (b * p + oy) * q + ox, col = (ch * f + ky) * f + kx;
                                out[row * g.cols() + col] = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0
                                        : x[((b * c + ch) * h + iy) * w + ix];
                            }
        return out;
    }
}
