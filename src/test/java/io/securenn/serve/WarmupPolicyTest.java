package io.securenn.serve;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** P0's warm-up policy: how long it lasts and which batch sizes it runs (the secure runs are in ServeTest). */
class WarmupPolicyTest {
    private static final long MS = 1_000_000L, S = 1_000 * MS;

    @Test
    void aSmallModelCyclesThroughTheBatchSizesABigOneStaysAtOneRow() {
        // 2 s of warm-up: a size doubles while the doubled batch would take under 250 ms
        int k = 1;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            seen.append(k).append(' ');
            k = Server.nextWarmupSize(k, k * 2 * MS, 2 * S, 32);   // 2 ms per query
        }
        assertThat(seen.toString().trim()).isEqualTo("1 2 4 8 16 32 1 2");
        assertThat(Server.nextWarmupSize(8, 8 * 2 * MS, 2 * S, 12)).isEqualTo(1);        // the cap (max batch)
        assertThat(Server.nextWarmupSize(4, 120 * MS, 2 * S, 32)).isEqualTo(8);           // 240 ms < 250 ms
        assertThat(Server.nextWarmupSize(4, 130 * MS, 2 * S, 32)).isEqualTo(1);           // 260 ms would be too long
        assertThat(Server.nextWarmupSize(1, 12 * S, 2 * S, 32)).isEqualTo(1);             // ResNet-50: one row
        assertThat(Server.warmupBatch(5)).extracting(Server.Pending::reveal).containsExactly(0, 1, 0, 1, 0);
        assertThat(Server.warmupBatch(5)).allSatisfy(p -> {
            assertThat(p.rows()).isEqualTo(1);
            assertThat(p.share()).isNull();
        });
    }

    @Test
    void theWarmUpLastsItsTimeThenWhileTheJitIsBusyAtMostTenTimesItsTime() {
        assertThat(Server.warming(1 * S, 2 * S, false)).isTrue();
        assertThat(Server.warming(2 * S, 2 * S, false)).isFalse();
        assertThat(Server.warming(5 * S, 2 * S, true)).isTrue();
        assertThat(Server.warming(19 * S, 2 * S, true)).isTrue();
        assertThat(Server.warming(20 * S, 2 * S, true)).isFalse();
    }
}
