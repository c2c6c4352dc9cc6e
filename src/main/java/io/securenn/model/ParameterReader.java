package io.securenn.model;

/**
 * The model owner's secret tensors read one at a time, by the names of {@link Op.ParamRef}s, as float64 values in
 * the layers' layouts: {@link ModelParameters} holds them all; a streamed ONNX import
 * ({@link io.securenn.model.onnx.OnnxImporter#streamModel}) reads each from the file when asked and keeps nothing.
 * The caller must not modify the array it is given.
 */
@FunctionalInterface
public interface ParameterReader {
    double[] read(String name);
}
