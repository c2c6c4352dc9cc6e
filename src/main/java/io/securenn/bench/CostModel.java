package io.securenn.bench;

import io.securenn.model.ModelWeights;
import io.securenn.model.Network;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The communication model: the bytes (all parties together) and rounds that the protocols' formulas predict for
 * a benchmark row, per layer pass and in total, obtained by running the row's {@link Workloads} step on a
 * {@link CostingBackend}. Rounds compose sequentially (every protocol call waits for the previous one's output).
 */
public final class CostModel {
    private CostModel() {}

    /** Predicted cost per scope (as {@link Workloads} names them) and the total. */
    public record Prediction(BenchCase benchCase, String formulas, Map<String, Formulas.Cost> byScope,
                             Formulas.Cost total) {}

    public static Prediction predict(BenchCase c, Formulas formulas) {
        CostingBackend be = new CostingBackend(formulas);
        Network<Integer> net = Network.build(be, ModelWeights.placeholder(c.network()));
        Workloads.Scopes scopes = (label, protocol) -> {
            String outer = be.scope();
            be.scope(label);
            return () -> be.scope(outer);
        };
        int inputs = c.batch() * c.network().inputSize();
        if (c.mode() == BenchCase.Mode.INFERENCE) {
            Workloads.inference(net, inputs, c.batch(), scopes);
        } else {
            Workloads.trainingIteration(net, inputs, c.batch() * c.network().classes(), c.batch(), scopes);
        }
        Map<String, Formulas.Cost> byScope = new LinkedHashMap<>(be.costs());
        Formulas.Cost total = Formulas.Cost.ZERO;
        for (Formulas.Cost x : byScope.values()) total = total.plus(x);
        return new Prediction(c, formulas.name(), byScope, total);
    }
}
