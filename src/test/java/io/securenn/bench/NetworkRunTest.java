package io.securenn.bench;

import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up: P0 decides, the three parties run the same number of warm-up and measured steps. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetworkRunTest {
    @Test
    @SuppressWarnings("unchecked")
    void warmUpByTimeIsAgreedByAllThreePartiesAndDoesNotEatMeasuredRuns() {
        BenchCase c = BenchCase.parse("A:inference:1");
        var res = LocalCluster.run(ctx -> NetworkRun.run(ctx, c, 2, 0.5, 3, 7, MaxPool.Form.TOURNAMENT));
        int warmed = res.of(0).warmup();
        assertThat(warmed).isGreaterThanOrEqualTo(2);
        for (int p = 0; p < 3; p++) {
            assertThat(res.of(p).warmup()).as("P%d warm-up runs", p).isEqualTo(warmed);
            assertThat(res.of(p).runs()).as("P%d measured runs", p).hasSize(3);
            // where the time went, over the measured runs only: every layer pass's scope, the frames per run
            var times = res.of(p).times();
            assertThat(times.get("runs")).isEqualTo(3);
            assertThat((java.util.Map<String, Object>) times.get("scopes")).containsKeys("argmax", "Reveal")
                    .hasSizeGreaterThan(5);
            assertThat((java.util.Map<String, Object>) times.get("data_frames_per_run")).containsKeys("queued_writes",
                    "woken_receives");
            for (var s : res.of(p).runs()) assertThat(s.threadCpuSeconds()).isGreaterThan(0.0);
        }
        // without a time, the count alone decides
        var counted = LocalCluster.run(ctx -> NetworkRun.run(ctx, c, 1, 0, 2, 7, MaxPool.Form.TOURNAMENT));
        for (int p = 0; p < 3; p++) {
            assertThat(counted.of(p).warmup()).isEqualTo(1);
            assertThat(counted.of(p).runs()).hasSize(2);
        }
    }

    @Test
    void warmUpCountsItsSecondsFromTheFirstRunsEndAndWaitsForTheJitUpToTheCap() {
        long s = 1_000_000_000L;
        // the count alone, without a time
        assertThat(NetworkRun.warming(0, 1, -1, 0, true)).isTrue();
        assertThat(NetworkRun.warming(1, 1, 0, 0, true)).isFalse();
        assertThat(NetworkRun.warming(0, 0, -1, 0, true)).isFalse();
        // with a time: the first run always, then the seconds after its end, whatever the JIT does
        assertThat(NetworkRun.warming(0, 0, -1, 3 * s, false)).isTrue();
        assertThat(NetworkRun.warming(5, 1, 2 * s, 3 * s, false)).isTrue();
        assertThat(NetworkRun.warming(5, 1, 3 * s, 3 * s, false)).isFalse();
        // then as long as a JIT is busy, up to ten times the time
        assertThat(NetworkRun.warming(9, 1, 4 * s, 3 * s, true)).isTrue();
        assertThat(NetworkRun.warming(9, 1, 29 * s, 3 * s, true)).isTrue();
        assertThat(NetworkRun.warming(9, 1, 30 * s, 3 * s, true)).isFalse();
        // a count beyond the time still counts
        assertThat(NetworkRun.warming(9, 10, 40 * s, 3 * s, false)).isTrue();
    }

    @Test
    void aRunsJitIsBusyFromFivePercentOfItsTimeAndTwoMilliseconds() {
        long ms = 1_000_000L;
        assertThat(io.securenn.runtime.JitWindow.compiling(-1, 100 * ms)).isFalse();   // the JVM does not tell
        assertThat(io.securenn.runtime.JitWindow.compiling(1, 10 * ms)).isFalse();     // under 2 ms
        assertThat(io.securenn.runtime.JitWindow.compiling(2, 10 * ms)).isTrue();
        assertThat(io.securenn.runtime.JitWindow.compiling(4, 100 * ms)).isFalse();
        assertThat(io.securenn.runtime.JitWindow.compiling(5, 100 * ms)).isTrue();
    }

    @Test
    void theJitIsJudgedOverTheLastTwoSecondsOfRuns() {
        long ms = 1_000_000L;
        var w = new io.securenn.runtime.JitWindow();
        assertThat(w.add(300, 500 * ms)).isTrue();    // a burst
        assertThat(w.add(0, 500 * ms)).isTrue();      // still inside the window: 300 of 1000 ms
        assertThat(w.add(0, 1000 * ms)).isTrue();     // 300 of 2000 ms
        assertThat(w.add(0, 500 * ms)).isFalse();     // the burst has left the window: 0 of 2000 ms
        assertThat(w.add(120, 500 * ms)).isTrue();    // 120 of 2000 ms: 6 %
        assertThat(w.add(0, 3000 * ms)).isFalse();    // a run longer than the window is judged alone
        assertThat(w.add(160, 3000 * ms)).isTrue();
        assertThat(new io.securenn.runtime.JitWindow().add(-1, ms)).isFalse();   // the JVM does not tell
    }
}
