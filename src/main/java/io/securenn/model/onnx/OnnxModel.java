package io.securenn.model.onnx;

import io.securenn.model.ModelGraph;
import io.securenn.model.ModelParameters;

import java.util.Map;

/**
 * An imported ONNX model: the public graph, the owner's secret parameters (float64, in the layers' layouts), and
 * for each parameter tensor where it came from in the file (for writing trained values back: {@link ParamSource}).
 */
public record OnnxModel(ModelGraph graph, ModelParameters parameters, Map<String, ParamSource> sources) {
    public OnnxModel {
        sources = Map.copyOf(sources);
    }
}
