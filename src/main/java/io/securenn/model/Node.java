package io.securenn.model;

import java.util.Arrays;

/**
 * One node of a {@link ModelGraph}: its name (the ONNX node's, for messages), its operator, the indices of the
 * nodes it reads ({@link ModelGraph#INPUT} for the graph's input; always earlier nodes) and its output shape per
 * example.
 */
public record Node(String name, Op op, int[] inputs, int[] shape) {
    public Node {
        inputs = inputs.clone();
        shape = shape.clone();
        for (int d : shape) if (d <= 0) throw new IllegalArgumentException("node " + name + ": empty shape " + Arrays.toString(shape));
    }

    /** Elements per example. */
    public int size() {
        return ModelGraph.size(shape);
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && name.equals(n.name) && op.equals(n.op) && Arrays.equals(inputs, n.inputs)
                && Arrays.equals(shape, n.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + op + " <- " + Arrays.toString(inputs) + " : " + Arrays.toString(shape);
    }
}
