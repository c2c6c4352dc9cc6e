package io.securenn.bench;

import io.securenn.protocol.privatecompare.MaskedShares;
import io.securenn.protocol.privatecompare.MaskedSharesVector;
import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.random.Prg;
import io.securenn.ring.Zp;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * PrivateCompare's local work at P0 for n comparisons ({@link PrivateCompare#maskedShares}: the c shares with their
 * running sums, times s, masked, rotated), against a plain byte loop that reads and writes the same 64·n values
 * once with one multiply-add mod 67 each (no prefix sums, no rotation): the floor for touching that data. The
 * randomness is drawn in the setup. Run: scripts/jmh.sh PrivateCompareLocalBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PrivateCompareLocalBench {
    /** Elements compared in one call (DReLU of a 128×128 layer calls it on 16384). */
    @Param({"1024", "16384"})
    public int n;

    byte[] x, a, rotation, mask, u;
    long[] r, beta;

    @Setup
    public void setup() {
        Prg prg = new Prg(new byte[16], new byte[16]);
        int len = n * PrivateCompare.BITS;
        x = prg.modP(len);
        a = prg.modPMinusOne(len);
        rotation = prg.bytes(n);
        mask = prg.modP(len);
        r = prg.longs(n);
        beta = prg.bits(n);
        u = new byte[0];
        for (int e = 0; e < n; e++) if (r[e] == -1L) r[e] = 0;   // keep every element on the common branch
    }

    @Benchmark
    public byte[] byteLoopBaseline() {
        byte[] d = new byte[x.length];
        for (int i = 0; i < d.length; i++) d[i] = (byte) ((a[i] * x[i] + mask[i]) % Zp.P);
        return d;
    }

    @Benchmark
    public byte[] maskedShares() {
        return PrivateCompare.maskedShares(0, x, r, beta, a, rotation, mask, u, n);
    }

    @Benchmark
    public byte[] maskedSharesScalar() {
        return MaskedShares.scalar(0, x, r, beta, a, rotation, mask, u, n);
    }

    @Benchmark
    public byte[] maskedSharesVector() {
        return MaskedSharesVector.compute(0, x, r, beta, a, rotation, mask, u, n);
    }

    /** P2's side: the zero test over both parties' masked vectors, scalar and vector. */
    @Benchmark
    public long[] evaluateScalar() {
        return io.securenn.ring.ZpKernels.anyZeroSumScalar(x, mask, n);
    }

    @Benchmark
    public long[] evaluateVector() {
        return io.securenn.ring.ZpKernelsVector.anyZeroSum(x, mask, n);
    }

    /** P2 dealing P1's Z_67 shares of the bits of r, scalar and vector. */
    @Benchmark
    public byte[] bitSharesScalar() {
        return io.securenn.ring.ZpKernels.bitSharesMinusScalar(r, x, n);
    }

    @Benchmark
    public byte[] bitSharesVector() {
        return io.securenn.ring.ZpKernelsVector.bitSharesMinus(r, x, n);
    }
}
