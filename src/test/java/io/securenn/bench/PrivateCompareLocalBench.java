package io.securenn.bench;

import io.securenn.protocol.privatecompare.MaskedShares;
import io.securenn.protocol.privatecompare.MaskedSharesVector;
import io.securenn.protocol.privatecompare.MaskedSharesVector256;
import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.random.Prg;
import io.securenn.ring.Zp;
import io.securenn.ring.ZpKernels;
import io.securenn.ring.ZpKernelsVector;
import io.securenn.ring.ZpKernelsVector256;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * PrivateCompare's local work for n comparisons, each kernel's forms in the same run against its scalar twin (the
 * {@code …BaselineScalar} of its family): P0's masked shares ({@link PrivateCompare#maskedShares}: the c shares with
 * their running sums, times s, masked, rotated; {@code maskedShares} is the form this JVM picks), P2's zero test and
 * P2's dealing of the bit shares (in place, as {@code HelperMessage} deals them). The 512-bit forms run emulated,
 * very slowly, without AVX-512. {@code byteLoopBaseline} reads and writes the same 64·n values once with one
 * multiply-add mod 67 each (no prefix sums, no rotation): the floor for touching that data. The randomness is drawn
 * in the setup. Sample mode: on a shared machine the median of many short calls is steadier than the mean.
 * Run: scripts/jmh.sh PrivateCompareLocalBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PrivateCompareLocalBench {
    /** Elements compared in one call (DReLU of a 128×128 layer calls it on 16384). */
    @Param({"1024", "16384"})
    public int n;

    byte[] x, a, rotation, mask, u, s0;
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
        s0 = prg.modP(len);
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
    public byte[] maskedSharesBaselineScalar() {
        return MaskedShares.scalar(0, x, r, beta, a, rotation, mask, u, n);
    }

    @Benchmark
    public byte[] maskedSharesVector512() {
        return MaskedSharesVector.compute(0, x, r, beta, a, rotation, mask, u, n);
    }

    @Benchmark
    public byte[] maskedSharesVector256() {
        return MaskedSharesVector256.compute(0, x, r, beta, a, rotation, mask, u, n);
    }

    /** P2's side: the zero test over both parties' masked vectors. */
    @Benchmark
    public long[] evaluateBaselineScalar() {
        return ZpKernels.anyZeroSumScalar(x, mask, n);
    }

    @Benchmark
    public long[] evaluateVector512() {
        return ZpKernelsVector.anyZeroSum(x, mask, n);
    }

    @Benchmark
    public long[] evaluateVector256() {
        return ZpKernelsVector256.anyZeroSum(x, mask, n);
    }

    /** P2 dealing P1's Z_67 shares of the bits of r in place of P0's (s0, refreshed from x by a copy). */
    @Benchmark
    public byte[] bitSharesBaselineScalar() {
        System.arraycopy(x, 0, s0, 0, s0.length);
        ZpKernels.bitSharesMinusInPlaceScalar(r, 0, s0, n);
        return s0;
    }

    @Benchmark
    public byte[] bitSharesVector512() {
        System.arraycopy(x, 0, s0, 0, s0.length);
        ZpKernelsVector.bitSharesMinusInPlace(r, 0, s0, n);
        return s0;
    }

    @Benchmark
    public byte[] bitSharesVector256() {
        System.arraycopy(x, 0, s0, 0, s0.length);
        ZpKernelsVector256.bitSharesMinusInPlace(r, 0, s0, n);
        return s0;
    }
}
