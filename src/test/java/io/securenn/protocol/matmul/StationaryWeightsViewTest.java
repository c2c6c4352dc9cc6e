package io.securenn.protocol.matmul;

import io.securenn.runtime.BatchStreams;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.AcrossBatches;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.DealerView.Product;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Views of Π_MatMul with stationary weight masks (docs/PROTOCOLS.md, "Stationary weight masks") over a session of
 * several batches, each on its own derived streams as a server runs them: two weights Y1, Y2 (two layers), every
 * batch X·Y1 then X·Y2, and after two batches a weight update Y1 → Y1′ = Y1 + δ (a new value: a new mask).
 *
 * <p>P0 and P1 receive, per batch, the other's ⟨E⟩ of each product, and each F's share once (Y1's and Y2's in the
 * first batch, Y1′'s in the third); P1 also ⟨Z⟩1 per product; P2 receives nothing. The simulator, given F once,
 * draws every opened value fresh and uniform; the real views must match it in every value and in the difference of
 * every two values ({@link AcrossBatches}), on a repeated query (the same X every batch) and small weights, the
 * inputs that make a leak show. Negative controls, which must fail that same test: U reused across batches (a batch
 * number repeated: E₁ − E₂ = X₁ − X₂), V kept across the weight update (F − F′ = Y1 − Y1′), and one V for both
 * weights (F1 − F2 = Y1 − Y2).
 */
class StationaryWeightsViewTest {
    static final int M = 128, N = 32, V = 64, BATCHES = 4;

    /** How the session masks its weights: as production does, or one of the negative controls. */
    enum Form {
        /** Each weight value its own mask, U fresh per batch (production). */
        STATIONARY,
        /** The paper's form: V fresh per product, F opened every time. */
        PER_CALL,
        /** Negative control: every batch on batch 0's streams, so U repeats. */
        U_REUSED,
        /** Negative control: the updated weight Y1′ masked with Y1's V. */
        V_KEPT_ACROSS_UPDATE,
        /** Negative control: Y2 masked with Y1's V. */
        ONE_V_FOR_TWO_WEIGHTS
    }

    record Inputs(long[][] x, long[] y1, long[] y1Updated, long[] y2) {}

    /** A repeated query (the same X in every batch) and small fixed-point weights, updated by a small δ. */
    static Inputs repeatedQuery(Seeded s) {
        long[] x = s.fixed(M * N, 2);
        long[][] xs = new long[BATCHES][];
        for (int b = 0; b < BATCHES; b++) xs[b] = x.clone();
        long[] y1 = s.fixed(N * V, 1), delta = s.fixed(N * V, 0.01);
        return new Inputs(xs, y1, Shares2.add(y1, delta), s.fixed(N * V, 1));
    }

    /** Fresh inputs per batch, all zero or all large negatives (for the per-message test). */
    static Inputs constant(Seeded s, boolean zero) {
        long[][] xs = new long[BATCHES][];
        for (int b = 0; b < BATCHES; b++) xs[b] = zero ? new long[M * N] : ViewIndependence.largeNegatives(s, M * N, 62);
        return zero ? new Inputs(xs, new long[N * V], new long[N * V], new long[N * V])
                : new Inputs(xs, ViewIndependence.largeNegatives(s, N * V, 62), ViewIndependence.largeNegatives(s, N * V, 62),
                ViewIndependence.largeNegatives(s, N * V, 62));
    }

    /**
     * The session at three seeded parties (every frame recorded; P2's dealing recorded through {@link DealerView}),
     * the inputs shared at random by the test. Checks every batch's products against the plaintext.
     */
    static DealerView.Run<List<long[]>> session(Seeded s, Inputs in, Form form) {
        long[][][] xs = new long[BATCHES][][];
        for (int b = 0; b < BATCHES; b++) xs[b] = Shares2.split(in.x()[b], s);
        long[][] y1 = Shares2.split(in.y1(), s), y1u = Shares2.split(in.y1Updated(), s), y2 = Shares2.split(in.y2(), s);
        var run = DealerView.run(s.rnd.nextLong(), ctx -> {
            int me = ctx.id();
            BatchStreams streams = BatchStreams.from(ctx);
            WeightMasks masks = WeightMasks.from(ctx);
            WeightMask m1 = masks.next(N * V);
            WeightMask m2 = form == Form.ONE_V_FOR_TWO_WEIGHTS ? new WeightMask(masks.streams(), m1.operand(), N * V)
                    : masks.next(N * V);
            WeightMask m1u = form == Form.V_KEPT_ACROSS_UPDATE ? new WeightMask(masks.streams(), m1.operand(), N * V)
                    : masks.next(N * V);
            List<long[]> out = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                PartyContext bc = streams.forBatch(form == Form.U_REUSED ? 0 : b);
                bc.testHook(ctx.testHook());   // P2's dealing is recorded in every batch
                boolean updated = b >= 2;
                long[] x = Shares2.mine(xs[b], me);
                long[] w1 = product(bc, x, Shares2.mine(updated ? y1u : y1, me), form == Form.PER_CALL ? null : updated ? m1u : m1);
                long[] w2 = product(bc, x, Shares2.mine(y2, me), form == Form.PER_CALL ? null : m2);
                out.add(w1);
                out.add(w2);
            }
            return out;
        });
        for (int b = 0; b < BATCHES; b++) {
            long[] y1b = b >= 2 ? in.y1Updated() : in.y1();
            assertThat(Shares2.add(run.of(0).get(2 * b), run.of(1).get(2 * b))).as(s.msg(form + ": batch " + b + ", X·Y1"))
                    .containsExactly(MatrixOps.multiplyNaive(in.x()[b], y1b, M, N, V));
            assertThat(Shares2.add(run.of(0).get(2 * b + 1), run.of(1).get(2 * b + 1))).as(s.msg(form + ": batch " + b + ", X·Y2"))
                    .containsExactly(MatrixOps.multiplyNaive(in.x()[b], in.y2(), M, N, V));
        }
        assertThat(run.party(2).from(0)).as("P2 receives nothing from P0").isEmpty();
        assertThat(run.party(2).from(1)).as("P2 receives nothing from P1").isEmpty();
        return run;
    }

    static long[] product(PartyContext ctx, long[] x, long[] y, WeightMask mask) {
        return MatMul.run(ctx, List.of(MatMul.Spec.matrix(x, y, M, N, V).withStationaryY(mask)))[0];
    }

    /**
     * The view test: P0's and P1's views over the batches against the simulator's (each opened value fresh), and P1's
     * ⟨Z⟩1 messages likewise. Returns the pairs of opened values compared.
     */
    static int assertSimulatable(Seeded s, String what, SeededCluster.Outcome<?> o) {
        List<long[]> opened = AcrossBatches.openings(o);
        int pairs = AcrossBatches.assertFreshAcrossBatches(s, what + ": what P0 and P1 open", opened,
                AcrossBatches.simulated(s, opened));
        List<long[]> z = AcrossBatches.received(o, 1, 2);
        AcrossBatches.assertFreshAcrossBatches(s, what + ": P1's ⟨Z⟩1", z, AcrossBatches.simulated(s, z));
        return pairs;
    }

    @Test
    void theHoldersViewsOverTheBatchesAreTheSimulatorsGivenFOnce() {
        Seeded s = Seeded.fromEnvOr(1640);
        var run = session(s, repeatedQuery(s), Form.STATIONARY);
        List<long[]> opened = AcrossBatches.openings(run.outcome());
        // F1, F2 in the first batch, F1′ in the third; an E per product per batch
        long f = 0, e = 0;
        for (long[] v : opened) {
            if (v.length == N * V) f++;
            if (v.length == M * N) e++;
        }
        assertThat(f).as("F opened once per weight value").isEqualTo(3);
        assertThat(e).isEqualTo(2 * BATCHES);
        int pairs = assertSimulatable(s, "stationary", run.outcome());
        assertThat(pairs).as("F pairs and E pairs").isEqualTo(3 + 2 * BATCHES * (2 * BATCHES - 1) / 2);
    }

    /** The paper's form, V fresh per product, passes the same test (every F is a fresh value too). */
    @Test
    void thePerCallFormPassesTheSameTest() {
        Seeded s = Seeded.fromEnvOr(1641);
        var run = session(s, repeatedQuery(s), Form.PER_CALL);
        assertThat(AcrossBatches.openings(run.outcome())).hasSize(4 * BATCHES);
        assertSimulatable(s, "per call", run.outcome());
    }

    /**
     * Negative control: U repeats (every batch on batch 0's streams): the repeated query's E₁ − E₂ = X₁ − X₂ = 0
     * (values 1 and 4: the first product's E in batches 0 and 1).
     */
    @Test
    void reusingUAcrossBatchesFailsTheViewTest() {
        Seeded s = Seeded.fromEnvOr(1642);
        var run = session(s, repeatedQuery(s), Form.U_REUSED);
        assertThatThrownBy(() -> assertSimulatable(s, "U reused", run.outcome()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("value 1 less value 4");
    }

    /** Negative control: Y1′ masked with Y1's V: F1 − F1′ = Y1 − Y1′ = −δ, small (values 0 and 6: F1, F1′). */
    @Test
    void keepingVAcrossAWeightUpdateFailsTheViewTest() {
        Seeded s = Seeded.fromEnvOr(1643);
        var run = session(s, repeatedQuery(s), Form.V_KEPT_ACROSS_UPDATE);
        assertThatThrownBy(() -> assertSimulatable(s, "V kept across an update", run.outcome()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("value 0 less value 6");
    }

    /** Negative control: Y1 and Y2 masked with one V: F1 − F2 = Y1 − Y2, small weights (values 0 and 2: F1, F2). */
    @Test
    void oneVForTwoWeightsFailsTheViewTest() {
        Seeded s = Seeded.fromEnvOr(1644);
        var run = session(s, repeatedQuery(s), Form.ONE_V_FOR_TWO_WEIGHTS);
        assertThatThrownBy(() -> assertSimulatable(s, "one V for two weights", run.outcome()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("value 0 less value 2");
    }

    /**
     * Every message of the session (per receiver and sender, grouped by size) and the holders' openings are uniform
     * and distributed alike for zero matrices and for large negative ones.
     */
    @Test
    void everyMessageIsUniformAndIndependentOfTheMatrices() {
        Seeded s = Seeded.fromEnvOr(1645);
        var zeros = session(s, constant(s, true), Form.STATIONARY);
        var negatives = session(s, constant(s, false), Form.STATIONARY);
        var report = ViewIndependence.assertIndependent(s, "MatMul, stationary weights", zeros.outcome(), negatives.outcome(),
                RingMessages.holdersAndHelperLengths(8 * M * V));
        // F and E at P0 and at P1, ⟨Z⟩1 at P1, all uniform; the opened F and E jointly
        assertThat(report).isEqualTo(new ViewIndependence.Report(5, 5, 2));
    }

    /**
     * P2 knows each batch's triple (U, the session's V, ⟨Z⟩0, ⟨Z⟩1). With P1's input shares zero (P0 holds the
     * matrices), P1's output share without the refresh would be ⟨Z⟩1 − E·F, which P2 predicts for the hypothesis
     * X = Y = 0 (E = −U, F = −V); with it, no share of any batch matches the prediction.
     */
    @Test
    void p2CannotPredictTheOutputSharesOfAnyBatch() {
        Seeded s = Seeded.fromEnvOr(1646);
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] x = t == 0 ? new long[M * N] : s.longs(M * N), y = t == 0 ? new long[N * V] : s.longs(N * V);
            long[][] xs = Shares2.heldByP0(x), ys = Shares2.heldByP0(y);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> {
                BatchStreams streams = BatchStreams.from(ctx);
                WeightMask mask = WeightMasks.from(ctx).next(N * V);
                List<long[]> out = new ArrayList<>();
                for (int b = 0; b < 3; b++) {
                    PartyContext bc = streams.forBatch(b);
                    bc.testHook(ctx.testHook());
                    out.add(product(bc, Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), mask));
                }
                return out;
            });
            List<Product> triples = run.dealt().all(Product.class);
            assertThat(triples).hasSize(3);
            long[][] shares = new long[3][];
            for (int b = 0; b < 3; b++) {
                Product p = triples.get(b);
                assertThat(p.vv()).as("the session's V in every batch").containsExactly(triples.get(0).vv());
                assertThat(Shares2.add(run.of(0).get(b), run.of(1).get(b))).containsExactly(MatrixOps.multiplyNaive(x, y, M, N, V));
                long[] uv = MatrixOps.multiplyNaive(p.u(), p.vv(), M, N, V);
                long[] both = Shares2.concat(run.of(0).get(b), run.of(1).get(b));
                int k = M * V;
                shares[b] = Freshness.decode(both, 1, (e, h) -> e < k ? p.z0()[e] : p.z1()[e - k] - uv[e - k], (e, h) -> 0, 1);
            }
            decoded[t] = new long[shares[0].length];
            for (long[] h : shares) for (int i = 0; i < h.length; i++) decoded[t][i] += h[i];
        }
        Freshness.assertUndecodable(s, "MatMul with a stationary weight: output shares of every batch against the zero "
                + "hypothesis", decoded[0], decoded[1]);
    }
}
