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
        try {
            // one read of a ~1.5 kB file and a scan of its bytes: a served query asks for it (no regex, no lines)
            byte[] b = Files.readAllBytes(STATUS);
            return new long[] {field(b, VM_HWM), field(b, VM_RSS)};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final byte[] VM_HWM = "VmHWM:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VM_RSS = "VmRSS:".getBytes(StandardCharsets.US_ASCII);

    /** The number after the first line starting with key, or -1. */
    static long field(byte[] b, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= b.length; i++) {
            if (i > 0 && b[i - 1] != '\n') continue;
            for (int j = 0; j < key.length; j++) if (b[i + j] != key[j]) continue outer;
            int k = i + key.length;
            while (k < b.length && (b[k] == ' ' || b[k] == '\t')) k++;
            long v = 0;
            int digits = 0;
            for (; k < b.length && b[k] >= '0' && b[k] <= '9'; k++, digits++) v = v * 10 + (b[k] - '0');
            return digits == 0 ? -1 : v;
        }
        return -1;
    }

    /** kB as MB with one decimal (NaN for -1: unknown). */
    public static double mb(long kb) {
        return kb < 0 ? Double.NaN : Math.round(kb / 102.4) / 10.0;
    }
}
