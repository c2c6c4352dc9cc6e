package io.securenn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time and the party thread's CPU time per named scope of a run (a layer's pass, the argmax, the loss, the
 * reveal), summed over the measured runs: a scope's wall time less its CPU time is the time its thread was not
 * computing, waiting for a peer's message (the rounds) or for a processor. Read on the party's thread only.
 */
final class ScopeTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<String, long[]> byLabel = new LinkedHashMap<>();   // label → {calls, wall ns, cpu ns}
    private boolean recording;

    /** Whether the scopes closed from now on are counted (the measured runs). */
    void recording(boolean on) {
        recording = on;
    }

    /** Starts timing a scope; the returned action ends it. */
    Runnable start(String label) {
        long w0 = System.nanoTime(), c0 = cpu();
        return () -> {
            if (!recording) return;
            long[] t = byLabel.computeIfAbsent(label, k -> new long[3]);
            t[0]++;
            t[1] += System.nanoTime() - w0;
            t[2] += cpu() - c0;
        };
    }

    private static long cpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** Per scope, in the order first seen: wall and CPU ms per run ({@code runs} of them). */
    Map<String, Object> perRun(int runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : byLabel.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wall_ms_per_run", Math.round(e.getValue()[1] / 1e3 / runs) / 1000.0);
            m.put("cpu_ms_per_run", Math.round(e.getValue()[2] / 1e3 / runs) / 1000.0);
            out.put(e.getKey(), m);
        }
        return out;
    }
}
