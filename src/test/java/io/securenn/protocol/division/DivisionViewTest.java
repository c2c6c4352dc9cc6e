package io.securenn.protocol.division;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_Div: ℓ_D rounds of DReLU and a Beaver product. Quotient 0 everywhere (x = 0, y = 1) and quotient 1
 * everywhere (x = y, large) give every party the same distribution of messages: no quotient bit leaks.
 */
class DivisionViewTest {
    static final int N = 1024;

    static SeededCluster.Outcome<long[]> run(Seeded s, long[] x, long[] y, long quotient) {
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx ->
                Division.run(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), N));
        for (long q : Shares2.add(out.of(0), out.of(1))) assertThat(q).as(s.msg("quotient")).isEqualTo(quotient);
        return out;
    }

    @Test
    void everyMessageIsIndependentOfTheQuotient() {
        Seeded s = Seeded.fromEnvOr(2507);
        long[] one = new long[N];
        Arrays.fill(one, 1L << 13);
        long[] big = new long[N];
        for (int i = 0; i < N; i++) big[i] = (1L << 40) + (s.rnd.nextLong() >>> 24); // 2^(ℓ_D − 1)·y < 2^62
        var zero = run(s, new long[N], one, 0);
        var unit = run(s, big, big, 1L << 13);
        var report = ViewIndependence.assertIndependent(s, "Division", zero, unit,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report.groups()).isGreaterThanOrEqualTo(10);
    }
}
