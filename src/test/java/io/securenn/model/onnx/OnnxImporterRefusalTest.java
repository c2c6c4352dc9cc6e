package io.securenn.model.onnx;

import io.securenn.SecureNnException;
import io.securenn.model.ModelGraph;
import io.securenn.model.onnx.proto.Onnx.AttributeProto;
import io.securenn.model.onnx.proto.Onnx.ModelProto;
import io.securenn.model.onnx.proto.Onnx.NodeProto;
import io.securenn.model.onnx.proto.Onnx.OperatorSetIdProto;
import io.securenn.model.onnx.proto.Onnx.StringStringEntryProto;
import io.securenn.model.onnx.proto.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static io.securenn.model.onnx.OnnxBuilder.f;
import static io.securenn.model.onnx.OnnxBuilder.i;
import static io.securenn.model.onnx.OnnxBuilder.ints;
import static io.securenn.model.onnx.OnnxBuilder.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of unsupported or broken model ends in one BAD_INPUT line naming the file, the node and the rule. */
class OnnxImporterRefusalTest {
    @TempDir
    Path dir;

    private static final String SUPPORTED = String.join(", ", OnnxImporter.SUPPORTED);

    /** x [N, 2, 6, 6] -> the node(s) built by body -> Flatten -> output. */
    private static byte[] cnn(int opset, Consumer<OnnxBuilder> body) {
        OnnxBuilder b = new OnnxBuilder(opset, new SplittableRandom(7));
        b.input("x", -1, 2, 6, 6);
        body.accept(b);
        return b.bytes();
    }

    private static String conv(OnnxBuilder b, String x, AttributeProto... attrs) {
        String w = b.init("conv.weight", new long[] {2, 2, 3, 3}, -1, 1);
        return b.node("Conv", "Conv_7", new String[] {x, w}, attrs);
    }

    private static void flattenOut(OnnxBuilder b, String y) {
        b.output(b.node("Flatten", "flat", new String[] {y}));
    }

    private static ModelProto parse(byte[] b) {
        try {
            return ModelProto.parseFrom(b);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static void refused(byte[] model, String message) {
        assertThatThrownBy(() -> OnnxImporter.importModel(model, "model.onnx")).isInstanceOf(SecureNnException.class)
                .hasMessage(message).satisfies(e -> assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT));
        assertThatThrownBy(() -> OnnxImporter.importGraph(model, "model.onnx")).isInstanceOf(SecureNnException.class).hasMessage(message);
        // a streamed import of the file (every initializer left in the file, or held) refuses it alike
        for (int inline : new int[] {0, 1 << 20}) {
            assertThatThrownBy(() -> OnnxImporter.streamModel(onDisk(model), "model.onnx", inline))
                    .isInstanceOf(SecureNnException.class).hasMessage(message);
        }
    }

    private static Path onDisk(byte[] model) throws IOException {
        Path p = Files.createTempFile("refused", ".onnx");
        p.toFile().deleteOnExit();
        Files.write(p, model);
        return p;
    }

    @Test
    void convAttributesOutsideTheSubsetAreRefused() {
        refused(cnn(13, b -> flattenOut(b, conv(b, "x", i("group", 2)))), "model.onnx: node 'Conv_7' (Conv): group=2 is not supported (group=1 only)");
        refused(cnn(13, b -> flattenOut(b, conv(b, "x", ints("dilations", 2, 2)))),
                "model.onnx: node 'Conv_7' (Conv): dilations=[2, 2] is not supported (dilation 1 only)");
        refused(cnn(13, b -> flattenOut(b, conv(b, "x", s("auto_pad", "SAME_UPPER")))),
                "model.onnx: node 'Conv_7' (Conv): auto_pad=SAME_UPPER is not supported (NOTSET with explicit pads, or VALID)");
        refused(cnn(13, b -> flattenOut(b, conv(b, "x", ints("pads", 1, 1, 1)))),
                "model.onnx: node 'Conv_7' (Conv): pads=[1, 1, 1] (four pads expected: 2-D only)");
        refused(cnn(13, b -> flattenOut(b, conv(b, "x", i("colour", 3)))), "model.onnx: node 'Conv_7' (Conv): attribute 'colour' is not supported");
        refused(cnn(13, b -> flattenOut(b, conv(b, "x", f("group", 1)))), "model.onnx: node 'Conv_7' (Conv): attribute 'group' must be an integer");
        refused(cnn(13, b -> {
            String y = b.node("Conv", "Conv_7", new String[] {"x", "x"});
            flattenOut(b, y);
        }), "model.onnx: node 'Conv_7' (Conv): weight W 'x' depends on the graph input (it must be an initializer or a constant)");
    }

    @Test
    void otherOperatorsAndAttributes() {
        refused(cnn(13, b -> flattenOut(b, b.node("Sigmoid", "sig", new String[] {"x"}))),
                "model.onnx: node 'sig' (Sigmoid): operator Sigmoid is not supported (supported: " + SUPPORTED + ")");
        refused(cnn(13, b -> flattenOut(b, b.node("MaxPool", "pool", new String[] {"x"}, ints("kernel_shape", 2, 2), i("storage_order", 1)))),
                "model.onnx: node 'pool' (MaxPool): storage_order=1 is not supported (storage_order=0 only)");
        refused(cnn(13, b -> flattenOut(b, b.node("MaxPool", "pool", new String[] {"x"}, ints("kernel_shape", 2, 2), ints("dilations", 2, 1)))),
                "model.onnx: node 'pool' (MaxPool): dilations=[2, 1] is not supported (dilation 1 only)");
        refused(cnn(13, b -> flattenOut(b, b.node("AveragePool", "pool", new String[] {"x"}, ints("kernel_shape", 2, 2), ints("pads", 2, 0, 0, 0)))),
                "model.onnx: node 'pool' (AveragePool): pads=[2, 0, 0, 0] must be smaller than the kernel 2x2");
        refused(cnn(13, b -> flattenOut(b, b.node("AveragePool", "pool", new String[] {"x"}))),
                "model.onnx: node 'pool' (AveragePool): kernel_shape is missing");
        refused(cnn(13, b -> {
            String y = b.node("Flatten", "flat", new String[] {"x"});
            b.output(b.node("Gemm", "fc", new String[] {y, b.init("w", new long[] {72, 3}, -1, 1)}, i("transA", 1)));
        }), "model.onnx: node 'fc' (Gemm): transA=1 is not supported (transA=0 only)");
        refused(cnn(13, b -> b.output(b.node("Gemm", "fc", new String[] {"x", b.init("w", new long[] {72, 3}, -1, 1)}))),
                "model.onnx: node 'fc' (Gemm): needs a vector per example, has 2x6x6 (add a Flatten before it)");
        refused(cnn(13, b -> {
            String y = b.node("Reshape", "reshape", new String[] {"x", b.initInts("shape", 0, 2, -1)});
            flattenOut(b, y);
        }), "model.onnx: node 'reshape' (Reshape): reshapes 2x6x6 per example to [0, 2, -1] (only to [batch, -1] or [batch, 72], a flatten, is supported)");
        refused(cnn(13, b -> flattenOut(b, b.node("Flatten", "f0", new String[] {"x"}, i("axis", 2)))),
                "model.onnx: node 'f0' (Flatten): axis=2 is not supported (axis=1 only: [batch, rest])");
        refused(cnn(13, b -> flattenOut(b, b.node("Pad", "pad", new String[] {"x", b.initInts("pads", 0, 0, 1, 1, 0, 0, 1, 1)}, s("mode", "reflect")))),
                "model.onnx: node 'pad' (Pad): mode=reflect is not supported (mode=constant with value 0 only)");
        refused(cnn(13, b -> flattenOut(b, b.node("Pad", "pad", new String[] {"x", b.initInts("pads", 0, 1, 0, 0, 0, 0, 0, 0)}))),
                "model.onnx: node 'pad' (Pad): pads=[0, 1, 0, 0, 0, 0, 0, 0] pads the batch or the channels (spatial pads only)");
        refused(cnn(13, b -> {
            String g = b.init("g", new long[] {2}, 1, 2), be = b.init("b", new long[] {2}, 0, 1), m = b.init("m", new long[] {2}, 0, 1), v = b.init("v", new long[] {2}, 1, 2);
            flattenOut(b, b.node("BatchNormalization", "bn", new String[] {"x", g, be, m, v}, i("training_mode", 1)));
        }), "model.onnx: node 'bn' (BatchNormalization): training_mode=1 is not supported (inference only: training_mode=0)");
        refused(cnn(13, b -> flattenOut(b, b.node("Add", "add", new String[] {"x", b.init("k", new long[] {2, 1, 1}, 0, 1)}))),
                "model.onnx: node 'add' (Add): adds a constant to a tensor that is not the output of a Conv, Gemm or MatMul read only here "
                        + "(supported: a bias after Conv/Gemm/MatMul, or a residual Add of two tensors)");
        refused(cnn(13, b -> {
            String y = b.node("Flatten", "flat", new String[] {"x"});
            String sm = b.node("Softmax", "sm", new String[] {y});
            b.output(b.node("Relu", "relu", new String[] {sm}));
        }), "model.onnx: node 'sm' (Softmax): is supported only as the last operator (its output must be the graph's output)");
        refused(cnn(13, b -> {
            b.g.addNode(NodeProto.newBuilder().setOpType("FusedConv").setDomain("com.microsoft").setName("fc").addInput("x").addOutput("y"));
            flattenOut(b, "y");
        }), "model.onnx: node 'fc' (FusedConv): operator domain 'com.microsoft' is not supported (the standard ONNX operators only)");
        refused(cnn(13, b -> flattenOut(b, b.node("Relu", "relu", new String[] {"nowhere"}))),
                "model.onnx: node 'relu' (Relu): input 'nowhere' is not the graph input, an initializer or the output of an earlier node");
    }

    @Test
    void graphLevelProblems() {
        refused(cnn(13, b -> b.output(b.node("Relu", "relu", new String[] {"x"}))),
                "model.onnx: the graph output 't0' is 2x6x6 per example; a vector of logits is needed (add a Flatten)");
        refused(cnn(13, b -> {
            b.g.addInput(OnnxBuilder.valueInfo("y", -1, 3));
            flattenOut(b, "x");
        }), "model.onnx: the graph has 2 inputs (x, y); one input is supported");
        refused(cnn(13, b -> {
            String y = b.node("Flatten", "flat", new String[] {"x"});
            b.output(y).output("x");
        }), "model.onnx: the graph has 2 outputs (t0, x); one output is supported");
        OnnxBuilder sym = new OnnxBuilder(13, new SplittableRandom(1));
        sym.g.addInput(OnnxBuilder.valueInfo("x", -1, 2, 6, 6).toBuilder()
                .setType(OnnxBuilder.valueInfo("x", -1, 2, 6, 6).getType().toBuilder().setTensorType(
                        OnnxBuilder.valueInfo("x", -1, 2, 6, 6).getType().getTensorType().toBuilder().setShape(
                                OnnxBuilder.valueInfo("x", -1, 2, 6, 6).getType().getTensorType().getShape().toBuilder()
                                        .setDim(2, io.securenn.model.onnx.proto.Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("H"))))));
        flattenOut(sym, "x");
        refused(sym.bytes(), "model.onnx: dimension 2 of input 'x' is symbolic ('H'); only dimension 0 (the batch) may be");
        refused(cnn(9, b -> flattenOut(b, "x")), "model.onnx: opset 9 is not supported (opsets 11 to " + OnnxImporter.MAX_OPSET
                + "; export with a newer one, e.g. torch.onnx.export(..., opset_version=17))");
        refused(cnn(99, b -> flattenOut(b, "x")), "model.onnx: opset 99 is newer than this importer knows (opsets 11 to " + OnnxImporter.MAX_OPSET + ")");
        refused(cnn(13, b -> {
            TensorProto w = OnnxBuilder.floats("w", new long[] {72, 3}, new float[216], false).toBuilder().clearFloatData()
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
            b.g.addInitializer(w);
            b.output(b.node("Gemm", "fc", new String[] {b.node("Flatten", "flat", new String[] {"x"}), "w"}));
        }), "model.onnx: initializer 'w' is stored in an external file (external data is not supported: save the model with every tensor inside it)");
        refused(cnn(13, b -> {
            b.g.addInitializer(OnnxBuilder.floats("w", new long[] {72, 3}, new float[215], true));
            b.output(b.node("Gemm", "fc", new String[] {b.node("Flatten", "flat", new String[] {"x"}), "w"}));
        }), "model.onnx: initializer 'w' declares dimensions [72, 3] (216 values) but holds 215 values");
        refused(cnn(13, b -> {
            b.g.addInitializer(OnnxBuilder.floats("w", new long[] {1L << 40, 1L << 40}, new float[4], true));
            flattenOut(b, "x");
        }), "model.onnx: initializer 'w' declares dimensions [1099511627776, 1099511627776] (too many values) but holds 4 values");
    }

    @Test
    void notOnnxOrTruncated() {
        byte[] good = cnn(13, b -> flattenOut(b, conv(b, "x")));
        assertThat(OnnxImporter.importModel(good, "model.onnx").graph().nodes()).hasSize(2);
        refused(Arrays.copyOf(good, good.length / 2), "model.onnx: not an ONNX model, or truncated (not a valid protobuf message)");
        refused("hello, I am a text file\n".getBytes(StandardCharsets.UTF_8), "model.onnx: not an ONNX model, or truncated (not a valid protobuf message)");
        refused(new byte[0], "model.onnx: not an ONNX model (no IR version or no graph)");
        refused(ModelProto.newBuilder().setIrVersion(8).build().toByteArray(), "model.onnx: not an ONNX model (no IR version or no graph)");
        ModelProto noOpset = ModelProto.newBuilder(parse(good)).clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3)).build();
        refused(noOpset.toByteArray(), "model.onnx: imports no opset of the ONNX domain (not a valid ONNX model)");
    }

    @Test
    void aGraphOnlyImportDecodesNoWeight() {
        byte[] nan = cnn(13, b -> {
            float[] w = new float[36];
            w[5] = Float.NaN;
            String y = b.node("Conv", "Conv_7", new String[] {"x", b.init("conv.weight", new long[] {2, 2, 3, 3}, w)});
            flattenOut(b, y);
        });
        ModelGraph g = OnnxImporter.importGraph(nan, "model.onnx");
        assertThat(g.parameterRefs()).containsExactly(new io.securenn.model.Op.ParamRef("conv.weight", 36));
        assertThatThrownBy(() -> OnnxImporter.importModel(nan, "model.onnx")).isInstanceOf(SecureNnException.class)
                .hasMessage("model.onnx: node 'Conv_7' (Conv): weight W holds NaN or infinite values");
        // a streamed import decodes each weight once before it returns: the same refusal, before any party starts
        assertThatThrownBy(() -> OnnxImporter.streamModel(onDisk(nan), "model.onnx", 0)).isInstanceOf(SecureNnException.class)
                .hasMessage("model.onnx: node 'Conv_7' (Conv): weight W holds NaN or infinite values");
    }

    @Test
    void aNewerIrVersionAloneIsNoReason() {
        ModelProto m = parse(cnn(13, b -> flattenOut(b, conv(b, "x"))));
        ModelGraph g = OnnxImporter.importGraph(m.toBuilder().setIrVersion(1000).build().toByteArray(), "future.onnx");
        assertThat(g.name()).isEqualTo("future");
        assertThat(g.classes()).isEqualTo(2 * 4 * 4);
    }

    @Test
    void filesOnDisk() throws IOException {
        assertThatThrownBy(() -> OnnxImporter.importGraph(dir.resolve("missing.onnx"))).isInstanceOf(SecureNnException.class)
                .hasMessage(dir.resolve("missing.onnx") + ": cannot read: no such file or directory");
        assertThatThrownBy(() -> OnnxImporter.importGraph(dir)).isInstanceOf(SecureNnException.class)
                .hasMessage(dir + ": is a directory, not an ONNX model");
        Path big = dir.resolve("big.onnx");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(OnnxImporter.MAX_FILE_BYTES + 1); // sparse: no disk used
        }
        assertThatThrownBy(() -> OnnxImporter.importModel(big)).isInstanceOf(SecureNnException.class)
                .hasMessage(big + ": is larger than 2 GiB (an ONNX file holds at most 2 GiB; external data is not supported)");
        Files.delete(big);
        Path ok = dir.resolve("net.onnx");
        Files.write(ok, cnn(13, b -> flattenOut(b, conv(b, "x"))));
        OnnxModel m = OnnxImporter.importModel(ok);
        assertThat(m.graph().name()).isEqualTo("net");
        assertThat(m.parameters().get("conv.weight")).hasSize(2 * 3 * 3 * 2);
        assertThat(OnnxImporter.importGraph(ok)).isEqualTo(m.graph());
        assertThat(m.sources().get("conv.weight").layout()).isEqualTo(ParamSource.Layout.CONV_WEIGHT);
        assertThat(m.sources().get("conv.weight").initializer()).isEqualTo("conv.weight");
    }
}
