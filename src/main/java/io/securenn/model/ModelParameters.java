package io.securenn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model owner's secret tensors, by the names of {@link Op.ParamRef}s, as float64 values in the layers'
 * layouts (see {@link Op}); encoded to fixed point only when they are shared. Only the model owner's process
 * holds one.
 */
public record ModelParameters(Map<String, double[]> tensors) implements ParameterReader {
    public ModelParameters {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    @Override
    public double[] read(String name) {
        return get(name);
    }

    public double[] get(String name) {
        double[] t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter tensor '" + name + "'");
        return t;
    }

    /** Checks that every tensor the graph refers to is here with its length. */
    public void checkAgainst(ModelGraph g) {
        List<Op.ParamRef> refs = g.parameterRefs();
        for (Op.ParamRef r : refs) {
            double[] t = get(r.name());
            if (t.length != r.length()) {
                throw new IllegalArgumentException("parameter '" + r.name() + "' has " + t.length + " values, the graph needs " + r.length());
            }
        }
    }
}
