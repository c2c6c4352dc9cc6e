package io.securenn.model.onnx;

import com.google.protobuf.ByteString;
import io.securenn.model.onnx.proto.Onnx.AttributeProto;
import io.securenn.model.onnx.proto.Onnx.GraphProto;
import io.securenn.model.onnx.proto.Onnx.ModelProto;
import io.securenn.model.onnx.proto.Onnx.NodeProto;
import io.securenn.model.onnx.proto.Onnx.OperatorSetIdProto;
import io.securenn.model.onnx.proto.Onnx.TensorProto;
import io.securenn.model.onnx.proto.Onnx.TensorShapeProto;
import io.securenn.model.onnx.proto.Onnx.TypeProto;
import io.securenn.model.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Builds small ONNX models in tests with the generated protobuf builders. */
final class OnnxBuilder {
    final int opset;
    final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final SplittableRandom rnd;
    private int counter;
    long irVersion = 8;

    OnnxBuilder(int opset, SplittableRandom rnd) {
        this.opset = opset;
        this.rnd = rnd;
    }

    /** A float input; a dimension of -1 is symbolic ("N"). */
    OnnxBuilder input(String name, long... dims) {
        g.addInput(valueInfo(name, dims));
        return this;
    }

    OnnxBuilder output(String name) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
        return this;
    }

    static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static TensorProto floats(String name, long[] dims, float[] v, boolean raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) t.addDims(d);
        if (raw) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) b.putFloat(x);
            t.setRawData(ByteString.copyFrom(b.array()));
        } else {
            for (float x : v) t.addFloatData(x);
        }
        return t.build();
    }

    static TensorProto int64s(String name, long[] dims, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7);
        for (long d : dims) t.addDims(d);
        for (long x : v) t.addInt64Data(x);
        return t.build();
    }

    /** A float initializer of random values uniform in (lo, hi); raw or typed storage at random. */
    String init(String name, long[] dims, double lo, double hi) {
        int n = 1;
        for (long d : dims) n *= (int) d;
        float[] v = new float[n];
        for (int k = 0; k < n; k++) v[k] = (float) (lo + (hi - lo) * rnd.nextDouble());
        g.addInitializer(floats(name, dims, v, rnd.nextBoolean()));
        return name;
    }

    String init(String name, long[] dims, float[] v) {
        g.addInitializer(floats(name, dims, v, rnd.nextBoolean()));
        return name;
    }

    /** A 1-D int64 initializer. */
    String initInts(String name, long... v) {
        g.addInitializer(int64s(name, new long[] {v.length}, v));
        return name;
    }

    /** A node with one output (named t&lt;k&gt;); returns the output's name. */
    String node(String op, String name, String[] inputs, AttributeProto... attrs) {
        String out = "t" + counter++;
        nodeOut(op, name, inputs, new String[] {out}, attrs);
        return out;
    }

    String node(String op, String[] inputs, AttributeProto... attrs) {
        return node(op, op.toLowerCase() + counter, inputs, attrs);
    }

    void nodeOut(String op, String name, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : inputs) n.addInput(i);
        for (String o : outputs) n.addOutput(o);
        for (AttributeProto a : attrs) n.addAttribute(a);
        g.addNode(n);
    }

    /** Unsqueeze with axes as an attribute (opset &lt; 13) or an input. */
    String unsqueeze(String x, long... axes) {
        if (opset < 13) return node("Unsqueeze", new String[] {x}, ints("axes", axes));
        return node("Unsqueeze", new String[] {x, initInts("axes" + counter++, axes)});
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    static AttributeProto t(String name, TensorProto v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(v).build();
    }

    ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(irVersion).setProducerName("securenn-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    byte[] bytes() {
        return model().toByteArray();
    }
}
