package io.securenn.bench;

import io.securenn.model.GraphModel;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelWeights;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.model.Network;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.Ledger;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The communication model: the bytes (all parties together) and rounds that the protocols' formulas predict for
 * a benchmark row, per layer pass and in total, obtained by running the row's {@link Workloads} step on a
 * {@link CostingBackend}. Rounds compose sequentially (every protocol call waits for the previous one's output).
 * {@link #measure} runs the row once securely to compare with.
 */
public final class CostModel {
    private CostModel() {}

    /** Predicted cost per scope (as {@link Workloads} names them) and the total. */
    public record Prediction(BenchCase benchCase, String formulas, Map<String, Formulas.Cost> byScope,
                             Formulas.Cost total) {}

    public static Prediction predict(BenchCase c, Formulas formulas) {
        CostingBackend be = new CostingBackend(formulas);
        Workloads.Scopes scopes = (label, protocol) -> {
            String outer = be.scope();
            be.scope(label);
            return () -> be.scope(outer);
        };
        if (c.model() != null) {   // an ONNX model's row: its graph (the file's public part) with placeholders
            ModelGraph g = OnnxImporter.importGraph(c.model());
            GraphModel<Integer> m = io.securenn.job.InferenceJob.share(be, g, null);
            Workloads.modelInference(m, c.batch() * g.inputSize(), c.batch(), scopes);
            return prediction(c, formulas, be);
        }
        Network<Integer> net = Network.build(be, ModelWeights.placeholder(c.network()));
        int inputs = c.batch() * c.network().inputSize();
        if (c.mode() == BenchCase.Mode.INFERENCE) {
            Workloads.inference(net, inputs, c.batch(), scopes);
        } else {
            Workloads.trainingIteration(net, inputs, c.batch() * c.network().classes(), c.batch(), scopes);
        }
        return prediction(c, formulas, be);
    }

    private static Prediction prediction(BenchCase c, Formulas formulas, CostingBackend be) {
        Map<String, Formulas.Cost> byScope = new LinkedHashMap<>(be.costs());
        Formulas.Cost total = Formulas.Cost.ZERO;
        for (Formulas.Cost x : byScope.values()) total = total.plus(x);
        return new Prediction(c, formulas.name(), byScope, total);
    }

    /** What a secure run of a row sent: bytes of all parties, the longest round chain, per scope and in total. */
    public record Measurement(BenchCase benchCase, Map<String, Formulas.Cost> byScope, Formulas.Cost total) {}

    /**
     * Runs the row once (no warm-up) with the three parties in this process over in-memory links, in a session with
     * the given parameters.
     */
    public static Measurement measure(BenchCase c, MaxPool.Form form, SessionParams session) {
        var res = LocalCluster.run(session, ctx -> NetworkRun.run(ctx, c, 0, 1, 1, form));
        long bytes = 0, rounds = 0;
        Map<String, Formulas.Cost> byScope = new LinkedHashMap<>();
        for (int p = 0; p < 3; p++) {
            NetworkRun.Sample s = res.of(p).runs().get(0);
            bytes += s.bytes();
            rounds = Math.max(rounds, s.rounds());
            for (Map.Entry<String, Ledger.Entry> e : res.of(p).scopes().entrySet()) {
                byScope.merge(e.getKey(), new Formulas.Cost(e.getValue().bytesSent(), e.getValue().rounds()),
                        Formulas.Cost::besides);
            }
        }
        return new Measurement(c, byScope, new Formulas.Cost(bytes, rounds));
    }
}
