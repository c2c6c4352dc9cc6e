package io.securenn.nn.secure;

import io.securenn.nn.Backend;
import io.securenn.protocol.matmul.Convolution;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.runtime.BatchStreams;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secure backend's stationary weight masks (docs/PROTOCOLS.md, "Stationary weight masks"): only a model tensor
 * imported after {@link SecureBackend#stationaryWeights} and used as a layer's weight operand is masked once; each
 * handle has its own mask, so an updated weight (a new handle, e.g. after an SGD step) is masked anew, never with
 * the old V; products whose Y is not flagged as a weight, and sessions whose budget does not hold the model, mask
 * per call. Every result is the plaintext's within the truncation's one ulp.
 */
class SecureBackendWeightMasksTest {
    static final int M = 3, N = 20, V = 7, BATCHES = 3;
    static final ConvGeometry G = new ConvGeometry(1, 2, 6, 6, 3, 1, 1);
    static final int D = 4;

    /** Per batch, per call: the bytes of all three parties; and P0's revealed outputs. */
    record Outcome(boolean masked, long[][] bytes, List<long[]> outputs) {}

    static Outcome run(SessionParams params, long parameters, long[] w, long[] kernel, long[] delta, long[][] xs, long[][] images) {
        var res = LocalCluster.run(params, ctx -> {
            BatchStreams streams = BatchStreams.from(ctx);
            SecureBackend be = new SecureBackend(ctx);
            boolean masked = be.stationaryWeights(parameters);
            Secret wh = be.importModel(ctx.id() == 0 ? w : new long[w.length]);
            Secret kh = be.importModel(ctx.id() == 0 ? kernel : new long[kernel.length]);
            Secret updated = be.sub(wh, be.importData(ctx.id() == 0 ? delta : new long[delta.length], Backend.Encoding.FIXED));
            long[][] bytes = new long[BATCHES][];
            List<long[]> out = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                PartyContext bc = streams.forBatch(b);
                be.useContext(bc);
                Secret x = be.importData(ctx.id() == 0 ? xs[b] : new long[M * N], Backend.Encoding.FIXED);
                Secret img = be.importData(ctx.id() == 0 ? images[b] : new long[G.inputSize()], Backend.Encoding.FIXED);
                List<Secret> results = new ArrayList<>();
                long[] cost = new long[4];
                long before = bc.stats().bytesSent();
                results.add(be.matmul(Backend.Product.ofWeight(x, wh, M, N, V)));        // the weight: masked once
                cost[0] = bc.stats().bytesSent() - before;
                before = bc.stats().bytesSent();
                results.add(be.matmul(Backend.Product.of(x, wh, M, N, V)));              // not flagged: per call
                cost[1] = bc.stats().bytesSent() - before;
                before = bc.stats().bytesSent();
                results.add(be.matmul(Backend.Product.ofWeight(x, updated, M, N, V)));   // not a model tensor: per call
                cost[2] = bc.stats().bytesSent() - before;
                before = bc.stats().bytesSent();
                results.add(be.convolve(img, G, kh, D));                                  // the kernel: masked once
                cost[3] = bc.stats().bytesSent() - before;
                bytes[b] = cost;
                for (Secret r : results) out.add(be.reveal(r, Backend.Encoding.FIXED));
            }
            return new Object[] {masked, bytes, out};
        });
        long[][] total = new long[BATCHES][4];
        for (int p = 0; p < 3; p++) {
            long[][] b = (long[][]) res.of(p)[1];
            for (int i = 0; i < BATCHES; i++) for (int k = 0; k < 4; k++) total[i][k] += b[i][k];
        }
        for (int p = 1; p < 3; p++) assertThat(res.of(p)[0]).isEqualTo(res.of(0)[0]);
        @SuppressWarnings("unchecked") List<long[]> outputs = (List<long[]>) res.of(0)[2];
        return new Outcome((Boolean) res.of(0)[0], total, outputs);
    }

    static void assertWithinOneUlp(Seeded s, String what, long[] got, long[] raw) {
        for (int i = 0; i < raw.length; i++) {
            assertThat(got[i] - Math.floorDiv(raw[i], 8192)).as(s.msg(what + ", element " + i)).isBetween(0L, 1L);
        }
    }

    @Test
    void onlyTheSessionsModelTensorsAsWeightOperandsAreMaskedOnceEachByItsOwnMask() {
        Seeded s = Seeded.fromEnvOr(1660);
        long[] w = s.fixed(N * V, 1), kernel = s.fixed(G.cols() * D, 1), delta = s.fixed(N * V, 0.01);
        long[][] xs = new long[BATCHES][], images = new long[BATCHES][];
        for (int b = 0; b < BATCHES; b++) {
            xs[b] = s.fixed(M * N, 2);
            images[b] = s.fixed(G.inputSize(), 2);
        }
        long parameters = w.length + kernel.length;
        Outcome on = run(SessionParams.defaults(), parameters, w, kernel, delta, xs, images);
        // the budget holds one parameter fewer than the model: masks per call, as the paper
        Outcome off = run(SessionParams.defaults().withWeightMaskBudget(8 * parameters - 1), parameters, w, kernel, delta, xs, images);
        assertThat(on.masked()).isTrue();
        assertThat(off.masked()).isFalse();
        long[] updated = new long[w.length];
        for (int i = 0; i < w.length; i++) updated[i] = w[i] - delta[i];
        for (Outcome o : new Outcome[] {on, off}) {
            for (int b = 0; b < BATCHES; b++) {
                String what = (o.masked() ? "masked once" : "per call") + ", batch " + b;
                long[] xw = MatrixOps.multiplyNaive(xs[b], w, M, N, V);
                assertWithinOneUlp(s, what + ", X·W", o.outputs().get(4 * b), xw);
                assertWithinOneUlp(s, what + ", X·W unflagged", o.outputs().get(4 * b + 1), xw);
                assertWithinOneUlp(s, what + ", X·W′", o.outputs().get(4 * b + 2), MatrixOps.multiplyNaive(xs[b], updated, M, N, V));
                assertWithinOneUlp(s, what + ", convolution", o.outputs().get(4 * b + 3),
                        MatrixOps.multiplyNaive(G.im2col(images[b]), kernel, G.rows(), G.cols(), D));
                boolean first = b == 0 || !o.masked();
                assertThat(o.bytes()[b][0]).as(what + ": the weight").isEqualTo(MatMul.bytes(M, N, V, first));
                assertThat(o.bytes()[b][1]).as(what + ": unflagged").isEqualTo(MatMul.bytes(M, N, V));
                assertThat(o.bytes()[b][2]).as(what + ": the updated weight").isEqualTo(MatMul.bytes(M, N, V));
                assertThat(o.bytes()[b][3]).as(what + ": the kernel").isEqualTo(Convolution.bytes(G, D, first));
            }
        }
    }
}
