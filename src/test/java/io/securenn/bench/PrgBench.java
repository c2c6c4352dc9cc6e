package io.securenn.bench;

import io.securenn.random.Prg;
import io.securenn.ring.Zp;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Draws from the AES-128-CTR stream ({@link Prg}: ring elements and rejection-sampled Z_67 values) against
 * java.util.SplittableRandom (not a cryptographic generator: the cheapest way to produce the same amount of
 * randomness, as a floor) in the same run, and the rejection sampler in the form this JVM picks against its scalar
 * twin ({@code modPPrgBaselineScalar}, a fork with vectors off). n = 64·1024 values per call, the size of a DReLU
 * over 1024 elements' bits. Sample mode: the median of many short calls is steadier on a shared machine.
 * Run: scripts/jmh.sh PrgBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PrgBench {
    @Param({"65536"})
    public int n;

    Prg prg;
    SplittableRandom rnd;

    @Setup
    public void setup() {
        prg = new Prg(new byte[16], new byte[16]);
        rnd = new SplittableRandom(1);
    }

    @Benchmark
    public long[] longsBaselineSplittableRandom() {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) r[i] = rnd.nextLong();
        return r;
    }

    @Benchmark
    public long[] longsPrg() {
        return prg.longs(n);
    }

    @Benchmark
    public byte[] modPBaselineSplittableRandom() {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) r[i] = (byte) rnd.nextInt(Zp.P);
        return r;
    }

    @Benchmark
    public byte[] modPPrg() {
        return prg.modP(n);
    }

    /** The scalar twin of the vector rejection sampler (same draws), in its own JVM with vectors off. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dsecurenn.vector=false"})
    public byte[] modPPrgBaselineScalar() {
        return prg.modP(n);
    }

    @Benchmark
    public byte[] modPNonZeroPrg() {
        return prg.nonZeroModP(n);
    }

    /** The exponents of PrivateCompare's s (Z_66), in this JVM's form and in the scalar one. */
    @Benchmark
    public byte[] modPMinusOnePrg() {
        return prg.modPMinusOne(n);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dsecurenn.vector=false"})
    public byte[] modPMinusOnePrgBaselineScalar() {
        return prg.modPMinusOne(n);
    }
}
