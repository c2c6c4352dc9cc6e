package io.securenn.model.onnx;

import io.securenn.model.ModelGraph;
import io.securenn.model.ParameterReader;

import java.util.Map;

/**
 * An ONNX model imported without its weights held ({@link OnnxImporter#streamModel}): the public graph, and the
 * owner's secret parameters read from the file one tensor at a time (each read decodes it again, with its layout
 * change and folds; nothing is cached), and where each came from.
 */
public record StreamedModel(ModelGraph graph, ParameterReader parameters, Map<String, ParamSource> sources) {
    public StreamedModel {
        sources = Map.copyOf(sources);
    }
}
