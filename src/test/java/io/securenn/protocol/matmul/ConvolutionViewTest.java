package io.securenn.protocol.matmul;

import io.securenn.ring.Truncation;
import io.securenn.runtime.SeededCluster;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import io.securenn.testutil.ViewStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of the secure convolution. In the masked-input form (issue 15; G's 3×3 kernel at stride 1) P0 and P1
 * exchange the masked weights F and the masked input E = X − U at the input's size (not the k²-times larger
 * patches), P1 receives ⟨Z⟩1 = im2col(U)·V − ⟨Z⟩0, P2 receives nothing; the output shares are refreshed and
 * truncated locally.
 */
class ConvolutionViewTest {
    static final ConvGeometry G = new ConvGeometry(2, 8, 10, 10, 3, 1, 0);
    static final int D = 8;

    static DealerView.Run<long[]> run(Seeded s, long[] x, long[] w, boolean p1Known) {
        long[][] xs = p1Known ? Shares2.heldByP0(x) : Shares2.split(x, s);
        long[][] ws = p1Known ? Shares2.heldByP0(w) : Shares2.split(w, s);
        var run = DealerView.run(s.rnd.nextLong(), ctx ->
                Convolution.forward(ctx, Shares2.mine(xs, ctx.id()), G, Shares2.mine(ws, ctx.id()), D));
        long[] exact = ConvGeometry.rowsToNchw(MatrixOps.multiplyNaive(G.im2col(x), w, G.rows(), G.cols(), D),
                G.batch(), G.outHeight(), G.outWidth(), D);
        long[] got = Shares2.add(run.of(0), run.of(1));
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i] - (exact[i] >> 13)).as(s.msg("output " + i)).isBetween(0L, 1L);
        }
        return run;
    }

    @Test
    void everyMessageIsUniformAndIndependentOfTheInputAndWeights() {
        Seeded s = Seeded.fromEnvOr(2522);
        var zeros = run(s, new long[G.inputSize()], new long[G.cols() * D], false);
        var other = run(s, s.fixed(G.inputSize(), 100), s.fixed(G.cols() * D, 1), false);
        var report = ViewIndependence.assertIndependent(s, "Convolution", zeros.outcome(), other.outcome(),
                RingMessages.holdersAndHelperLengths(8 * G.rows() * D));
        // F and E (two sizes) at P0 and at P1, ⟨Z⟩1 at P1, all uniform; the opened F and E jointly
        assertThat(report).isEqualTo(new ViewIndependence.Report(5, 5, 2));
    }

    static final ConvGeometry BIG = new ConvGeometry(4, 8, 12, 12, 3, 1, 1);

    /** P0's and P1's ⟨E⟩ messages (the second message each sends the other), added: the opened E. */
    static long[] openedE(SeededCluster.Outcome<long[]> o, ConvGeometry g, int d) {
        long f = 8L * g.cols() * d, e = 8L * g.inputSize();
        long[] e0 = ViewStats.longs(o.party(1).messages(0, f, e).get(1));
        long[] e1 = ViewStats.longs(o.party(0).messages(1, f, e).get(1));
        return Shares2.add(e0, e1);
    }

    /**
     * The opened E has exactly the input's size and is uniform, with the same distribution for a zero input and
     * for large negative values; P2 receives nothing. Negative control, the variant without the mask: what it
     * would open, im2col(E) + im2col(U) = im2col(X) (U from what P2 dealt), is told apart by the same statistic.
     */
    @Test
    void theMaskedInputIsOpenedAtTheInputsSizeAndTellsNothing() {
        Seeded s = Seeded.fromEnvOr(2524);
        assertThat(Convolution.opensInput(BIG)).isTrue();
        long[][] unmasked = new long[2][], opened = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] x = t == 0 ? new long[BIG.inputSize()] : ViewIndependence.largeNegatives(s, BIG.inputSize(), 62);
            long[] w = s.fixed(BIG.cols() * D, 1);
            long[][] xs = Shares2.split(x, s), ws = Shares2.split(w, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx ->
                    Convolution.product(ctx, Shares2.mine(xs, ctx.id()), BIG, Shares2.mine(ws, ctx.id()), D));
            assertThat(Shares2.add(run.of(0), run.of(1))).as(s.msg("product"))
                    .containsExactly(MatrixOps.multiplyNaive(BIG.im2col(x), w, BIG.rows(), BIG.cols(), D));
            assertThat(run.outcome().party(2).from(0)).isEmpty();
            assertThat(run.outcome().party(2).from(1)).isEmpty();
            long[] e = openedE(run.outcome(), BIG, D);
            assertThat(e).hasSize(BIG.inputSize());
            opened[t] = e;
            DealerView.Product p = run.dealt().all(DealerView.Product.class).getFirst();
            long[] u = p.u();   // im2col(U), the patches' mask
            unmasked[t] = Shares2.add(BIG.im2col(e), u);
            assertThat(unmasked[t]).as("E + U is the input's patches").containsExactly(BIG.im2col(x));
        }
        ViewStats.assertUniform(s, ViewStats.byteHistogram(opened[1]), "Convolution: opened E");
        ViewStats.assertSameDistribution(s, ViewStats.byteHistogram(opened[0]), ViewStats.byteHistogram(opened[1]),
                "Convolution: opened E, zero input against large negatives");
        ViewStats.assertDifferentDistribution(s, ViewStats.byteHistogram(unmasked[0]), ViewStats.byteHistogram(unmasked[1]),
                "Convolution without the mask (negative control): im2col(X) opened");
    }

    /**
     * With P1's input shares known to P2 (zero: P0 holds the image and the weights), P2 predicts the output shares
     * for a zero image and zero weights from its triple: the product's shares are ⟨Z⟩0 and ⟨Z⟩1 − U·V, truncated
     * as each party truncates and laid out as NCHW. Without MatMul's refresh they all match for zero inputs and
     * none do for others; with it, none ever does.
     */
    @Test
    void p2CannotPredictTheOutputSharesGivenItsTriple() {
        Seeded s = Seeded.fromEnvOr(2523);
        long[][] decoded = new long[2][];
        int k = G.rows() * D;
        for (int t = 0; t < 2; t++) {
            long[] x = t == 0 ? new long[G.inputSize()] : s.fixed(G.inputSize(), 100);
            long[] w = t == 0 ? new long[G.cols() * D] : s.fixed(G.cols() * D, 1);
            var run = run(s, x, w, true);
            DealerView.Product p = run.dealt().all(DealerView.Product.class).getFirst();
            long[] uv = MatrixOps.multiplyNaive(p.u(), p.vv(), G.rows(), G.cols(), D);
            long[][] predicted = new long[2][k];
            for (int i = 0; i < k; i++) {
                predicted[0][i] = Truncation.truncateShare(p.z0()[i], 13, 0);
                predicted[1][i] = Truncation.truncateShare(p.z1()[i] - uv[i], 13, 1);
            }
            long[] p0 = ConvGeometry.rowsToNchw(predicted[0], G.batch(), G.outHeight(), G.outWidth(), D);
            long[] p1 = ConvGeometry.rowsToNchw(predicted[1], G.batch(), G.outHeight(), G.outWidth(), D);
            decoded[t] = Freshness.decode(Shares2.concat(run.of(0), run.of(1)), 1,
                    (e, h) -> e < k ? p0[e] : p1[e - k], (e, h) -> 0, 1);
        }
        Freshness.assertUndecodable(s, "Convolution: output shares against the zero hypothesis", decoded[0],
                decoded[1]);
    }
}
