package io.securenn.job;

import io.securenn.runtime.SessionParams;
import io.securenn.bench.CostingBackend;
import io.securenn.bench.Formulas;
import io.securenn.bench.GraphCost;
import io.securenn.model.GraphModelTest;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelParameters;
import io.securenn.model.Op;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The inference job on a graph with every operator: the secure run (graph sent by P0, weights and input shared)
 * agrees with the float64 reference, P1 and P2 learn nothing, and the bytes and rounds it measures are exactly
 * what {@link GraphCost} (the numbers {@code inspect} prints) predicts, for logits and for labels.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InferenceJobTest {

    static final PartyRunner LOCAL = io.securenn.runtime.InMemoryParties.ALL;

    static InferenceJob.Owner owner(Seeded s, int rows) {
        ModelGraph g = GraphModelTest.residualGraph();
        Map<String, double[]> ps = new LinkedHashMap<>();
        List<long[]> w = GraphModelTest.weights(g, s);
        for (int i = 0; i < w.size(); i++) ps.put(g.parameterRefs().get(i).name(), FixedPoint.decode(w.get(i)));
        double[] x = FixedPoint.decode(s.fixed(rows * g.inputSize(), 1.5));
        return new InferenceJob.Owner(g, new ModelParameters(ps), x, rows);
    }

    @Test
    void secureLogitsMatchTheReferenceAndTheCostModelExactly() {
        Seeded s = Seeded.fromEnvOr(9100);
        int rows = 5, batch = 2;   // batches 2, 2, 1
        InferenceJob.Owner o = owner(s, rows);
        InferenceJob.Result ref = InferenceJob.run(Execution.plaintext(true, 1), o, batch, InferenceJob.Reveal.LOGITS);
        InferenceJob.Result sec = InferenceJob.run(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), o, batch, InferenceJob.Reveal.LOGITS);
        int k = o.graph().classes();
        assertThat(sec.outputs()).hasSize(rows * k);
        for (int i = 0; i < rows * k; i++) {
            assertThat(sec.outputs()[i]).as(s.msg("logit " + i)).isCloseTo(ref.outputs()[i], within(0.02));
        }
        // bytes and rounds: the sum over the batches of the prediction for each batch size; three batches, so the
        // weights are masked once: the first batch opens F, the others send only E
        long bytes = 0, rounds = 0;
        int[] sizes = {2, 2, 1};
        for (int i = 0; i < sizes.length; i++) {
            GraphCost.Prediction p = GraphCost.inference(o.graph(), sizes[i], false, Formulas.implemented(MaxPool.Form.TOURNAMENT,
                    SessionParams.defaults()), i == 0 ? CostingBackend.Weights.FIRST_BATCH : CostingBackend.Weights.LATER_BATCH);
            bytes += p.total().bytes();
            rounds += p.total().rounds();
        }
        long measured = 0;
        for (int q = 0; q < 3; q++) measured += sec.counters().get("bytes_P" + q).longValue();
        assertThat(measured).as("bytes, all parties").isEqualTo(bytes);
        assertThat(sec.counters().get("rounds").longValue()).as("rounds").isEqualTo(rounds);
    }

    /**
     * Weights whose shares are not held (issue 15): P0 reads each tensor again for every forward pass (counted
     * here), P0 and P1 regenerate their seeded streams; the logits agree with the reference and with the run on
     * held shares, and the bytes and rounds are the same prediction's (regenerating sends nothing).
     */
    @Test
    void regeneratedWeightSharesGiveTheSameResultsAndCost() {
        Seeded s = Seeded.fromEnvOr(9150);
        int rows = 5, batch = 2;   // three forward passes
        InferenceJob.Owner held = owner(s, rows);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        io.securenn.model.ParameterReader counting = name -> {
            reads.incrementAndGet();
            return held.parameters().read(name);
        };
        InferenceJob.Owner o = new InferenceJob.Owner(held.graph(), counting, held.input(), rows);
        InferenceJob.Result ref = InferenceJob.run(Execution.plaintext(true, 1), held, batch, InferenceJob.Reveal.LOGITS);
        InferenceJob.Result kept = InferenceJob.run(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), held, batch, InferenceJob.Reveal.LOGITS);
        reads.set(0);
        InferenceJob.Result regen = InferenceJob.run(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), o, batch,
                InferenceJob.Reveal.LOGITS, true);
        int tensors = held.graph().parameterRefs().size();
        assertThat(reads.get()).as("P0 reads every tensor once per forward pass").isEqualTo(3 * tensors);
        for (int i = 0; i < regen.outputs().length; i++) {
            assertThat(regen.outputs()[i]).as(s.msg("logit " + i)).isCloseTo(ref.outputs()[i], within(0.02));
            assertThat(regen.outputs()[i]).as(s.msg("logit " + i + " vs held shares")).isCloseTo(kept.outputs()[i], within(0.005));
        }
        assertThat(regen.labels()).containsExactly(kept.labels());
        for (String key : new String[] {"bytes_P0", "bytes_P1", "bytes_P2", "rounds"}) {
            assertThat(regen.counters().get(key).longValue()).as(key).isEqualTo(kept.counters().get(key).longValue());
        }
    }

    /** Bytes of all parties, summed from the counters. */
    static long bytes(InferenceJob.Result r) {
        long b = 0;
        for (int q = 0; q < 3; q++) b += r.counters().get("bytes_P" + q).longValue();
        return b;
    }

    /**
     * Stationary weight masks (docs/PROTOCOLS.md): a job of several batches masks each weight once; with a budget of 0
     * (or one batch) every product masks its weights anew, as the paper. Both runs agree with the reference, and they
     * differ in bytes by exactly the F no longer sent by the later batches (2·8 bytes per weight value each), in no
     * round; a single batch costs what the per-product prediction says.
     */
    @Test
    void severalBatchesMaskTheWeightsOnceWithinTheBudget() {
        Seeded s = Seeded.fromEnvOr(9160);
        int rows = 7, batch = 2;   // batches 2, 2, 2, 1
        InferenceJob.Owner o = owner(s, rows);
        InferenceJob.Result ref = InferenceJob.run(Execution.plaintext(true, 1), o, batch, InferenceJob.Reveal.LOGITS);
        InferenceJob.Result once = InferenceJob.run(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), o, batch,
                InferenceJob.Reveal.LOGITS);
        SessionParams off = SessionParams.defaults().withWeightMaskBudget(0);
        InferenceJob.Result perBatch = InferenceJob.run(Execution.secure(io.securenn.runtime.InMemoryParties.with(off),
                MaxPool.Form.TOURNAMENT), o, batch, InferenceJob.Reveal.LOGITS);
        for (int i = 0; i < ref.outputs().length; i++) {
            assertThat(once.outputs()[i]).as(s.msg("logit " + i)).isCloseTo(ref.outputs()[i], within(0.02));
            assertThat(perBatch.outputs()[i]).as(s.msg("logit " + i + ", masks per batch")).isCloseTo(ref.outputs()[i], within(0.02));
            assertThat(once.outputs()[i]).as(s.msg("logit " + i + ": the two forms")).isCloseTo(perBatch.outputs()[i], within(0.005));
        }
        assertThat(once.labels()).containsExactly(perBatch.labels());
        long weightValues = 0;
        for (var n : o.graph().nodes()) {
            if (n.op() instanceof Op.Gemm g) weightValues += g.weight().length();
            if (n.op() instanceof Op.Conv c) weightValues += c.weight().length();
        }
        assertThat(weightValues).isPositive();
        assertThat(bytes(perBatch) - bytes(once)).as("F not sent by the three later batches").isEqualTo(3 * 2 * 8 * weightValues);
        assertThat(once.counters().get("rounds")).isEqualTo(perBatch.counters().get("rounds"));
        Formulas f = Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults());
        long perProduct = 0;
        for (int b : new int[] {2, 2, 2, 1}) perProduct += GraphCost.inference(o.graph(), b, false, f).total().bytes();
        assertThat(bytes(perBatch)).as("budget 0: the per-product prediction").isEqualTo(perProduct);
        // one batch: nothing to gain, the per-product form
        InferenceJob.Result single = InferenceJob.run(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), o, rows,
                InferenceJob.Reveal.LOGITS);
        assertThat(bytes(single)).isEqualTo(GraphCost.inference(o.graph(), rows, false, f).total().bytes());
        assertThat(GraphCost.inference(o.graph(), rows, false, f, CostingBackend.Weights.FIRST_BATCH).total())
                .as("the first batch of a session costs the per-product form").isEqualTo(GraphCost.inference(o.graph(), rows, false, f).total());
    }

    @Test
    void labelsOnlyAndSoftmaxOutput() {
        Seeded s = Seeded.fromEnvOr(9200);
        InferenceJob.Owner o0 = owner(s, 3);
        ModelGraph g = o0.graph();
        ModelGraph soft = new ModelGraph(g.name(), g.inputName(), g.inputShape(), g.outputName(), g.nodes(), ModelGraph.Output.SOFTMAX);
        InferenceJob.Owner o = new InferenceJob.Owner(soft, o0.parameters(), o0.input(), 3);
        InferenceJob.Result ref = InferenceJob.run(Execution.plaintext(true, 1), o, 4, InferenceJob.Reveal.LOGITS);
        for (int r = 0; r < 3; r++) {
            double sum = 0;
            for (int i = 0; i < g.classes(); i++) sum += ref.outputs()[r * g.classes() + i];
            assertThat(sum).as("softmax rows sum to 1").isCloseTo(1.0, within(1e-9));
        }
        InferenceJob.Result lab = InferenceJob.run(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), o, 4, InferenceJob.Reveal.LABEL);
        assertThat(lab.outputs()).isNull();
        assertThat(lab.labels()).containsExactly(ref.labels());
        GraphCost.Prediction p = GraphCost.inference(soft, 3, true, Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults()));
        long measured = 0;
        for (int q = 0; q < 3; q++) measured += lab.counters().get("bytes_P" + q).longValue();
        assertThat(measured).isEqualTo(p.total().bytes());
        assertThat(lab.counters().get("rounds").longValue()).isEqualTo(p.total().rounds());
        assertThat(p.argmax().bytes()).isPositive();
    }
}
