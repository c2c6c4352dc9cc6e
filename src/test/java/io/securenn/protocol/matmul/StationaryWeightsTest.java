package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.BatchStreams;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Seeded;
import io.securenn.transport.CommStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stationary weight masks (docs/PROTOCOLS.md, "Stationary weight masks"): a session of several batches, each batch on
 * its own derived streams ({@link BatchStreams}, as a server runs them), products whose weight operand carries a
 * {@link WeightMask}. Every batch's ring product equals the plaintext product exactly, and equals the per-call
 * form's on the same shares; the first batch costs the per-call form's bytes, every later one F's 2nv·8 less, per
 * party as the formulas say; one round each; P2 receives nothing; the streams stay in lock-step.
 */
class StationaryWeightsTest {

    /**
     * What one party saw of one batch: what the job returned, the bytes it sent, its ledger (rounds and calls per
     * protocol, measured), its stream positions.
     */
    record Batch(long[] share, long bytes, java.util.Map<String, io.securenn.runtime.Ledger.Entry> ledger, long[] positions) {
        /** Rounds of the batch's calls of this protocol, and their number. */
        long rounds(String protocol) {
            var e = ledger.get(protocol);
            return e == null ? 0 : e.rounds();
        }

        long calls(String protocol) {
            var e = ledger.get(protocol);
            return e == null ? 0 : e.calls();
        }
    }

    /**
     * Runs {@code batches} batches at three parties in one session with these parameters: the weight y shared once
     * (P0 deals it) and given one mask, then per batch b the job (batch context, mask, y's share, b).
     */
    static List<List<Batch>> session(SessionParams params, long[] y, int batches, Job job) {
        var res = LocalCluster.run(params, ctx -> {
            BatchStreams streams = BatchStreams.from(ctx);
            WeightMasks masks = WeightMasks.from(ctx);
            long[] ys = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? y : null, y.length);
            WeightMask mask = masks.next(y.length);
            List<Batch> out = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                PartyContext bc = streams.forBatch(b);
                CommStats.Snapshot before = bc.stats().snapshot();
                long[] w = job.run(bc, mask, ctx.isHelper() ? null : ys, b);
                CommStats.Snapshot cost = bc.stats().snapshot().minus(before);
                long[] pos = bc.isHelper() ? new long[] {bc.pair(0).position(), bc.pair(1).position()}
                        : new long[] {bc.common().position(), bc.pair(2).position()};
                out.add(new Batch(w, cost.bytesSent(), new java.util.LinkedHashMap<>(bc.ledger().entries()), pos));
                assertThat(mask.opened()).as("P" + ctx.id() + ": F (P2: V) kept after batch " + b).isTrue();
                assertThat(masks.keptBytes()).isEqualTo(8L * y.length);
            }
            return out;
        });
        return res.values();
    }

    @FunctionalInterface
    interface Job {
        long[] run(PartyContext batch, WeightMask mask, long[] yShare, int b);
    }

    /** Every call of the protocol in batch b took one round (the largest count of any party), as the formula says. */
    static void assertRounds(List<List<Batch>> r, int b, String protocol, int calls) {
        long rounds = 0;
        for (int p = 0; p < 3; p++) rounds = Math.max(rounds, r.get(p).get(b).rounds(protocol));
        assertThat(r.get(0).get(b).calls(protocol)).as("batch " + b + ": calls of " + protocol).isEqualTo(calls);
        assertThat(rounds).as("batch " + b + ": rounds of " + protocol).isEqualTo((long) calls * MatMul.rounds());
    }

    static void assertLockStep(List<List<Batch>> r, int b) {
        long[] p0 = r.get(0).get(b).positions(), p1 = r.get(1).get(b).positions(), p2 = r.get(2).get(b).positions();
        assertThat(p0[0]).as("batch " + b + ": P0–P1 stream").isEqualTo(p1[0]);
        assertThat(p0[1]).as("batch " + b + ": P0–P2 stream").isEqualTo(p2[0]);
        assertThat(p1[1]).as("batch " + b + ": P1–P2 stream").isEqualTo(p2[1]);
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "3,5,7", "16,33,9", "1,500,100", "2,64,64"})
    void productsOverSeveralBatchesAreExactAndCostTheFormulas(int m, int n, int v) {
        Seeded s = Seeded.fromEnvOr(1600 + m * 31L + n * 7L + v);
        int batches = 4;
        long[] y = s.longs(n * v);
        long[][] xs = new long[batches][];
        for (int b = 0; b < batches; b++) xs[b] = s.longs(m * n);
        xs[2] = xs[1].clone();   // a repeated query
        var r = session(SessionParams.defaults(), y, batches, (ctx, mask, ys, b) -> {
            long[] x = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? xs[b] : null, m * n);
            long[] w = MatMul.run(ctx, List.of(MatMul.Spec.matrix(x, ys, m, n, v).withStationaryY(mask)))[0];
            return ctx.isHelper() ? w : Sharing.reveal(ctx, w, Sharing.Recipient.BOTH);
        });
        for (int b = 0; b < batches; b++) {
            long[] expect = MatrixOps.multiplyNaive(xs[b], y, m, n, v);
            assertThat(r.get(0).get(b).share()).as(s.msg("batch " + b + ": the product")).containsExactly(expect);
            assertThat(r.get(1).get(b).share()).as(s.msg("batch " + b + ": the product at P1")).containsExactly(expect);
            boolean first = b == 0;
            long total = 0;
            for (int p = 0; p < 3; p++) {
                // the batch's reveal to both (8·mv each way) is the only other message
                long reveal = p == 2 ? 0 : 8L * m * v;
                assertThat(r.get(p).get(b).bytes() - reveal).as(s.msg("batch " + b + ": P" + p + "'s bytes"))
                        .isEqualTo(MatMul.partyBytes(p, m, n, v, first));
                total += r.get(p).get(b).bytes() - reveal;
            }
            assertThat(total).as("batch " + b).isEqualTo(MatMul.bytes(m, n, v, first));
            assertRounds(r, b, "MatMul", 1);
            assertLockStep(r, b);
        }
        assertThat(MatMul.bytes(m, n, v, true)).isEqualTo(MatMul.bytes(m, n, v));
        assertThat(MatMul.bytes(m, n, v) - MatMul.bytes(m, n, v, false)).isEqualTo(16L * n * v);
    }

    /**
     * The stationary and the per-call form on the same shares in the same batch: bit-identical ring products (both
     * the plaintext product); the rounds are one per call; the cached F is Y − V at both holders, V what P2 keeps.
     */
    @Test
    void theStationaryFormGivesThePerCallFormsProductAndTheMaskIsYMinusV() {
        Seeded s = Seeded.fromEnvOr(1611);
        int m = 5, n = 24, v = 6, batches = 3;
        long[] y = s.longs(n * v);
        long[][] xs = {s.longs(m * n), s.longs(m * n), s.longs(m * n)};
        List<long[][]> masksSeen = java.util.Collections.synchronizedList(new ArrayList<>());
        var r = session(SessionParams.defaults(), y, batches, (ctx, mask, ys, b) -> {
            long[] x = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? xs[b] : null, m * n);
            long[] once = MatMul.run(ctx, List.of(MatMul.Spec.matrix(x, ys, m, n, v).withStationaryY(mask)))[0];
            long[] perCall = MatMul.product(ctx, x, ys, m, n, v);
            if (b == batches - 1) masksSeen.add(new long[][] {{ctx.id()}, ctx.isHelper() ? mask.helperV(ctx) : mask.f().clone()});
            if (ctx.isHelper()) return new long[0];
            long[] a = Sharing.reveal(ctx, once, Sharing.Recipient.P0), c = Sharing.reveal(ctx, perCall, Sharing.Recipient.P0);
            return ctx.id() == 0 ? io.securenn.testutil.Shares2.concat(a, c) : new long[0];
        });
        for (int b = 0; b < batches; b++) {
            long[] got = r.get(0).get(b).share();
            long[] expect = MatrixOps.multiplyNaive(xs[b], y, m, n, v);
            assertThat(java.util.Arrays.copyOfRange(got, 0, m * v)).as(s.msg("batch " + b + ", stationary")).containsExactly(expect);
            assertThat(java.util.Arrays.copyOfRange(got, m * v, 2 * m * v)).as(s.msg("batch " + b + ", per call")).containsExactly(expect);
            assertRounds(r, b, "MatMul", 2);
        }
        long[] f0 = null, f1 = null, vv = null;
        for (long[][] e : masksSeen) {
            switch ((int) e[0][0]) {
                case 0 -> f0 = e[1];
                case 1 -> f1 = e[1];
                default -> vv = e[1];
            }
        }
        assertThat(f0).as("P0 and P1 hold the same F").containsExactly(f1);
        for (int i = 0; i < y.length; i++) assertThat(f0[i] + vv[i]).as(s.msg("F + V = Y at " + i)).isEqualTo(y[i]);
    }

    /**
     * One call with several products: a per-call product, the stationary weight, and the same weight again (one F
     * opened once). Bytes: the per-call product's full cost, and for the weight's two products their E and ⟨Z⟩1
     * plus, in the first batch, one F; and all of it in one round.
     */
    @Test
    void mixedCallsOpenEachWeightOnceAndCostTheSumOfTheirForms() {
        Seeded s = Seeded.fromEnvOr(1612);
        int m = 3, n = 10, v = 4, k = 6, batches = 3;
        long[] y = s.longs(n * v), other = s.longs(n * k);
        long[][] xs = new long[batches][], x2 = new long[batches][];
        for (int b = 0; b < batches; b++) {
            xs[b] = s.longs(m * n);
            x2[b] = s.longs(m * n);
        }
        var r = session(SessionParams.defaults(), y, batches, (ctx, mask, ys, b) -> {
            long[] x = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? xs[b] : null, m * n);
            long[] xb = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x2[b] : null, m * n);
            long[] os = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? other : null, n * k);
            var before = ctx.stats().snapshot();
            long[][] w = MatMul.run(ctx, List.of(MatMul.Spec.matrix(x, os, m, n, k),
                    MatMul.Spec.matrix(x, ys, m, n, v).withStationaryY(mask),
                    MatMul.Spec.matrix(xb, ys, m, n, v).withStationaryY(mask)));
            long bytes = ctx.stats().snapshot().minus(before).bytesSent();
            if (ctx.isHelper()) return new long[] {bytes};
            long[] out = Sharing.reveal(ctx, concat(w), Sharing.Recipient.P0);
            long[] withCost = java.util.Arrays.copyOf(out == null ? new long[0] : out, (out == null ? 0 : out.length) + 1);
            withCost[withCost.length - 1] = bytes;
            return withCost;
        });
        for (int b = 0; b < batches; b++) {
            long[] got = r.get(0).get(b).share();
            long[] expect = concat(new long[][] {MatrixOps.multiplyNaive(xs[b], other, m, n, k),
                    MatrixOps.multiplyNaive(xs[b], y, m, n, v), MatrixOps.multiplyNaive(x2[b], y, m, n, v)});
            assertThat(java.util.Arrays.copyOf(got, expect.length)).as(s.msg("batch " + b)).containsExactly(expect);
            boolean first = b == 0;
            long bytes = 0;
            for (int p = 0; p < 3; p++) {
                long[] c = r.get(p).get(b).share();
                bytes += c[c.length - 1];
                long want = MatMul.partyBytes(p, m, n, k, true) + MatMul.partyBytes(p, m, n, v, first)
                        + MatMul.partyBytes(p, m, n, v, false);
                assertThat(c[c.length - 1]).as("batch " + b + ": P" + p).isEqualTo(want);
            }
            assertThat(bytes).isEqualTo(MatMul.bytes(m, n, k) + MatMul.bytes(m, n, v, first) + MatMul.bytes(m, n, v, false));
            assertRounds(r, b, "MatMul", 1);
            assertLockStep(r, b);
        }
    }

    private static long[] concat(long[][] parts) {
        return io.securenn.testutil.Shares2.concat(parts);
    }

    /**
     * The convolution's kernel as a stationary weight, in both forms (the masked input of a 3×3 kernel, the patch
     * matrix of a 1×1 one, at batch sizes 1 and 3): exact ring products in every batch, the first batch's bytes the
     * per-call form's, every later one's (2·min(…) + rows·D)·8, per party as {@link Convolution#partyBytes} says.
     */
    @ParameterizedTest
    @CsvSource({"1,3,8,8,3,1,1,4", "3,2,7,7,3,1,0,5", "2,4,6,6,1,1,0,3", "1,3,9,9,1,2,0,4"})
    void convolutionKernelsOverSeveralBatches(int batch, int c, int h, int w, int f, int stride, int pad, int d) {
        Seeded s = Seeded.fromEnvOr(1620 + 31L * h + 7L * c + d + f);
        ConvGeometry g = new ConvGeometry(batch, c, h, w, f, stride, pad);
        int batches = 3;
        long[] kernel = s.longs(g.cols() * d);
        long[][] xs = new long[batches][];
        for (int b = 0; b < batches; b++) xs[b] = s.longs(g.inputSize());
        var r = session(SessionParams.defaults(), kernel, batches, (ctx, mask, ws, b) -> {
            long[] x = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? xs[b] : null, g.inputSize());
            var before = ctx.stats().snapshot();
            long[] out = Convolution.product(ctx, x, g, ws, d, mask);
            long bytes = ctx.stats().snapshot().minus(before).bytesSent();
            long[] revealed = ctx.isHelper() ? new long[0] : Sharing.reveal(ctx, out, Sharing.Recipient.P0);
            long[] withCost = java.util.Arrays.copyOf(revealed == null ? new long[0] : revealed,
                    (revealed == null ? 0 : revealed.length) + 1);
            withCost[withCost.length - 1] = bytes;
            return withCost;
        });
        for (int b = 0; b < batches; b++) {
            long[] expect = MatrixOps.multiplyNaive(g.im2col(xs[b]), kernel, g.rows(), g.cols(), d);
            long[] got = r.get(0).get(b).share();
            assertThat(java.util.Arrays.copyOf(got, expect.length)).as(s.msg("batch " + b)).containsExactly(expect);
            boolean first = b == 0;
            long bytes = 0;
            for (int p = 0; p < 3; p++) {
                long[] cst = r.get(p).get(b).share();
                assertThat(cst[cst.length - 1]).as("batch " + b + ": P" + p).isEqualTo(Convolution.partyBytes(p, g, d, first));
                bytes += cst[cst.length - 1];
            }
            assertThat(bytes).isEqualTo(Convolution.bytes(g, d, first));
            assertRounds(r, b, Convolution.opensInput(g) ? "Convolution" : "MatMul", 1);
            assertLockStep(r, b);
        }
        assertThat(Convolution.bytes(g, d, true)).isEqualTo(Convolution.bytes(g, d));
        assertThat(Convolution.bytes(g, d) - Convolution.bytes(g, d, false)).isEqualTo(16L * g.cols() * d);
    }

    /** In pieces of 7 elements and frames of 5 longs: the same products, the same bytes (pieces change neither). */
    @Test
    void inSmallPiecesTheBytesAndProductsAreTheSame() {
        Seeded s = Seeded.fromEnvOr(1630);
        int m = 6, n = 13, v = 11, batches = 3;
        long[] y = s.longs(n * v);
        long[][] xs = {s.longs(m * n), s.longs(m * n), s.longs(m * n)};
        SessionParams small = SessionParams.defaults().withChunkElements(7).withFrameLongs(5);
        var r = session(small, y, batches, (ctx, mask, ys, b) -> {
            long[] x = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? xs[b] : null, m * n);
            var before = ctx.stats().snapshot();
            long[] w = MatMul.run(ctx, List.of(MatMul.Spec.matrix(x, ys, m, n, v).withStationaryY(mask)))[0];
            long bytes = ctx.stats().snapshot().minus(before).bytesSent();
            long[] o = ctx.isHelper() ? new long[0] : Sharing.reveal(ctx, w, Sharing.Recipient.P0);
            long[] out = java.util.Arrays.copyOf(o == null ? new long[0] : o, (o == null ? 0 : o.length) + 1);
            out[out.length - 1] = bytes;
            return out;
        });
        for (int b = 0; b < batches; b++) {
            long[] got = r.get(0).get(b).share();
            assertThat(java.util.Arrays.copyOf(got, m * v)).as(s.msg("batch " + b)).containsExactly(MatrixOps.multiplyNaive(xs[b], y, m, n, v));
            long bytes = 0;
            for (int p = 0; p < 3; p++) bytes += r.get(p).get(b).share()[r.get(p).get(b).share().length - 1];
            assertThat(bytes).isEqualTo(MatMul.bytes(m, n, v, b == 0));
            assertLockStep(r, b);
        }
    }

    /** A mask fits one operand shape only, never an element-wise product; V is drawn once (a second draw is refused). */
    @Test
    void masksAreRefusedWhereTheyDoNotFit() {
        var res = LocalCluster.run(ctx -> {
            WeightMasks masks = WeightMasks.from(ctx);
            WeightMask mask = masks.next(12);
            assertThat(mask.operand()).isZero();
            assertThat(masks.next(3).operand()).isEqualTo(1);
            assertThat(masks.operands()).isEqualTo(2);
            assertThatThrownBy(() -> MatMul.Spec.matrix(new long[6], new long[10], 3, 2, 5).withStationaryY(mask))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> MatMul.Spec.hadamard(new long[12], new long[12], 12).withStationaryY(mask))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(mask.toString()).doesNotContain("[F").contains("12 values");
            if (!ctx.isHelper()) {
                mask.open(mask.holderShare(ctx));
                assertThatThrownBy(() -> mask.holderShare(ctx)).isInstanceOf(IllegalStateException.class);
            }
            masks.wipe();
            assertThatThrownBy(() -> masks.next(4).holderShare(ctx)).isInstanceOf(RuntimeException.class);
            return true;
        });
        assertThat(res.values()).containsOnly(true);
    }
}
