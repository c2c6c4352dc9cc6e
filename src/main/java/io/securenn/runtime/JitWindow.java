package io.securenn.runtime;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether this JVM's JIT is still busy, judged over the last stretch of work: as many of the latest steps (a bench
 * run, a served batch) as make up {@link #WINDOW_NANOS} of their time, at least the last one (the compilers work
 * in bursts between quiet steps: one quiet step of a few milliseconds says little). Used to end warm-ups when the
 * compilers are done rather than after a fixed time: on two cores shared by three party JVMs, C2 went on compiling
 * hot paths for seconds after any fixed warm-up (docs/benchmarks/README.md, "The small rows"; docs/SERVING.md).
 */
public final class JitWindow {
    public static final long WINDOW_NANOS = 2_000_000_000L;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final java.util.ArrayDeque<long[]> steps = new java.util.ArrayDeque<>();   // {jit ms, step ns}
    private long jitSum, nanoSum;

    /** The compilers' total time so far in this JVM, ms, or −1 if the JVM does not tell. */
    public static long compilerMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : -1;
    }

    /** The JIT is busy when the compilers' time reached 5 % of the wall time it was measured over (and 2 ms). */
    public static boolean compiling(long jitMillis, long nanos) {
        return jitMillis >= Math.max(2, 0.05 * nanos / 1e6);
    }

    /** Adds a step (its JIT ms, −1 if unknown: never busy) and tells whether the JIT is busy over the window. */
    public boolean add(long jitMillis, long stepNanos) {
        if (jitMillis < 0) return false;
        steps.addLast(new long[] {jitMillis, stepNanos});
        jitSum += jitMillis;
        nanoSum += stepNanos;
        while (steps.size() > 1 && nanoSum - steps.peekFirst()[1] >= WINDOW_NANOS) {
            long[] old = steps.removeFirst();
            jitSum -= old[0];
            nanoSum -= old[1];
        }
        return compiling(jitSum, nanoSum);
    }
}
