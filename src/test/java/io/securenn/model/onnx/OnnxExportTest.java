package io.securenn.model.onnx;

import io.securenn.data.Dataset;
import io.securenn.job.Execution;
import io.securenn.job.TrainingJob;
import io.securenn.model.Architecture;
import io.securenn.model.GraphModel;
import io.securenn.model.Init;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelParameters;
import io.securenn.model.Op;
import io.securenn.model.ReferenceEvaluator;
import io.securenn.model.onnx.proto.Onnx.ModelProto;
import io.securenn.model.onnx.proto.Onnx.NodeProto;
import io.securenn.nn.Backend;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.SyntheticMnist;
import io.securenn.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.securenn.model.onnx.OnnxBuilder.f;
import static io.securenn.model.onnx.OnnxBuilder.i;
import static io.securenn.model.onnx.OnnxBuilder.ints;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export (issue 14) against onnxruntime: an imported model trained in the fixed-point twin and written back into
 * its original ONNX file (BatchNormalization folded into a Conv, with and without a bias, into a MatMul; an
 * unfolded one; Gemm with transB, alpha and beta; MatMul + Add; a scalar bias; Softmax), and the networks A–D
 * written as new ONNX files: onnxruntime's outputs equal the float64 evaluation of the same tensors (the mapping
 * back is exact up to float32) and its predictions the twin's, its logits within the fixed-point error.
 */
@Timeout(180)
class OnnxExportTest {

    private static long[] l(long... v) {
        return v;
    }

    /**
     * x[N,1,8,8] → Conv with bias → BatchNormalization (folds) → Relu → Conv without bias → BatchNormalization (folds,
     * creating a bias) → Add of the first Relu (residual) → BatchNormalization (stays: after an Add) → Relu → MaxPool →
     * AveragePool → Flatten → Gemm (transB 1, alpha 0.5, beta 2) → Relu → MatMul → Add of a bias; 4 logits.
     */
    static OnnxBuilder cnn(long seed, int opset) {
        OnnxBuilder b = new OnnxBuilder(opset, new SplittableRandom(seed));
        b.input("x", -1, 1, 8, 8);
        String c1 = b.node("Conv", "conv1", new String[] {"x", b.init("conv1.weight", l(4, 1, 3, 3), -0.6, 0.6),
                b.init("conv1.bias", l(4), -0.2, 0.2)}, ints("pads", 1, 1, 1, 1), ints("kernel_shape", 3, 3));
        String b1 = bn(b, "bn1", c1, 4);
        String r1 = b.node("Relu", "relu1", new String[] {b1});
        String c2 = b.node("Conv", "conv2", new String[] {r1, b.init("conv2.weight", l(4, 4, 3, 3), -0.3, 0.3)},
                ints("pads", 1, 1, 1, 1));
        String b2 = bn(b, "bn2", c2, 4);
        String a = b.node("Add", "residual", new String[] {b2, r1});
        String b3 = bn(b, "bn3", a, 4);
        String r2 = b.node("Relu", "relu2", new String[] {b3});
        String p = b.node("MaxPool", "pool", new String[] {r2}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        String q = b.node("AveragePool", "avg", new String[] {p}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        String fl = b.node("Flatten", "flat", new String[] {q}, i("axis", 1));
        String g = b.node("Gemm", "fc1", new String[] {fl, b.init("fc1.weight", l(8, 16), -0.5, 0.5), b.init("fc1.bias", l(8), -0.2, 0.2)},
                i("transB", 1), f("alpha", 0.5f), f("beta", 2f));
        String r3 = b.node("Relu", "relu3", new String[] {g});
        String m = b.node("MatMul", "fc2", new String[] {r3, b.init("fc2.weight", l(8, 4), -0.5, 0.5)});
        b.g.addOutput(OnnxBuilder.valueInfo("logits", -1, 4));
        b.nodeOut("Add", "fc2_bias", new String[] {m, b.init("fc2.bias", l(4), -0.2, 0.2)}, new String[] {"logits"});
        return b;
    }

    /**
     * x[N,16] → MatMul → BatchNormalization (folds into the MatMul: a bias only the fold made) → Relu → Gemm with a
     * scalar bias C → Softmax; 4 classes.
     */
    static OnnxBuilder mlp(long seed, int opset) {
        OnnxBuilder b = new OnnxBuilder(opset, new SplittableRandom(seed));
        b.input("features", -1, 16);
        String m = b.node("MatMul", "hidden", new String[] {"features", b.init("hidden.weight", l(16, 6), -0.5, 0.5)});
        String n = bn(b, "norm", m, 6);
        String r = b.node("Relu", "act", new String[] {n});
        String g = b.node("Gemm", "out", new String[] {r, b.init("out.weight", l(6, 4), -0.6, 0.6), b.init("out.bias", l(), 0.1, 0.2)});
        b.g.addOutput(OnnxBuilder.valueInfo("probabilities", -1, 4));
        b.nodeOut("Softmax", "softmax", new String[] {g}, new String[] {"probabilities"}, i("axis", -1));
        return b;
    }

    static String bn(OnnxBuilder b, String name, String x, int c) {
        return b.node("BatchNormalization", name, new String[] {x, b.init(name + ".weight", l(c), 0.6, 1.4),
                b.init(name + ".bias", l(c), -0.3, 0.3), b.init(name + ".running_mean", l(c), -0.3, 0.3),
                b.init(name + ".running_var", l(c), 0.5, 1.5)}, f("epsilon", 1e-3f));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) f[k] = (float) v[k];
        return f;
    }

    private static long[] shape(ModelGraph g, int batch) {
        int[] s = g.inputShape();
        long[] out = new long[s.length + 1];
        out[0] = batch;
        for (int k = 0; k < s.length; k++) out[k + 1] = s[k];
        return out;
    }

    /** Inputs on the fixed-point grid (what the twin sees), in [0, 1). */
    private static double[] inputs(Seeded s, int n) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) x[k] = FixedPoint.decode(FixedPoint.encode(s.rnd.nextDouble()));
        return x;
    }

    private static int count(byte[] onnx, String op) throws Exception {
        int n = 0;
        for (NodeProto node : ModelProto.parseFrom(onnx).getGraph().getNodeList()) if (node.getOpType().equals(op)) n++;
        return n;
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 13, 17})
    void writingBackTheImportedTensorsReproducesTheOriginal(int opset) throws Exception {
        for (OnnxBuilder built : List.of(cnn(41 + opset, opset), mlp(43 + opset, opset))) {
            byte[] original = built.bytes();
            OnnxModel m = OnnxImporter.importModel(original, "m.onnx");
            byte[] exported = OnnxExporter.withTrained(original, "m.onnx", m, m.parameters());
            Seeded s = Seeded.fromEnvOr(1400 + opset);
            int batch = 5;
            double[] x = inputs(s, batch * m.graph().inputSize());
            Ort.Out a = Ort.run(original, m.graph().inputName(), toFloat(x), shape(m.graph(), batch));
            Ort.Out b = Ort.run(exported, m.graph().inputName(), toFloat(x), shape(m.graph(), batch));
            assertThat(b.shape()).containsExactly(a.shape());
            for (int k = 0; k < a.values().length; k++) {
                assertThat((double) b.values()[k]).as(s.msg("output " + k + ", opset " + opset))
                        .isCloseTo(a.values()[k], org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(a.values()[k]))));
            }
            // the folded normalisations are gone, the unfolded one stays; the names and the opset are the file's
            ModelProto e = ModelProto.parseFrom(exported), o = ModelProto.parseFrom(original);
            assertThat(count(exported, "BatchNormalization"))
                    .isEqualTo((int) m.graph().nodes().stream().filter(n -> n.op() instanceof Op.BatchNorm).count());
            assertThat(e.getOpsetImportList()).isEqualTo(o.getOpsetImportList());
            assertThat(e.getGraph().getInputList()).isEqualTo(o.getGraph().getInputList());
            assertThat(e.getGraph().getOutputList()).isEqualTo(o.getGraph().getOutputList());
            // and it imports to the same architecture
            ModelGraph again = OnnxImporter.importGraph(exported, "m.onnx");
            assertThat(again.nodes().stream().map(n -> n.op().onnxType() + java.util.Arrays.toString(n.shape())).toList())
                    .isEqualTo(m.graph().nodes().stream().map(n -> n.op().onnxType() + java.util.Arrays.toString(n.shape())).toList());
        }
    }

    /** A dataset of C×H×W images on the fixed-point grid whose class shows in the brightness of one region. */
    static Dataset separable(String name, int n, int[] shape, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int size = shape[0] * shape[1] * shape[2];
        float[] v = new float[n * size];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(classes);
            labels[i] = (byte) c;
            for (int k = 0; k < size; k++) {
                double x = 0.3 * r.nextDouble() + ((k * classes / size) == c ? 0.6 : 0);
                v[i * size + k] = (float) FixedPoint.decode(FixedPoint.encode(x));
            }
        }
        return new Dataset(name, n, shape[0], shape[1], shape[2], classes, null, v, labels);
    }

    /** Trains an imported model in the twin through the training job; the trained parameters. */
    static ModelParameters trainInTheTwin(OnnxBuilder built, int epochs) {
        byte[] bytes = built.bytes();
        OnnxModel m = OnnxImporter.importModel(bytes, "m.onnx");
        int[] shape = m.graph().inputShape().length == 3 ? m.graph().inputShape() : new int[] {1, 1, m.graph().inputSize()};
        Dataset train = separable("train", 64, shape, m.graph().classes(), 5), test = separable("test", 32, shape, m.graph().classes(), 6);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(epochs).withBatch(8).withLrShift(4).withMomentumShift(2).withSeed(3);
        TrainingJob.Result r = TrainingJob.run(Execution.plaintext(false, 1), TrainingJob.Spec.of(
                new TrainingJob.Imported(m, bytes, "m.onnx"), new TrainingJob.PublicData("synthetic", train, test), cfg)
                .withRevealModel(true), null);
        assertThat(r.epochs()).hasSize(epochs);
        assertThat(r.epochs().get(epochs - 1).loss()).as("the training learns").isLessThan(r.epochs().get(0).loss() + 1e-9);
        return r.parameters();
    }

    /** The twin's logits of a graph with these parameters. */
    static double[] twinLogits(ModelGraph g, ModelParameters p, double[] x, int batch) {
        try (PlainFixedBackend be = new PlainFixedBackend(7)) {
            List<long[]> ts = new ArrayList<>();
            for (Op.ParamRef r : g.parameterRefs()) ts.add(FixedPoint.encode(p.get(r.name())));
            GraphModel<long[]> model = GraphModel.build(be, g, ts);
            return FixedPoint.decode(model.forward(be.importData(FixedPoint.encode(x), Backend.Encoding.FIXED), batch, false));
        }
    }

    private static int argmax(double[] v, int off, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) if (v[off + k] > v[off + best]) best = k;
        return best;
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) if (v[off + k] > v[off + best]) best = k;
        return best;
    }

    /** The largest minus the second largest of a row. */
    private static double margin(double[] v, int off, int n) {
        double a = Double.NEGATIVE_INFINITY, b = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double x = v[off + k];
            if (x > a) {
                b = a;
                a = x;
            } else if (x > b) {
                b = x;
            }
        }
        return a - b;
    }

    private static double[] softmax(double[] z, int rows, int k) {
        double[] out = new double[z.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < k; c++) max = Math.max(max, z[r * k + c]);
            for (int c = 0; c < k; c++) sum += Math.exp(z[r * k + c] - max);
            for (int c = 0; c < k; c++) out[r * k + c] = Math.exp(z[r * k + c] - max) / sum;
        }
        return out;
    }

    /**
     * onnxruntime's outputs of the exported model equal the float64 evaluation of the exported tensors within
     * float32 rounding; its predictions equal the twin's where the twin's margin exceeds the fixed-point error, its
     * outputs within that error.
     */
    static void agreesWithTheTwin(byte[] exported, ModelGraph g, ModelParameters p, Seeded s, int batch, double logitError) {
        double[] x = inputs(s, batch * g.inputSize());
        Ort.Out ort = Ort.run(exported, g.inputName(), toFloat(x), shape(g, batch));
        int k = g.classes();
        assertThat(ort.shape()).containsExactly(batch, k);
        OnnxImporterOracleTest.close(ReferenceEvaluator.output(g, p, x, batch), ort.values(), s.msg("onnxruntime vs float64"));
        double[] twin = twinLogits(g, p, x, batch);
        double[] twinOut = g.output() == ModelGraph.Output.SOFTMAX ? softmax(twin, batch, k) : twin;
        int compared = 0;
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < k; c++) {
                assertThat((double) ort.values()[r * k + c]).as(s.msg("row " + r + " output " + c + ", onnxruntime vs twin"))
                        .isCloseTo(twinOut[r * k + c], org.assertj.core.data.Offset.offset(logitError));
            }
            if (margin(twin, r * k, k) > 2 * logitError) {
                assertThat(argmax(ort.values(), r * k, k)).as(s.msg("row " + r + ": onnxruntime's prediction is the twin's"))
                        .isEqualTo(argmax(twin, r * k, k));
                compared++;
            }
        }
        assertThat(compared).as(s.msg("rows whose predictions were compared")).isGreaterThan(batch / 2);
    }

    @Test
    void anImportedModelTrainedInTheTwinRunsInOnnxruntimeLikeTheTwin() {
        for (OnnxBuilder built : List.of(cnn(51, 13), mlp(53, 17))) {
            byte[] original = built.bytes();
            OnnxModel m = OnnxImporter.importModel(original, "m.onnx");
            ModelParameters trained = trainInTheTwin(built, 2);
            // the training moved every tensor
            for (var e : trained.tensors().entrySet()) {
                assertThat(e.getValue()).as(e.getKey() + " moved").isNotEqualTo(m.parameters().get(e.getKey()));
            }
            byte[] exported = OnnxExporter.withTrained(original, "m.onnx", m, trained);
            agreesWithTheTwin(exported, m.graph(), trained, Seeded.fromEnvOr(1500), 24, 0.03);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theBuiltInNetworksAsNewOnnxFiles(Architecture a) throws Exception {
        Seeded s = Seeded.fromEnvOr(1600 + a.ordinal());
        ModelGraph g = a.graph();
        // He-uniform weights everywhere (the seeded initial output layer is zero: every prediction a tie)
        List<long[]> init = Init.draw(a, s.seed).tensors();
        Map<String, double[]> ps = new LinkedHashMap<>();
        for (int t = 0; t < g.parameterRefs().size(); t++) {
            Op.ParamRef r = g.parameterRefs().get(t);
            double[] v = FixedPoint.decode(init.get(t));
            if (a.parameterShapes().get(t).lastLayer()) {
                double bound = Math.sqrt(6.0 / a.parameterShapes().get(t).fanIn());
                for (int k = 0; k < v.length; k++) v[k] = FixedPoint.decode(FixedPoint.encode((s.rnd.nextDouble() * 2 - 1) * bound));
            }
            ps.put(r.name(), v);
        }
        ModelParameters p = new ModelParameters(ps);
        byte[] onnx = OnnxExporter.fromGraph(g, p);
        ModelProto m = ModelProto.parseFrom(onnx);
        assertThat(m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("N");
        assertThat(m.getGraph().getOutput(0).getName()).isEqualTo("logits");
        agreesWithTheTwin(onnx, g, p, s, 8, 0.05);
        // the new file imports to the same graph and tensors
        OnnxModel back = OnnxImporter.importModel(onnx, a + ".onnx");
        assertThat(back.graph().nodes().stream().map(n -> n.op().onnxType()).filter(t -> !t.equals("Flatten")).toList())
                .isEqualTo(g.nodes().stream().map(n -> n.op().onnxType()).toList());
        for (int t = 0; t < g.parameterRefs().size(); t++) {
            double[] want = p.get(g.parameterRefs().get(t).name()), got = back.parameters().get(back.graph().parameterRefs().get(t).name());
            for (int k = 0; k < want.length; k++) assertThat(got[k]).isCloseTo(want[k], org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
