package io.securenn.bench;

import io.securenn.model.GraphModel;
import io.securenn.model.ModelGraph;
import io.securenn.model.Node;
import io.securenn.model.Op;
import io.securenn.nn.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The communication of secure inference of a model graph, as the protocols' formulas predict it: the graph's layer
 * code run on a {@link CostingBackend}, one entry per node, then the output's argmax (when only labels are
 * revealed) and the reveal to P0. Sharing the model and the input costs nothing on the wire (P1's shares come from
 * the P0–P1 stream).
 */
public final class GraphCost {
    private GraphCost() {}

    /** One node's predicted cost (bytes of all parties, rounds). */
    public record Entry(String name, String op, String layer, int[] shape, long parameters, Formulas.Cost cost) {}

    public record Prediction(ModelGraph graph, int batch, List<Entry> nodes, Formulas.Cost argmax, Formulas.Cost reveal,
                             Formulas.Cost total) {}

    public static Prediction inference(ModelGraph g, int batch, boolean revealLabelsOnly, Formulas formulas) {
        return inference(g, batch, revealLabelsOnly, formulas, CostingBackend.Weights.PER_PRODUCT);
    }

    /**
     * As {@link #inference(ModelGraph, int, boolean, Formulas)} for one batch of a session whose weights are masked
     * as {@code weights} says: per product (a one-shot job), or once per session (docs/PROTOCOLS.md, "Stationary
     * weight masks": {@code serve}, {@code infer} of several batches), in its first batch or in a later one.
     */
    public static Prediction inference(ModelGraph g, int batch, boolean revealLabelsOnly, Formulas formulas,
                                       CostingBackend.Weights weights) {
        CostingBackend be = new CostingBackend(formulas, weights);
        List<long[]> tensors = new ArrayList<>();
        for (Op.ParamRef r : g.parameterRefs()) tensors.add(new long[r.length()]);
        GraphModel<Integer> m = GraphModel.build(be, g, tensors);
        be.scope("nodes");
        Integer z = m.forward(batch * g.inputSize(), batch, false, (i, node) -> {
            be.scope("node " + i);
            return () -> be.scope("between nodes");
        });
        Formulas.Cost argmax = Formulas.Cost.ZERO;
        if (revealLabelsOnly) {
            be.scope(Workloads.ARGMAX_SCOPE);
            z = be.argmax(z, batch, g.classes());
            argmax = be.costs().getOrDefault(Workloads.ARGMAX_SCOPE, Formulas.Cost.ZERO);
        }
        be.scope(Workloads.REVEAL_SCOPE);
        be.reveal(z, revealLabelsOnly ? Backend.Encoding.INTEGER : Backend.Encoding.FIXED);
        var costs = be.costs();
        List<Entry> entries = new ArrayList<>();
        Formulas.Cost total = Formulas.Cost.ZERO;
        ModelGraph run = m.graph();   // as rewritten for execution
        for (int i = 0; i < run.nodes().size(); i++) {
            Node n = run.nodes().get(i);
            long params = 0;
            switch (n.op()) {
                case Op.Conv c -> params = c.weight().length() + (c.bias() == null ? 0 : c.bias().length());
                case Op.Gemm gm -> params = gm.weight().length() + (gm.bias() == null ? 0 : gm.bias().length());
                case Op.BatchNorm b -> params = b.scale().length() + b.shift().length();
                default -> { }
            }
            Formulas.Cost c = costs.getOrDefault("node " + i, Formulas.Cost.ZERO);
            entries.add(new Entry(n.name(), n.op().onnxType(), m.describe(i), n.shape(), params, c));
            total = total.plus(c);
        }
        Formulas.Cost reveal = costs.getOrDefault(Workloads.REVEAL_SCOPE, Formulas.Cost.ZERO);
        total = total.plus(argmax).plus(reveal);
        return new Prediction(g, batch, entries, argmax, reveal, total);
    }
}
