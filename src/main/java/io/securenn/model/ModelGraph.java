package io.securenn.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's public architecture: a DAG with one input and one output, its nodes in topological order (each reads
 * only earlier nodes or the input), the last node the output (a vector of {@code classes} logits per example).
 * Everything here is public (shapes, kernels, strides, pads, which operators); every value that enters arithmetic
 * is in {@link ModelParameters}, the model owner's secret. A trailing Softmax/LogSoftmax is not a node: it is
 * {@link #output()}, applied by the output owner in plaintext after reconstruction.
 *
 * @param name       the model's name (the file's base name, or A–D)
 * @param inputName  the graph input's name (ONNX's)
 * @param inputShape the input's shape per example (C×H×W or a vector)
 * @param outputName the graph output's name (ONNX's)
 */
public record ModelGraph(String name, String inputName, int[] inputShape, String outputName, List<Node> nodes,
                         Output output) {
    /** The index standing for the graph's input in {@link Node#inputs()}. */
    public static final int INPUT = -1;

    /** What the output owner applies to the revealed logits. */
    public enum Output {
        LOGITS, SOFTMAX, LOG_SOFTMAX;

        /** Applies this output's Softmax or LogSoftmax to one row in place (float64, max-subtracted); logits as they are. */
        public void apply(double[] v, int off, int n) {
            if (this == LOGITS) return;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, v[off + i]);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Math.exp(v[off + i] - max);
            double logSum = Math.log(sum) + max;
            for (int i = 0; i < n; i++) v[off + i] = this == SOFTMAX ? Math.exp(v[off + i] - logSum) : v[off + i] - logSum;
        }
    }

    public ModelGraph {
        inputShape = inputShape.clone();
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) throw new IllegalArgumentException("model " + name + " has no nodes");
        for (int i = 0; i < nodes.size(); i++) {
            for (int in : nodes.get(i).inputs()) {
                if (in < INPUT || in >= i) throw new IllegalArgumentException("node " + nodes.get(i).name() + " reads node " + in + ": not topological");
            }
        }
        if (nodes.get(nodes.size() - 1).shape().length != 1) {
            throw new IllegalArgumentException("model " + name + ": the output must be a vector per example, is "
                    + Arrays.toString(nodes.get(nodes.size() - 1).shape()));
        }
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Equal when every field is (the input shape by its values: the graphs P0 sends and P1, P2 decode compare). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelGraph g && name.equals(g.name) && inputName.equals(g.inputName)
                && Arrays.equals(inputShape, g.inputShape) && outputName.equals(g.outputName) && nodes.equals(g.nodes)
                && output == g.output;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(inputShape)) * 31 + nodes.hashCode();
    }

    @Override
    public String toString() {
        return "ModelGraph[" + name + ", input " + inputName + " " + Arrays.toString(inputShape) + ", output " + outputName
                + " " + output + ", nodes " + nodes + "]";
    }

    public int inputSize() {
        return size(inputShape);
    }

    /** Logits per example. */
    public int classes() {
        return nodes.get(nodes.size() - 1).size();
    }

    /** The shape per example of node i's output, or of the input for {@link #INPUT}. */
    public int[] shapeOf(int i) {
        return i == INPUT ? inputShape() : nodes.get(i).shape();
    }

    /** For every node, the index of the last node that reads it (its value can be freed after that node). */
    public int[] lastUse() {
        int[] last = new int[nodes.size()];
        Arrays.fill(last, -1);
        for (int i = 0; i < nodes.size(); i++) for (int in : nodes.get(i).inputs()) if (in >= 0) last[in] = i;
        last[nodes.size() - 1] = nodes.size();
        return last;
    }

    /** The secret tensors the nodes refer to, in node order (the order they are shared in). */
    public List<Op.ParamRef> parameterRefs() {
        List<Op.ParamRef> out = new ArrayList<>();
        for (Node n : nodes) {
            switch (n.op()) {
                case Op.Conv c -> { out.add(c.weight()); if (c.bias() != null) out.add(c.bias()); }
                case Op.Gemm g -> { out.add(g.weight()); if (g.bias() != null) out.add(g.bias()); }
                case Op.BatchNorm b -> { out.add(b.scale()); out.add(b.shift()); }
                default -> { }
            }
        }
        return out;
    }

    public long parameterCount() {
        long n = 0;
        for (Op.ParamRef r : parameterRefs()) n += r.length();
        return n;
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor of " + n + " elements per example is too large");
        return (int) n;
    }
}
