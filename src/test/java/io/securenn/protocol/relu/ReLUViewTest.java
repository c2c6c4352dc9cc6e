package io.securenn.protocol.relu;

import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Sessions;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Views of Π_ReLU (DReLU, then a Beaver product with the input): the same for inputs all 0 and all negative. */
class ReLUViewTest {
    static final int N = 8192;

    static SeededCluster.Outcome<ReLU.Result> run(SessionParams session, Seeded s, long[] a) {
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(session, s.rnd.nextLong(), ctx -> ReLU.run(ctx, Shares2.mine(sh, ctx.id()), N));
        long[] relu = Shares2.add(out.of(0).relu(), out.of(1).relu());
        for (int i = 0; i < N; i++) assertThat(relu[i]).as(s.msg("ReLU")).isEqualTo(Math.max(0, a[i]));
        return out;
    }

    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void everyMessageIsIndependentOfTheInput(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(2504);
        // masked form: frames of 1 MiB, so that P2's first message (⟨r⟩1, ⟨Z⟩1, bit shares: 72N bytes) travels in
        // one frame and no frame of it has the length of ⟨γ⟩1's ring values (8N), which the test checks for uniformity
        SessionParams session = form == DReluForm.PAPER ? Sessions.paper() : Sessions.masked().withFrameLongs(1 << 17);
        var zeros = run(session, s, new long[N]);
        var negatives = run(session, s, ViewIndependence.largeNegatives(s, N, 62));
        var report = ViewIndependence.assertIndependent(s, "ReLU " + form, zeros, negatives,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report.groups()).isGreaterThanOrEqualTo(form == DReluForm.PAPER ? 7 : 6);
    }

    /**
     * ReLU's output shares given the triple P2 dealt for β·a (in DReLU's message): ⟨relu⟩1 − ⟨Z⟩1 = (⟨β⟩1 − E)F +
     * E⟨a⟩1 with E = β − U, F = a − V is even wherever E and F are. For a = 0 (β = 1) that is wherever U is odd and V
     * even, whatever the unknown shares; for negative a (β = 0) it is not. Without the refresh the parity
     * histogram given (U, V) tells the sign of a; with it the residual is uniform.
     */
    @Test
    void outputSharesAreFreshGivenTheTriple() {
        Seeded s = Seeded.fromEnvOr(2514);
        int n = 8192;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][][] h = new long[2][2][];
        for (int t = 0; t < 2; t++) {
            long[] a = inputs[t];
            long[][] sh = Shares2.split(a, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> ReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            long[] relu = Shares2.add(run.of(0).relu(), run.of(1).relu());
            for (int i = 0; i < n; i++) assertThat(relu[i]).isEqualTo(Math.max(0, a[i]));
            DealerView.Triple tr = run.dealt().dreluTriples().getFirst().getFirst();
            for (int j = 0; j < 2; j++) {
                h[t][j] = Freshness.parities(tr.u(), tr.v(), Freshness.minus(run.of(j).relu(), tr.zShare(j)));
            }
        }
        for (int j = 0; j < 2; j++) {
            Freshness.assertParitiesIndependent(s, "ReLU: P" + j + "'s output share given the triple",
                    h[0][j], h[1][j]);
        }
    }
}
