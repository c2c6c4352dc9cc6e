package io.securenn.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Map;

/** onnxruntime as the tests' oracle: runs a model on one float32 input, without graph optimisations. */
final class Ort {
    private Ort() {}

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "securenn-test");

    record Out(long[] shape, float[] values) {}

    static Out run(byte[] model, String inputName, float[] x, long[] shape) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            o.setIntraOpNumThreads(1);
            try (OrtSession s = ENV.createSession(model, o);
                 OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of(inputName, t))) {
                OnnxTensor y = (OnnxTensor) r.get(0);
                FloatBuffer b = y.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                return new Out(y.getInfo().getShape(), v);
            }
        } catch (OrtException e) {
            throw new AssertionError("onnxruntime: " + e.getMessage(), e);
        }
    }
}
