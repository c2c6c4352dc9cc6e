package io.securenn.protocol.division;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.MsbHypotheses;
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

    /**
     * Division's digits, given what P2 dealt. With ℓ_D = 2 the quotient is one base-4 digit, d = β_1 + β_2 + β_3,
     * the sum of three DReLU outputs as DReLU hands them on; P2 knows each DReLU share up to ComputeMSB's β and
     * r[0] ({@link MsbHypotheses}), so without DReLU's refresh one of its 4^3 hypotheses reproduces each quotient
     * share and gives the digit (0 for x = 0, 3 for x = y). With it none does: the quotient needs no refresh of its
     * own (docs/PROTOCOLS.md, "Refreshes and masks").
     */
    @Test
    void quotientSharesAreFreshGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2524);
        int n = 2048, bits = 2;
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) y[i] = (1L << 13) + (s.rnd.nextLong() >>> 34);
            long[] x = t == 0 ? new long[n] : y.clone();
            long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx ->
                    Division.run(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), n, bits));
            for (long q : Shares2.add(run.of(0), run.of(1))) assertThat(q).as(s.msg("quotient")).isEqualTo(3L * t);
            MsbHypotheses m = new MsbHypotheses(run.dealt().msbs().getFirst());   // one DReLU of the 3n comparisons
            decoded[t] = Freshness.decode(Shares2.concat(run.of(0), run.of(1)), 64, (e, h) -> {
                int j = e / n, k = e % n;
                long q = 0;
                for (int c = 0; c < 3; c++) {
                    long msb = m.share(c * n + k, j, (h >> (2 * c)) & 3);
                    q += j == 0 ? 1 - msb : -msb;
                }
                return q;
            }, (e, h) -> {
                int d = 0;
                for (int c = 0; c < 3; c++) d += 1 - m.msb(c * n + e % n, (h >> (2 * c)) & 3);
                return d;
            }, 4);
        }
        Freshness.assertUndecodable(s, "Division (one digit): quotient shares given what P2 dealt", decoded[0],
                decoded[1]);
    }
}

