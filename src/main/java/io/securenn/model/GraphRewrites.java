package io.securenn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact rewrites of a model graph that make secure inference and training cheaper without changing any result.
 */
public final class GraphRewrites {
    private GraphRewrites() {}

    /** Every rewrite below, in order. */
    public static ModelGraph optimize(ModelGraph g) {
        return poolBeforeRelu(g);
    }

    /**
     * Relu followed by MaxPool becomes MaxPool followed by Relu (spec correction 8): max(relu(x)) = relu(max(x))
     * because ReLU is monotone (and a padded window position repeats a real one, so padding never wins), and the
     * pooled tensor has k times fewer elements, so k times fewer DReLUs. Backward is the same too: δ reaches the
     * window's maximum iff that maximum is ≥ 0 in both orders. Applied where the Relu feeds only that MaxPool.
     */
    public static ModelGraph poolBeforeRelu(ModelGraph g) {
        List<Node> nodes = new ArrayList<>(g.nodes());
        int[] consumers = new int[nodes.size()];
        for (Node n : nodes) for (int k : n.inputs()) if (k >= 0) consumers[k]++;
        boolean changed = false;
        for (int j = 0; j < nodes.size(); j++) {
            Node pool = nodes.get(j);
            if (!(pool.op() instanceof Op.MaxPool) || pool.inputs()[0] < 0) continue;
            int i = pool.inputs()[0];
            Node relu = nodes.get(i);
            if (!(relu.op() instanceof Op.Relu) || consumers[i] != 1) continue;
            // position i: the pool, reading what the Relu read; position j: the Relu, reading the pool
            nodes.set(i, new Node(pool.name(), pool.op(), relu.inputs(), pool.shape()));
            nodes.set(j, new Node(relu.name(), relu.op(), new int[] {i}, pool.shape()));
            changed = true;
        }
        return changed ? new ModelGraph(g.name(), g.inputName(), g.inputShape(), g.outputName(), nodes, g.output()) : g;
    }
}
