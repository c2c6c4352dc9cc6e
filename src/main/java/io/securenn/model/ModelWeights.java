package io.securenn.model;

import java.util.List;

/**
 * The fixed-point encodings (13 fractional bits) of all parameters of a network, in the order of
 * {@link Architecture#parameterShapes()}: what the model owner holds in the clear and what a model file stores.
 */
public record ModelWeights(Architecture architecture, List<long[]> tensors) {
    public ModelWeights {
        List<Architecture.ParamShape> shapes = architecture.parameterShapes();
        if (tensors.size() != shapes.size()) {
            throw new IllegalArgumentException("network " + architecture + " has " + shapes.size()
                    + " parameter tensors, got " + tensors.size());
        }
        for (int i = 0; i < shapes.size(); i++) {
            if (tensors.get(i).length != shapes.get(i).size()) {
                throw new IllegalArgumentException(shapes.get(i).name() + " has " + tensors.get(i).length
                        + " values, expected " + shapes.get(i).size());
            }
        }
        tensors = List.copyOf(tensors);
    }

    /**
     * All-zero tensors of the right shapes: what a party that does not own the model passes to the SPMD
     * import (only the owner's values are used; the others contribute lengths).
     */
    public static ModelWeights placeholder(Architecture architecture) {
        List<long[]> ts = new java.util.ArrayList<>();
        for (Architecture.ParamShape s : architecture.parameterShapes()) ts.add(new long[s.size()]);
        return new ModelWeights(architecture, ts);
    }
}
