package io.securenn.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory, from /proc/self/status (Linux): the peak (VmHWM, JVM included: heap, code,
 * threads, buffers) and the current value (VmRSS). -1 where there is no such file. Reading it is cheap (one
 * small file), so it can be sampled every epoch.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Peak resident set size in kB, or -1. */
    public static long peakRssKb() {
        return read()[0];
    }

    /** Current resident set size in kB, or -1. */
    public static long rssKb() {
        return read()[1];
    }

    /** {peak, current} resident set size in kB from one reading (so peak ≥ current), -1 where unknown. */
    public static long[] read() {
        long[] r = {-1, -1};
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (l.startsWith("VmHWM:")) r[0] = Long.parseLong(l.replaceAll("[^0-9]", ""));
                if (l.startsWith("VmRSS:")) r[1] = Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return r;
    }

    /** kB as MB with one decimal (NaN for -1: unknown). */
    public static double mb(long kb) {
        return kb < 0 ? Double.NaN : Math.round(kb / 102.4) / 10.0;
    }
}
