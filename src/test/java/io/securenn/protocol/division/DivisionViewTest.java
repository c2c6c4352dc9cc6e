package io.securenn.protocol.division;

import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.MsbHypotheses;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Sessions;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_Div: ℓ_D rounds of DReLU and a Beaver product. Quotient 0 everywhere (x = 0, y = 1) and quotient 1
 * everywhere (x = y, large) give every party the same distribution of messages: no quotient bit leaks.
 */
class DivisionViewTest {
    static final int N = 1024;

    static SeededCluster.Outcome<long[]> run(SessionParams session, Seeded s, long[] x, long[] y, long quotient) {
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(session, s.rnd.nextLong(), ctx ->
                Division.run(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), N));
        for (long q : Shares2.add(out.of(0), out.of(1))) assertThat(q).as(s.msg("quotient")).isEqualTo(quotient);
        return out;
    }

    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void everyMessageIsIndependentOfTheQuotient(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(2507);
        long[] one = new long[N];
        Arrays.fill(one, 1L << 13);
        long[] big = new long[N];
        for (int i = 0; i < N; i++) big[i] = (1L << 40) + (s.rnd.nextLong() >>> 24); // 2^(ℓ_D − 1)·y < 2^62
        var zero = run(Sessions.of(form), s, new long[N], one, 0);
        var unit = run(Sessions.of(form), s, big, big, 1L << 13);
        var report = ViewIndependence.assertIndependent(s, "Division " + form, zero, unit,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report.groups()).isGreaterThanOrEqualTo(form == DReluForm.PAPER ? 10 : 8);
    }

    /**
     * Division's digits, given what P2 dealt. With ℓ_D = 2 the quotient is one base-4 digit, d = β_1 + β_2 + β_3,
     * the sum of three DReLU outputs as DReLU hands them on. In the paper's DReLU form P2 knows each DReLU share up
     * to ComputeMSB's β and r[0] ({@link MsbHypotheses}: 4^3 hypotheses), in the masked form up to c = x₆₃ ⊕ β (the
     * dealt ⟨γ⟩: 2^3 hypotheses). Without DReLU's refresh one hypothesis reproduces each quotient share and gives the
     * digit (0 for x = 0, 3 for x = y). With it none does: the quotient needs no refresh of its own
     * (docs/PROTOCOLS.md, "Refreshes and masks").
     */
    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void quotientSharesAreFreshGivenWhatP2Dealt(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(2524);
        int n = 2048, bits = 2;
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) y[i] = (1L << 13) + (s.rnd.nextLong() >>> 34);
            long[] x = t == 0 ? new long[n] : y.clone();
            long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
            var run = DealerView.run(Sessions.of(form), s.rnd.nextLong(), ctx ->
                    Division.run(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), n, bits));
            for (long q : Shares2.add(run.of(0), run.of(1))) assertThat(q).as(s.msg("quotient")).isEqualTo(3L * t);
            long[] shares = Shares2.concat(run.of(0), run.of(1));
            if (form == DReluForm.PAPER) {
                MsbHypotheses m = new MsbHypotheses(run.dealt().msbs().getFirst());   // one DReLU of the 3n comparisons
                decoded[t] = Freshness.decode(shares, 64, (e, h) -> {
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
            } else {
                DealerView.MaskedDrelu d = run.dealt().maskedDrelus().getFirst();
                long[] gamma = d.gamma().values();
                long[][] g = {d.gamma().share(0), d.gamma().share(1)};
                decoded[t] = Freshness.decode(shares, 8, (e, h) -> {
                    int j = e / n, k = e % n;
                    long q = 0;
                    for (int c = 0; c < 3; c++) {
                        long gj = g[j][c * n + k];
                        // unrefreshed: [j = 0](1 − c) − (1 − 2c)⟨γ⟩_j for the hypothesis' c
                        q += ((h >> c) & 1) == 0 ? (j == 0 ? 1 - gj : -gj) : gj;
                    }
                    return q;
                }, (e, h) -> {
                    int dd = 0;
                    for (int c = 0; c < 3; c++) dd += 1 - (int) (((h >> c) & 1) ^ gamma[c * n + e % n]);
                    return dd;
                }, 4);
            }
        }
        Freshness.assertUndecodable(s, "Division (one digit, " + form + "): quotient shares given what P2 dealt",
                decoded[0], decoded[1]);
    }
}
