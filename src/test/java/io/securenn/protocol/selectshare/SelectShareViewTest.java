package io.securenn.protocol.selectshare;

import io.securenn.protocol.drelu.DReLU;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
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

    static DealerView.Run<long[]> dealt(Seeded s, long[][] as, long[][] xs, long[][] ys, long[] expected) {
        var run = DealerView.run(s.rnd.nextLong(), ctx -> {
            long[] alpha = Shares2.mine(as, ctx.id());
            return SelectShare.run(ctx, alpha, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), N);
        });
        assertThat(Shares2.add(run.of(0), run.of(1))).as(s.msg("selected")).containsExactly(expected);
        return run;
    }

    /**
     * With P1's input shares known to P2 (zero: P0 holds α, x and y), P2 predicts the output shares for "α = 0 and
     * x = y = 0" from its triple: x + α·(y − x) is ⟨Z⟩0 at P0 and ⟨Z⟩1 − U·V at P1 (E = −U, F = −V). Without
     * MatMul's refresh every share matches for that selection and none for the other; with it, none ever does.
     */
    @Test
    void p2CannotPredictTheOutputSharesGivenItsTriple() {
        Seeded s = Seeded.fromEnvOr(2520);
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] alpha = new long[N], x = new long[N], y = new long[N];
            if (t == 1) {
                java.util.Arrays.fill(alpha, 1);
                x = ViewIndependence.largeNegatives(s, N, 62);
                y = ViewIndependence.largeNegatives(s, N, 62);
            }
            var run = dealt(s, Shares2.heldByP0(alpha), Shares2.heldByP0(x), Shares2.heldByP0(y), t == 0 ? x : y);
            DealerView.Product p = run.dealt().all(DealerView.Product.class).getFirst();
            decoded[t] = Freshness.decode(Shares2.concat(run.of(0), run.of(1)), 1,
                    (e, h) -> e < N ? p.z0()[e] : p.z1()[e - N] - p.u()[e - N] * p.vv()[e - N], (e, h) -> 0, 1);
        }
        Freshness.assertUndecodable(s, "SelectShare: output shares against the zero hypothesis", decoded[0],
                decoded[1]);
    }

    /**
     * DReLU → SelectShare: α = DReLU(a) as DReLU hands it on, x and y with P1's shares known to P2 (zero). The
     * product α·(y − x) has ⟨w⟩1 − ⟨Z⟩1 = (⟨y − x⟩1 − E)F + E⟨α⟩1 = −EF + E⟨α⟩1 with E = (y − x) − U: even wherever U
     * is, when y = x, and not when y − x is odd. Without the refresh the parities given U, V tell P2 whether the two
     * candidates differ; with it the residual is uniform.
     */
    @Test
    void afterDReLUTheOutputSharesAreFreshGivenTheTriple() {
        Seeded s = Seeded.fromEnvOr(2521);
        long[][][] h = new long[2][2][];
        for (int t = 0; t < 2; t++) {
            long[] a = ViewIndependence.largeNegatives(s, N, 61), x = new long[N], y = new long[N];
            for (int i = 0; i < N; i += 2) a[i] = -a[i];   // both signs: α = 1 on half the elements
            if (t == 1) {
                x = s.longs(N);
                y = s.longs(N);
                for (int i = 0; i < N; i++) y[i] = x[i] + (2 * y[i] | 1);   // y − x odd
            }
            long[] expect = new long[N];
            for (int i = 0; i < N; i++) expect[i] = a[i] >= 0 ? y[i] : x[i];
            long[][] as = Shares2.split(a, s), xs = Shares2.heldByP0(x), ys = Shares2.heldByP0(y);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> {
                long[] alpha = DReLU.run(ctx, Shares2.mine(as, ctx.id()), N);
                return SelectShare.run(ctx, alpha, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), N);
            });
            assertThat(Shares2.add(run.of(0), run.of(1))).as(s.msg("selected")).containsExactly(expect);
            DealerView.Product p = run.dealt().all(DealerView.Product.class).getFirst();
            for (int j = 0; j < 2; j++) {
                h[t][j] = Freshness.parities(p.u(), p.vv(), Freshness.minus(run.of(j), p.zShare(j)));
            }
        }
        for (int j = 0; j < 2; j++) {
            Freshness.assertParitiesIndependent(s, "DReLU → SelectShare: P" + j + "'s output share given the triple",
                    h[0][j], h[1][j]);
        }
    }
}

