package io.securenn.protocol.maxpool;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_MP (tournament form, windows of 4): the comparisons' messages are the same in distribution whether
 * every window is all zeros (maximum 0 at index 0, ties keep the first) or strictly increasing large negative
 * values (maximum at index 3), so neither the values nor the argmax leak.
 */
class MaxPoolViewTest {
    static final int COUNT = 4096, WINDOW = 4;

    static SeededCluster.Outcome<MaxPool.Result> run(Seeded s, long[] windows, long expectedIndex) {
        long[][] sh = Shares2.split(windows, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx ->
                MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), COUNT, WINDOW, MaxPool.Form.TOURNAMENT));
        long[] max = Shares2.add(out.of(0).max(), out.of(1).max());
        long[] index = Shares2.add(out.of(0).index(), out.of(1).index());
        for (int w = 0; w < COUNT; w++) {
            assertThat(max[w]).as(s.msg("max of window " + w)).isEqualTo(windows[w * WINDOW + WINDOW - 1 - (expectedIndex == 0 ? 3 : 0)]);
            assertThat(index[w]).as(s.msg("argmax of window " + w)).isEqualTo(expectedIndex);
        }
        return out;
    }

    @Test
    void everyMessageIsIndependentOfTheValuesAndTheArgmax() {
        Seeded s = Seeded.fromEnvOr(2505);
        // MaxPool's domain: |x| < 2^61; increasing within each window
        long[] rising = ViewIndependence.largeNegatives(s, COUNT * WINDOW, 60);
        for (int w = 0; w < COUNT; w++) java.util.Arrays.sort(rising, w * WINDOW, (w + 1) * WINDOW);
        for (int w = 0; w < COUNT; w++) {
            for (int i = 1; i < WINDOW; i++) {
                if (rising[w * WINDOW + i] == rising[w * WINDOW + i - 1]) rising[w * WINDOW + i]++; // strictly
            }
        }
        var zeros = run(s, new long[COUNT * WINDOW], 0);
        var increasing = run(s, rising, WINDOW - 1);
        var report = ViewIndependence.assertIndependent(s, "MaxPool", zeros, increasing,
                RingMessages.holdersAndHelperLengths(8 * 2 * COUNT, 8 * COUNT));
        assertThat(report.groups()).isGreaterThanOrEqualTo(14);
    }
}
