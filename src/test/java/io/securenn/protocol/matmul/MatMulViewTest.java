package io.securenn.protocol.matmul;

import io.securenn.runtime.SeededCluster;
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
}
