package io.securenn.bench;

import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The time-based warm-up: P0 decides, the three parties run the same number of warm-up and measured steps. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetworkRunTest {
    @Test
    void warmUpByTimeIsAgreedByAllThreePartiesAndDoesNotEatMeasuredRuns() {
        BenchCase c = BenchCase.parse("A:inference:1");
        var res = LocalCluster.run(ctx -> NetworkRun.run(ctx, c, 2, 0.5, 3, 7, MaxPool.Form.TOURNAMENT));
        int warmed = res.of(0).warmup();
        assertThat(warmed).isGreaterThanOrEqualTo(2);
        for (int p = 0; p < 3; p++) {
            assertThat(res.of(p).warmup()).as("P%d warm-up runs", p).isEqualTo(warmed);
            assertThat(res.of(p).runs()).as("P%d measured runs", p).hasSize(3);
        }
        // without a time, the count alone decides
        var counted = LocalCluster.run(ctx -> NetworkRun.run(ctx, c, 1, 0, 2, 7, MaxPool.Form.TOURNAMENT));
        for (int p = 0; p < 3; p++) {
            assertThat(counted.of(p).warmup()).isEqualTo(1);
            assertThat(counted.of(p).runs()).hasSize(2);
        }
    }
}
