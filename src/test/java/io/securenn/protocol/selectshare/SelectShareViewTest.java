package io.securenn.protocol.selectshare;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_SS: one element-wise Beaver product of α and y − x. The selection bits are the secret that matters:
 * selecting everywhere x (α = 0, x = y = 0) and everywhere y (α = 1, large negative values) gives every party
 * the same distribution of uniform messages.
 */
class SelectShareViewTest {
    static final int N = 8192;

    static SeededCluster.Outcome<long[]> run(Seeded s, long alpha, long[] x, long[] y) {
        long[] a = new long[N];
        java.util.Arrays.fill(a, alpha);
        long[][] as = Shares2.split(a, s), xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> SelectShare.run(ctx, Shares2.mine(as, ctx.id()),
                Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), N));
        assertThat(Shares2.add(out.of(0), out.of(1))).as(s.msg("selected")).containsExactly(alpha == 0 ? x : y);
        return out;
    }

    @Test
    void everyMessageIsUniformAndIndependentOfTheSelection() {
        Seeded s = Seeded.fromEnvOr(2502);
        long[] neg = ViewIndependence.largeNegatives(s, N, 62), neg2 = ViewIndependence.largeNegatives(s, N, 62);
        var first = run(s, 0, new long[N], new long[N]);
        var second = run(s, 1, neg, neg2);
        var report = ViewIndependence.assertIndependent(s, "SelectShare", first, second,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report).isEqualTo(new ViewIndependence.Report(3, 3, 1));
    }
}
