package io.securenn.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a party process's time goes over its measured runs, counted by the kernel and the JVM rather than timed:
 * per thread its time on a processor and its time runnable but waiting for one (Linux's
 * /proc/self/task/TID/schedstat, in ns), its voluntary and involuntary context switches (status), grouped by what
 * the thread is ({@link #group}); the collector's collections and pause time, the JIT compiler's time, and the
 * bytes allocated by all threads. The kernel's counts do not depend on what else runs beside the process, except
 * the runqueue wait, which is what a shared machine costs. Two snapshots, {@link #take} at the start of the first
 * measured run and at the end of the last, give the deltas ({@link #delta}). Where there is no /proc (not Linux)
 * the per-thread part is empty.
 */
public record ProcessTimes(Map<Long, ThreadTimes> threads, long gcCount, long gcMillis, long jitMillis,
                           long allocatedBytes, long uptimeMillis) {

    /** One thread's counters (name as the kernel has it: at most 15 characters). */
    public record ThreadTimes(String name, long cpuNanos, long waitNanos, long voluntary, long involuntary) {}

    /** A group's deltas over an interval, summed over its threads. */
    public record Group(long cpuNanos, long waitNanos, long voluntary, long involuntary, int threads) {
        Group plus(ThreadTimes d) {
            return new Group(cpuNanos + d.cpuNanos(), waitNanos + d.waitNanos(), voluntary + d.voluntary(),
                    involuntary + d.involuntary(), threads + 1);
        }
    }

    /** This process's counters now. */
    public static ProcessTimes take() {
        Map<Long, ThreadTimes> threads = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (Files.isDirectory(tasks)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
                for (Path t : ds) {
                    ThreadTimes tt = read(t);
                    if (tt != null) threads.put(Long.parseLong(t.getFileName().toString()), tt);
                }
            } catch (IOException | RuntimeException e) {
                threads.clear();
            }
        }
        long gcCount = 0, gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        var comp = ManagementFactory.getCompilationMXBean();
        long jit = comp != null && comp.isCompilationTimeMonitoringSupported() ? comp.getTotalCompilationTime() : -1;
        long alloc = -1;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean tmx
                && tmx.isThreadAllocatedMemorySupported() && tmx.isThreadAllocatedMemoryEnabled()) {
            alloc = tmx.getTotalThreadAllocatedBytes();
        }
        return new ProcessTimes(threads, gcCount, gcMillis, jit, alloc, ManagementFactory.getRuntimeMXBean().getUptime());
    }

    /**
     * Cheap counters to read around every run (no file is read): {this thread's CPU ns, JIT ms, collections}, -1
     * where the JVM does not tell.
     */
    public static long[] runCosts() {
        long thread = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        long jit = JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : -1;
        long gc = 0;
        for (GarbageCollectorMXBean b : COLLECTORS) gc += Math.max(0, b.getCollectionCount());
        return new long[] {thread, jit, gc};
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final java.lang.management.CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final java.util.List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    private static ThreadTimes read(Path task) {
        try {
            String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
            String[] s = Files.readString(task.resolve("schedstat"), StandardCharsets.UTF_8).trim().split("\\s+");
            long vol = 0, invol = 0;
            for (String l : Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8)) {
                if (l.startsWith("voluntary_ctxt_switches:")) vol = Long.parseLong(l.replaceAll("[^0-9]", ""));
                if (l.startsWith("nonvoluntary_ctxt_switches:")) invol = Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
            return new ThreadTimes(name, Long.parseLong(s[0]), Long.parseLong(s[1]), vol, invol);
        } catch (IOException | RuntimeException e) {
            return null;   // the thread ended, or no schedstat in this kernel
        }
    }

    /**
     * What a thread is, by its name: the party's own thread ({@code java}, as the kernel names a launcher's main
     * thread, or {@code main}, or a {@code LocalCluster} party's), the transport's
     * threads (link writers, the drain thread), the JIT compilers, the VM thread (where the serial collector runs)
     * and the other JVM threads.
     */
    public static String group(String name) {
        if (name.equals("java") || name.equals("main") || name.startsWith("party-P")) return "main";
        if (name.startsWith("securenn-")) return "transport";
        if (name.startsWith("C2 Compiler")) return "jit-c2";
        if (name.startsWith("C1 Compiler")) return "jit-c1";
        if (name.equals("VM Thread") || name.startsWith("GC ")) return "vm-gc";
        return "other";
    }

    /**
     * The deltas from {@code before} to this snapshot, per group; a thread that started in between counts from 0,
     * one that ended in between is lost (the JVM keeps its compiler and GC threads for its lifetime).
     */
    public Map<String, Group> groupsSince(ProcessTimes before) {
        Map<String, Group> out = new TreeMap<>();
        for (Map.Entry<Long, ThreadTimes> e : threads.entrySet()) {
            ThreadTimes now = e.getValue(), was = before.threads.get(e.getKey());
            ThreadTimes d = was == null || !was.name().equals(now.name()) ? now
                    : new ThreadTimes(now.name(), now.cpuNanos() - was.cpuNanos(), now.waitNanos() - was.waitNanos(),
                    now.voluntary() - was.voluntary(), now.involuntary() - was.involuntary());
            out.merge(group(now.name()), new Group(0, 0, 0, 0, 0).plus(d), (a, b) -> new Group(a.cpuNanos() + b.cpuNanos(),
                    a.waitNanos() + b.waitNanos(), a.voluntary() + b.voluntary(), a.involuntary() + b.involuntary(),
                    a.threads() + b.threads()));
        }
        return out;
    }

    /**
     * The deltas since {@code before}, per run ({@code runs} of them), as the party's result file holds them: per
     * thread group CPU and runqueue wait in ms per run and context switches per run; collections, their pause, JIT
     * time and allocation per run; and the JVM's uptime when the measured runs began (to place a compilation log).
     */
    public Map<String, Object> delta(ProcessTimes before, int runs) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runs", runs);
        doc.put("measured_from_uptime_ms", before.uptimeMillis);
        doc.put("measured_ms", uptimeMillis - before.uptimeMillis);
        Map<String, Object> groups = new LinkedHashMap<>();
        double cpu = 0, wait = 0;
        for (Map.Entry<String, Group> e : groupsSince(before).entrySet()) {
            Group g = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threads", g.threads());
            m.put("cpu_ms_per_run", round(g.cpuNanos() / 1e6 / runs));
            m.put("runqueue_wait_ms_per_run", round(g.waitNanos() / 1e6 / runs));
            m.put("voluntary_switches_per_run", round((double) g.voluntary() / runs));
            m.put("involuntary_switches_per_run", round((double) g.involuntary() / runs));
            groups.put(e.getKey(), m);
            cpu += g.cpuNanos();
            wait += g.waitNanos();
        }
        doc.put("cpu_ms_per_run", round(cpu / 1e6 / runs));
        doc.put("runqueue_wait_ms_per_run", round(wait / 1e6 / runs));
        doc.put("threads", groups);
        doc.put("gc_per_run", round((double) (gcCount - before.gcCount) / runs));
        doc.put("gc_ms_per_run", round((double) (gcMillis - before.gcMillis) / runs));
        if (jitMillis >= 0 && before.jitMillis >= 0) doc.put("jit_ms_per_run", round((double) (jitMillis - before.jitMillis) / runs));
        if (allocatedBytes >= 0 && before.allocatedBytes >= 0) {
            doc.put("allocated_mb_per_run", round((allocatedBytes - before.allocatedBytes) / 1e6 / runs));
        }
        return doc;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
