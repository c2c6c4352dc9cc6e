package io.securenn.protocol.relu;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Views of Π_ReLU (DReLU, then a Beaver product with the input): the same for inputs all 0 and all negative. */
class ReLUViewTest {
    static final int N = 8192;

    static SeededCluster.Outcome<ReLU.Result> run(Seeded s, long[] a) {
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> ReLU.run(ctx, Shares2.mine(sh, ctx.id()), N));
        long[] relu = Shares2.add(out.of(0).relu(), out.of(1).relu());
        for (int i = 0; i < N; i++) assertThat(relu[i]).as(s.msg("ReLU")).isEqualTo(Math.max(0, a[i]));
        return out;
    }

    @Test
    void everyMessageIsIndependentOfTheInput() {
        Seeded s = Seeded.fromEnvOr(2504);
        var zeros = run(s, new long[N]);
        var negatives = run(s, ViewIndependence.largeNegatives(s, N, 62));
        var report = ViewIndependence.assertIndependent(s, "ReLU", zeros, negatives,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report.groups()).isGreaterThanOrEqualTo(7);
    }
}
