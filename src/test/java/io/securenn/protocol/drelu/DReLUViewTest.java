package io.securenn.protocol.drelu;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_DReLU at all three parties: P0 and P1 exchange the opened r of ComputeMSB and a Beaver product's
 * E/F, P1 receives P2's dealt shares, P2 receives the masked shares and Π_PC vectors. For inputs all 0 (DReLU 1)
 * and all large negative (DReLU 0), every message has the same distribution; ring-valued ones are uniform.
 * (The Z_67 Π_PC vectors P2 gets are tested further in ShareConvertViewTest and ComputeMSBViewTest.)
 */
class DReLUViewTest {
    static final int N = 8192;

    static SeededCluster.Outcome<long[]> run(Seeded s, long[] a, long expected) {
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), N));
        for (long bit : Shares2.add(out.of(0), out.of(1))) assertThat(bit).as(s.msg("DReLU")).isEqualTo(expected);
        return out;
    }

    @Test
    void everyMessageIsIndependentOfTheSign() {
        Seeded s = Seeded.fromEnvOr(2503);
        var zeros = run(s, new long[N], 1);
        var negatives = run(s, ViewIndependence.largeNegatives(s, N, 62), 0); // DReLU's domain: |a| < 2^62
        var report = ViewIndependence.assertIndependent(s, "DReLU", zeros, negatives,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report.groups()).isGreaterThanOrEqualTo(7);
        assertThat(report.uniformGroups()).isGreaterThanOrEqualTo(4);
    }
}
