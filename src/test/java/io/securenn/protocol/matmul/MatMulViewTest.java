package io.securenn.protocol.matmul;

import io.securenn.runtime.SeededCluster;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.DealerView.Product;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_MatMul: P0 and P1 each receive the other's E/F share (X_j − U_j, Y_j − V_j), P1 also ⟨Z⟩1 from P2,
 * P2 receives nothing. Every message, and the opened E and F, are uniform ring values whose distribution is
 * the same for zero matrices and for matrices of large negative values.
 */
class MatMulViewTest {
    static final int M = 64, N = 64, V = 64;

    static SeededCluster.Outcome<long[]> run(Seeded s, long[] x, long[] y) {
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx ->
                MatMul.product(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), M, N, V));
        long[] z = Shares2.add(out.of(0), out.of(1));
        assertThat(z).as(s.msg("product")).containsExactly(io.securenn.tensor.MatrixOps.multiplyNaive(x, y, M, N, V));
        return out;
    }

    @Test
    void everyMessageIsUniformAndIndependentOfTheMatrices() {
        Seeded s = Seeded.fromEnvOr(2501);
        var zeros = run(s, new long[M * N], new long[N * V]);
        var negatives = run(s, ViewIndependence.largeNegatives(s, M * N, 62), ViewIndependence.largeNegatives(s, N * V, 62));
        assertThat(zeros.party(2).from(0)).isEmpty();
        assertThat(zeros.party(2).from(1)).isEmpty();
        var report = ViewIndependence.assertIndependent(s, "MatMul", zeros, negatives,
                RingMessages.holdersAndHelperLengths(8 * M * V));
        // E/F at P0 and at P1, ⟨Z⟩1 at P1, all uniform; the opened E/F jointly
        assertThat(report).isEqualTo(new ViewIndependence.Report(3, 3, 1));
    }

    static final int ELEMENTS = 1 << 14;

    /** Odd values (so that E = X − U and F = Y − V take both parities, unlike for X = Y = 0). */
    static long[] odd(Seeded s, int n) {
        long[] v = s.longs(n);
        for (int i = 0; i < n; i++) v[i] |= 1;
        return v;
    }

    static DealerView.Run<long[]> hadamard(Seeded s, long[] x, long[] y) {
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = DealerView.run(s.rnd.nextLong(), ctx ->
                MatMul.hadamard(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), x.length));
        long[] z = Shares2.add(out.of(0), out.of(1));
        for (int i = 0; i < x.length; i++) assertThat(z[i]).as(s.msg("product " + i)).isEqualTo(x[i] * y[i]);
        return out;
    }

    /** (U mod 2, V mod 2, (⟨w⟩_j − ⟨Z⟩_j) mod 2) over the elements of the one product. */
    static long[] parities(DealerView.Run<long[]> run, int j) {
        Product p = run.dealt().all(Product.class).getFirst();
        return Freshness.parities(p.u(), p.vv(), Freshness.minus(run.of(j), p.zShare(j)));
    }

    /**
     * P2 knows the triple it dealt (U, V, ⟨Z⟩0, ⟨Z⟩1). Given it, either output share of an element-wise product must
     * still be uniform and independent of the operands: without the refresh, ⟨w⟩1 − ⟨Z⟩1 = (⟨x⟩1 − E)F + E⟨y⟩1
     * is even wherever E and F are, which for x = y = 0 is exactly where U and V are even, and not for odd x, y.
     */
    @Test
    void outputSharesAreFreshGivenTheTriple() {
        Seeded s = Seeded.fromEnvOr(2511);
        long[] zeros = new long[ELEMENTS];
        var a = hadamard(s, zeros, zeros);
        var b = hadamard(s, odd(s, ELEMENTS), odd(s, ELEMENTS));
        for (int j = 0; j < 2; j++) {
            Freshness.assertParitiesIndependent(s, "MatMul: P" + j + "'s product share given the triple",
                    parities(a, j), parities(b, j));
        }
    }

    static final int PM = 32, PN = 16, PV = 24;

    /**
     * A matrix product with P1's input shares known to P2 (zero: P0 holds the matrices). Without the refresh P1's
     * output share is ⟨Z⟩1 − E·F, which P2 can predict for the hypothesis X = Y = 0 (E = −U, F = −V) and so tell
     * zero matrices from others; P0's would be ⟨Z⟩0. With it, no share matches the prediction.
     */
    @Test
    void p2CannotPredictAMatrixProductsOutputShares() {
        Seeded s = Seeded.fromEnvOr(2512);
        long[][] decoded = new long[2][];
        long[][][] inputs = {{new long[PM * PN], new long[PN * PV]}, {s.longs(PM * PN), s.longs(PN * PV)}};
        for (int t = 0; t < 2; t++) {
            long[] x = inputs[t][0], y = inputs[t][1];
            long[][] xs = Shares2.heldByP0(x), ys = Shares2.heldByP0(y);
            var run = DealerView.run(s.rnd.nextLong(), ctx ->
                    MatMul.product(ctx, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), PM, PN, PV));
            assertThat(Shares2.add(run.of(0), run.of(1))).containsExactly(MatrixOps.multiplyNaive(x, y, PM, PN, PV));
            Product p = run.dealt().all(Product.class).getFirst();
            long[] uv = MatrixOps.multiplyNaive(p.u(), p.vv(), PM, PN, PV);
            long[] both = Shares2.concat(run.of(0), run.of(1));
            int k = PM * PV;
            // hypothesis X = Y = 0: ⟨w⟩0 = ⟨Z⟩0, ⟨w⟩1 = ⟨Z⟩1 − U·V
            decoded[t] = Freshness.decode(both, 1, (e, h) -> e < k ? p.z0()[e] : p.z1()[e - k] - uv[e - k],
                    (e, h) -> 0, 1);
        }
        Freshness.assertUndecodable(s, "MatMul (matrix): output shares against the zero hypothesis", decoded[0],
                decoded[1]);
    }
}

