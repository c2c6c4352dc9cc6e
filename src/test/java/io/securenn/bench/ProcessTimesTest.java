package io.securenn.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The per-thread counters of a party process: groups by thread name, deltas per run from /proc (Linux). */
class ProcessTimesTest {
    @Test
    void threadsAreGroupedByWhatTheyAre() {
        assertThat(ProcessTimes.group("java")).isEqualTo("main");
        assertThat(ProcessTimes.group("main")).isEqualTo("main");
        assertThat(ProcessTimes.group("party-P1")).isEqualTo("main");
        assertThat(ProcessTimes.group("securenn-P0-to-")).isEqualTo("transport");   // the kernel keeps 15 characters
        assertThat(ProcessTimes.group("securenn-P2-dra")).isEqualTo("transport");
        assertThat(ProcessTimes.group("C2 CompilerThre")).isEqualTo("jit-c2");
        assertThat(ProcessTimes.group("C1 CompilerThre")).isEqualTo("jit-c1");
        assertThat(ProcessTimes.group("VM Thread")).isEqualTo("vm-gc");
        assertThat(ProcessTimes.group("GC Thread#0")).isEqualTo("vm-gc");
        assertThat(ProcessTimes.group("Signal Dispatch")).isEqualTo("other");
    }

    /** A thread that computes shows up in its group with CPU time and a switch or more; the deltas are per run. */
    @Test
    @SuppressWarnings("unchecked")
    void aBusyThreadsCpuIsCountedInItsGroupPerRun() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "per-thread counters need Linux's /proc");
        ProcessTimes before = ProcessTimes.take();
        long[] sink = new long[1];
        Thread busy = new Thread(() -> {
            long t0 = System.nanoTime(), x = 1;
            while (System.nanoTime() - t0 < 200_000_000L) x = x * 6364136223846793005L + 1442695040888963407L;
            sink[0] = x;
        }, "securenn-busy");
        busy.start();
        Thread.sleep(150);   // the thread is alive (and so in the second snapshot) and has computed for a while
        ProcessTimes after = ProcessTimes.take();
        busy.join();
        ProcessTimes.Group g = after.groupsSince(before).get("transport");
        assertThat(g).isNotNull();
        assertThat(g.cpuNanos()).isGreaterThan(50_000_000L);
        Map<String, Object> perRun = after.delta(before, 4);
        Map<String, Object> transport = (Map<String, Object>) ((Map<String, Object>) perRun.get("threads")).get("transport");
        assertThat((double) transport.get("cpu_ms_per_run")).isCloseTo(g.cpuNanos() / 1e6 / 4, org.assertj.core.data.Offset.offset(0.01));
        assertThat((double) perRun.get("cpu_ms_per_run")).isGreaterThanOrEqualTo((double) transport.get("cpu_ms_per_run"));
        assertThat(perRun).containsKeys("runqueue_wait_ms_per_run", "gc_per_run", "gc_ms_per_run", "measured_from_uptime_ms");
    }

    @Test
    void scopesAreTimedOnlyWhileRecording() {
        ScopeTimes t = new ScopeTimes();
        t.start("warm-up scope").run();          // not recording yet
        t.recording(true);
        Runnable end = t.start("L0 pass");
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) x += i * (long) i;
        end.run();
        t.start("L0 pass").run();
        Map<String, Object> perRun = t.perRun(2);
        assertThat(perRun).containsOnlyKeys("L0 pass");
        @SuppressWarnings("unchecked")
        Map<String, Object> l0 = (Map<String, Object>) perRun.get("L0 pass");
        assertThat((double) l0.get("wall_ms_per_run")).isGreaterThanOrEqualTo((double) l0.get("cpu_ms_per_run") - 0.01)
                .isGreaterThan(0.0);
        assertThat(x).isNotZero();
    }
}
