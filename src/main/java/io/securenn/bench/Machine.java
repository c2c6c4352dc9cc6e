package io.securenn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the benchmarks ran on, for the reports, and the peak resident memory of this process. */
public final class Machine {
    private Machine() {}

    /** Lines describing this host: date, processors, `lscpu | head`, memory, OS, JDK. */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.add("nproc: " + Runtime.getRuntime().availableProcessors());
        List<String> lscpu = command("lscpu");
        int n = 0;
        for (String l : lscpu) {
            if (n++ >= 15) break;
            if (!l.startsWith("Flags")) out.add("lscpu: " + l.replaceAll("\\s{2,}", " "));
        }
        String mem = memTotal();
        if (mem != null) out.add("memory: " + mem);
        out.add("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.add("jdk: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                + System.getProperty("java.vm.vendor") + ")");
        String load = loadAverage();
        if (load != null) out.add("load average (1, 5, 15 min) at the start: " + load);
        return out;
    }

    /** The first three fields of /proc/loadavg, or null. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Output lines of a short command, or nothing if it is not there. */
    static List<String> command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] b = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return List.of();
            return new String(b, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * Peak resident set size of this process in kB (VmHWM of /proc/self/status), or -1 where there is no such
     * file (not Linux).
     */
    public static long peakRssKb() {
        return io.securenn.runtime.ProcessMemory.peakRssKb();
    }
}
