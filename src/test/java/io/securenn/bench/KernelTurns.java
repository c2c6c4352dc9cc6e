package io.securenn.bench;

import io.securenn.tensor.MatrixOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Matrix kernels measured in turns in one JVM, for a machine shared with other work: JMH measures one benchmark after
 * another, so a neighbour's burst lands on whichever runs then (± 50–80 % on this machine at load 4–5); here every
 * round runs each form once, on the same inputs, and the medians over the rounds compare. The forms: the scalar
 * twin, the vector kernel before issue 16 (MatMulKernelFormsBench.oneStrip), the vector kernel now, and what
 * MatrixOps.multiplyAdd picks. Usage (docs/benchmarks/jmh.md):
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes io.securenn.bench.KernelTurns [m,n,v ...]}
 */
public final class KernelTurns {
    private KernelTurns() {}

    private interface Kernel {
        void run(long[] a, long[] b, long[] c, int m, int n, int v);
    }

    public static void main(String[] args) {
        String[] shapes = args.length > 0 ? args
                : new String[] {"20,784,128", "128,128,128", "16,980,100", "256,256,256", "10485,25,5", "128,128,10", "1,784,128"};
        List<String> names = List.of("scalar", "oneStrip", "vector", "picked");
        List<Kernel> forms = List.of(MatrixOps::multiplyAddScalar, MatMulKernelFormsBench::oneStrip,
                MatrixOps::multiplyAddVector, MatrixOps::multiplyAdd);
        System.out.println("shape (m,n,v)  median µs per product over 300 rounds: " + String.join(", ", names));
        for (String sh : shapes) {
            String[] p = sh.split(",");
            int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), v = Integer.parseInt(p[2]);
            SplittableRandom r = new SplittableRandom(1);
            long[] a = r.longs((long) m * n).toArray(), b = r.longs((long) n * v).toArray(), c = new long[m * v];
            long[] expect = MatrixOps.multiplyNaive(a, b, m, n, v);
            int reps = Math.max(1, (int) (4e6 / ((double) m * n * v)));
            int rounds = 300, warm = 100;
            long[][] t = new long[forms.size()][rounds];
            for (int round = -warm; round < rounds; round++) {
                for (int f = 0; f < forms.size(); f++) {
                    long t0 = System.nanoTime();
                    for (int q = 0; q < reps; q++) {
                        Arrays.fill(c, 0);
                        forms.get(f).run(a, b, c, m, n, v);
                    }
                    long dt = (System.nanoTime() - t0) / reps;
                    if (round >= 0) t[f][round] = dt;
                    if (round == -warm && !Arrays.equals(c, expect)) throw new AssertionError(names.get(f) + " differs at " + sh);
                }
            }
            List<String> cells = new ArrayList<>();
            for (long[] x : t) {
                Arrays.sort(x);
                cells.add(String.format(Locale.ROOT, "%.1f", x[rounds / 2] / 1e3));
            }
            System.out.printf(Locale.ROOT, "%-14s %s%n", sh, String.join(", ", cells));
        }
    }
}
