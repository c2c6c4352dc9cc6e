package io.securenn.model.onnx;

import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.Node;
import io.securenn.model.Op;
import io.securenn.model.ReferenceEvaluator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.securenn.model.onnx.OnnxBuilder.f;
import static io.securenn.model.onnx.OnnxBuilder.i;
import static io.securenn.model.onnx.OnnxBuilder.ints;
import static io.securenn.model.onnx.OnnxBuilder.s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random one- and multi-node ONNX models built here, imported, and evaluated by {@link ReferenceEvaluator}
 * against onnxruntime: the output shapes agree, the values within 1e-5·(1+|y|). Single-operator templates are also
 * run by onnxruntime with the operator's own (4-D) output as the graph output, to check that node's inferred
 * shape and values.
 */
@Timeout(180)
class OnnxImporterOracleTest {
    static final int TEMPLATES = 11;
    static final int PER_TEMPLATE = 16;
    static final int[] OPSETS = {11, 13, 17, 18};

    /** One template's model: its builder (output set) and the ONNX name of the probed node (or null). */
    record Built(OnnxBuilder b, String probe, long[] input) {}

    @Test
    void importedModelsAgreeWithOnnxruntime() {
        Seeded s = Seeded.fromEnvOr(1301);
        List<String> kinds = new ArrayList<>();
        for (int t = 0; t < TEMPLATES; t++) {
            for (int c = 0; c < PER_TEMPLATE; c++) {
                long seed = s.rnd.nextLong();
                int opset = OPSETS[s.rnd.nextInt(OPSETS.length)];
                String what = s.msg("template " + t + " case " + c + " opset " + opset + " (case seed " + seed + ")");
                check(t, seed, opset, what);
                kinds.add(t + "");
            }
        }
        assertThat(kinds).hasSize(TEMPLATES * PER_TEMPLATE);
    }

    /**
     * A streamed import of the same bytes from a file, every initializer left in the file (decoded each time it is
     * read), gives the same graph and exactly the same parameters, twice over.
     */
    static void streamedAlike(byte[] bytes, OnnxModel model, String what) {
        try {
            java.nio.file.Path p = java.nio.file.Files.createTempFile("streamed", ".onnx");
            try {
                java.nio.file.Files.write(p, bytes);
                StreamedModel sm = OnnxImporter.streamModel(p, "case.onnx", 0);
                assertThat(sm.graph()).as(what + " streamed graph").isEqualTo(model.graph());
                assertThat(sm.sources().keySet()).as(what).containsExactlyInAnyOrderElementsOf(model.sources().keySet());
                for (Op.ParamRef r : model.graph().parameterRefs()) {
                    double[] want = model.parameters().get(r.name());
                    assertThat(sm.parameters().read(r.name())).as(what + " streamed " + r.name()).containsExactly(want);
                    assertThat(sm.parameters().read(r.name())).as(what + " streamed again " + r.name()).containsExactly(want);
                }
            } finally {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(int template, long seed, int opset, String what) {
        Built m = template(template, new SplittableRandom(seed), opset, false);
        byte[] bytes = m.b().bytes();
        OnnxModel model;
        try {
            model = OnnxImporter.importModel(bytes, "case.onnx");
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
        ModelGraph g = model.graph();
        what = what + " " + g.nodes() + " input " + Arrays.toString(m.input());
        assertThat(OnnxImporter.importGraph(bytes, "case.onnx")).as(what).isEqualTo(g);
        assertThat(ModelGraphCodec.decode(ModelGraphCodec.encode(g))).as(what).isEqualTo(g);
        assertThat(model.sources().keySet()).as(what).containsExactlyInAnyOrderElementsOf(model.parameters().tensors().keySet());
        structure(template, model, what);
        streamedAlike(bytes, model, what);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        long[] shape = m.input().clone();
        int batch = shape[0] < 0 ? 2 + r.nextInt(2) : (int) shape[0];
        shape[0] = batch;
        int n = batch * g.inputSize();
        float[] x = new float[n];
        double[] xd = new double[n];
        for (int k = 0; k < n; k++) xd[k] = x[k] = (float) (r.nextDouble() * 2 - 1);
        Ort.Out ort = Ort.run(bytes, g.inputName(), x, shape);
        assertThat(ort.shape()).as(what + ": output shape").containsExactly(batch, g.classes());
        double[] ours = ReferenceEvaluator.output(g, model.parameters(), xd, batch);
        close(ours, ort.values(), what);
        if (m.probe() != null) {
            Built p = template(template, new SplittableRandom(seed), opset, true);
            Ort.Out po = Ort.run(p.b().bytes(), g.inputName(), x, shape);
            int idx = -1;
            for (int k = 0; k < g.nodes().size(); k++) if (g.nodes().get(k).name().equals(m.probe())) idx = k;
            assertThat(idx).as(what + ": probed node " + m.probe()).isNotNegative();
            Node node = g.nodes().get(idx);
            long[] expect = new long[node.shape().length + 1];
            expect[0] = batch;
            for (int k = 0; k < node.shape().length; k++) expect[k + 1] = node.shape()[k];
            assertThat(po.shape()).as(what + ": shape of " + node).containsExactly(expect);
            close(ReferenceEvaluator.all(g, model.parameters(), xd, batch)[idx], po.values(), what + ": values of " + node);
        }
    }

    /** What each template must import to: folds done or not, biases, the output function. */
    private static void structure(int template, OnnxModel m, String what) {
        ModelGraph g = m.graph();
        List<Op> ops = g.nodes().stream().map(Node::op).toList();
        long bns = ops.stream().filter(o -> o instanceof Op.BatchNorm).count();
        switch (template) {
            case 2, 8 -> {
                assertThat(bns).as(what + ": BatchNormalization folded").isZero();
                assertThat(ops).as(what).allSatisfy(o -> { if (o instanceof Op.Conv c) assertThat(c.bias()).isNotNull(); });
                String w = ((Op.Conv) ops.get(0)).weight().name();
                assertThat(m.sources().get(w).folds()).as(what).hasSize(1).allMatch(f -> f.startsWith("BatchNormalization:bn"));
                if (template == 8) assertThat(g.output()).isEqualTo(ModelGraph.Output.SOFTMAX);
            }
            case 3 -> assertThat(bns).as(what + ": BatchNormalization not foldable").isPositive();
            case 4 -> assertThat(g.output()).as(what).isEqualTo(ModelGraph.Output.SOFTMAX);
            case 5 -> {
                assertThat(ops).as(what).hasSize(3);
                assertThat(((Op.Gemm) ops.get(0)).bias()).as(what).isEqualTo(new Op.ParamRef("b0", g.nodes().get(0).shape()[0]));
                assertThat(((Op.Gemm) ops.get(2)).bias()).as(what).isNull();
                assertThat(((Op.Gemm) ops.get(2)).onnxType()).isEqualTo("MatMul");
                assertThat(g.output()).isEqualTo(ModelGraph.Output.LOG_SOFTMAX);
            }
            case 6 -> assertThat(ops).as(what).anyMatch(o -> o.equals(new Op.Flatten("Reshape")));
            case 10 -> {
                assertThat(((Op.Conv) ops.get(0)).bias()).as(what + ": Add folded into the bias").isNotNull();
                assertThat(ops).as(what).noneMatch(o -> o instanceof Op.Add);
            }
            default -> { }
        }
    }

    static void close(double[] ours, float[] ort, String what) {
        assertThat(ours.length).as(what + ": length").isEqualTo(ort.length);
        for (int k = 0; k < ours.length; k++) {
            if (!(Math.abs(ours[k] - ort[k]) <= 1e-5 * (1 + Math.abs(ort[k])))) {
                throw new AssertionError(what + ": value " + k + " is " + ours[k] + ", onnxruntime " + ort[k]
                        + " (ours " + Arrays.toString(Arrays.copyOf(ours, Math.min(8, ours.length))) + ")");
            }
        }
    }

    private static long[] l(long... v) {
        return v;
    }

    private static int between(SplittableRandom r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /** A Conv with random geometry; returns its output name. */
    private static String conv(OnnxBuilder b, SplittableRandom r, String name, String x, int c, int d, int kh, int kw,
                               long[] pads, int sh, int sw, boolean bias) {
        double bound = 1.0 / Math.sqrt(c * kh * kw);
        String w = b.init(name + ".weight", l(d, c, kh, kw), -bound, bound);
        List<io.securenn.model.onnx.proto.Onnx.AttributeProto> attrs = new ArrayList<>();
        if (r.nextBoolean()) attrs.add(ints("kernel_shape", kh, kw));
        if (sh != 1 || sw != 1 || r.nextBoolean()) attrs.add(ints("strides", sh, sw));
        boolean zero = pads == null || Arrays.stream(pads).allMatch(p -> p == 0);
        if (zero && r.nextInt(3) == 0) attrs.add(s("auto_pad", "VALID"));
        else if (!zero || r.nextBoolean()) attrs.add(ints("pads", pads == null ? new long[4] : pads));
        if (r.nextInt(3) == 0) attrs.add(i("group", 1));
        if (r.nextInt(3) == 0) attrs.add(ints("dilations", 1, 1));
        String[] in = bias ? new String[] {x, w, b.init(name + ".bias", l(d), -0.5, 0.5)} : new String[] {x, w};
        return b.node("Conv", name, in, attrs.toArray(io.securenn.model.onnx.proto.Onnx.AttributeProto[]::new));
    }

    private static String bn(OnnxBuilder b, String name, String x, int c) {
        String g = b.init(name + ".weight", l(c), 0.5, 1.5), beta = b.init(name + ".bias", l(c), -0.5, 0.5);
        String mean = b.init(name + ".running_mean", l(c), -0.5, 0.5), var = b.init(name + ".running_var", l(c), 0.5, 2);
        return b.node("BatchNormalization", name, new String[] {x, g, beta, mean, var}, f("epsilon", 1e-3f));
    }

    private static String gemm(OnnxBuilder b, String name, String x, int in, int out) {
        double bound = 1.0 / Math.sqrt(in);
        return b.node("Gemm", name, new String[] {x, b.init(name + ".weight", l(out, in), -bound, bound),
                b.init(name + ".bias", l(out), -0.5, 0.5)}, i("transB", 1));
    }

    private static String flatten(OnnxBuilder b, SplittableRandom r, String x, int rank) {
        return b.node("Flatten", new String[] {x}, i("axis", r.nextBoolean() ? 1 : 1 - rank));
    }

    static Built template(int t, SplittableRandom r, int opset, boolean probe) {
        OnnxBuilder b = new OnnxBuilder(opset, r);
        long batch = r.nextInt(4) == 0 ? 1 : -1;
        String x = "x";
        switch (t) {
            case 0 -> { // Conv: any kernel, strides, asymmetric pads, bias or not
                int c = between(r, 1, 3), h = between(r, 3, 9), w = between(r, 3, 9), d = between(r, 1, 4);
                long[] pads = {r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)};
                int kh = between(r, 1, (int) Math.min(5, h + pads[0] + pads[2])), kw = between(r, 1, (int) Math.min(5, w + pads[1] + pads[3]));
                b.input(x, batch, c, h, w);
                String y = conv(b, r, "conv0", x, c, d, kh, kw, pads, between(r, 1, 3), between(r, 1, 3), r.nextBoolean());
                b.output(probe ? y : flatten(b, r, y, 4));
                return new Built(b, "conv0", l(batch, c, h, w));
            }
            case 1 -> { // MaxPool / AveragePool: kernel, strides, pads, ceil_mode, count_include_pad
                boolean max = r.nextBoolean();
                int c = between(r, 1, 3), h = between(r, 2, 9), w = between(r, 2, 9);
                int kh = between(r, 1, Math.min(4, h)), kw = between(r, 1, Math.min(4, w));
                long[] pads = {r.nextInt(kh), r.nextInt(kw), r.nextInt(kh), r.nextInt(kw)};
                b.input(x, batch, c, h, w);
                List<io.securenn.model.onnx.proto.Onnx.AttributeProto> a = new ArrayList<>(List.of(ints("kernel_shape", kh, kw),
                        ints("strides", between(r, 1, 3), between(r, 1, 3)), ints("pads", pads), i("ceil_mode", r.nextInt(2))));
                if (!max) a.add(i("count_include_pad", r.nextInt(2)));
                String y = b.node(max ? "MaxPool" : "AveragePool", "pool0", new String[] {x}, a.toArray(io.securenn.model.onnx.proto.Onnx.AttributeProto[]::new));
                b.output(probe ? y : flatten(b, r, y, 4));
                return new Built(b, "pool0", l(batch, c, h, w));
            }
            case 2 -> { // Conv -> BN (folded) -> Relu -> Flatten -> Gemm
                int c = between(r, 1, 3), h = between(r, 4, 8), w = between(r, 4, 8), d = between(r, 2, 4);
                b.input(x, batch, c, h, w);
                String y = conv(b, r, "conv0", x, c, d, 3, 3, l(1, 1, 1, 1), between(r, 1, 2), between(r, 1, 2), r.nextBoolean());
                y = b.node("Relu", new String[] {bn(b, "bn0", y, d)});
                b.output(flatten(b, r, y, 4));
                return new Built(b, null, l(batch, c, h, w));
            }
            case 3 -> { // BN that cannot fold: its input is also read by a residual Add; and BN on the graph input
                int c = between(r, 1, 3), h = between(r, 3, 7), w = between(r, 3, 7);
                b.input(x, batch, c, h, w);
                String x0 = r.nextBoolean() ? bn(b, "bn_in", x, c) : x;
                String y = conv(b, r, "conv0", x0, c, c, 3, 3, l(1, 1, 1, 1), 1, 1, true);
                String z = bn(b, "bn0", y, c);
                String sum = b.node("Add", "add0", new String[] {y, z});
                b.output(flatten(b, r, b.node("Relu", new String[] {sum}), 4));
                return new Built(b, null, l(batch, c, h, w));
            }
            case 4 -> { // Gemm: alpha, beta, transB, bias shapes; BN on vectors (folded); Softmax
                int in = between(r, 1, 12), out = between(r, 1, 10);
                boolean transB = r.nextBoolean();
                b.input(x, batch, in);
                String w = b.init("fc.weight", transB ? l(out, in) : l(in, out), -0.5, 0.5);
                List<String> ins = new ArrayList<>(List.of(x, w));
                switch (r.nextInt(4)) {
                    case 0 -> { }
                    case 1 -> ins.add(b.init("fc.bias", l(out), -0.5, 0.5));
                    case 2 -> ins.add(b.init("fc.bias", l(1, out), -0.5, 0.5));
                    default -> ins.add(b.init("fc.bias", l(), -0.5, 0.5));
                }
                String y = b.node("Gemm", "fc", ins.toArray(String[]::new), f("alpha", (float) (0.5 + r.nextDouble())),
                        f("beta", (float) (0.5 + r.nextDouble())), i("transA", 0), i("transB", transB ? 1 : 0));
                if (r.nextBoolean()) y = bn(b, "bn1d", y, out);
                String sm = r.nextBoolean() ? b.node("Softmax", new String[] {y}) : b.node("Softmax", new String[] {y}, i("axis", r.nextBoolean() ? 1 : -1));
                b.output(sm);
                return new Built(b, null, l(batch, in));
            }
            case 5 -> { // MatMul + Add (either order, [H] or [1, H]) -> Relu -> MatMul without bias -> LogSoftmax
                int in = between(r, 1, 12), hid = between(r, 1, 10), out = between(r, 2, 6);
                b.input(x, batch, in);
                String y = b.node("MatMul", "mm0", new String[] {x, b.init("w0", l(in, hid), -0.5, 0.5)});
                String bias = b.init("b0", r.nextBoolean() ? l(hid) : l(1, hid), -0.5, 0.5);
                y = b.node("Add", "add0", r.nextBoolean() ? new String[] {y, bias} : new String[] {bias, y});
                y = b.node("Relu", new String[] {y});
                y = b.node("MatMul", "mm1", new String[] {y, b.init("w1", l(hid, out), -0.5, 0.5)});
                b.output(b.node("LogSoftmax", new String[] {y}, i("axis", -1)));
                return new Built(b, null, l(batch, in));
            }
            case 6 -> { // Reshape to [N, -1] through a Shape/Gather/Unsqueeze/Concat subgraph (or a constant)
                int c = between(r, 1, 3), h = between(r, 2, 6), w = between(r, 2, 6), d = between(r, 1, 3);
                b.input(x, batch, c, h, w);
                String y = b.node("Relu", new String[] {conv(b, r, "conv0", x, c, d, 1, 1, l(0, 0, 0, 0), 1, 1, true)});
                String shape;
                int variant = r.nextInt(4);
                if (variant == 0) {
                    // a 1-D index: Gather gives [N]
                    String n0 = b.node("Gather", new String[] {b.node("Shape", new String[] {y}), b.initInts("zero", 0)});
                    shape = b.node("Concat", new String[] {n0, b.initInts("minus1", -1)}, i("axis", 0));
                } else if (variant == 1) {
                    b.g.addInitializer(OnnxBuilder.int64s("idx0", l(), 0));
                    String n0 = b.node("Gather", new String[] {b.node("Shape", new String[] {y}), "idx0"}, i("axis", 0));
                    String u = b.unsqueeze(n0, 0);
                    String m1 = b.node("Constant", new String[] {}, OnnxBuilder.t("value", OnnxBuilder.int64s("", l(1), -1)));
                    shape = b.node("Concat", new String[] {u, m1}, i("axis", 0));
                } else if (variant == 2) {
                    String sl = b.node("Slice", new String[] {b.node("Shape", new String[] {y}), b.initInts("s0", 0), b.initInts("e0", 1)});
                    shape = b.node("Concat", new String[] {b.node("Cast", new String[] {sl}, i("to", 7)), b.initInts("m1", -1)}, i("axis", 0));
                } else {
                    shape = batch == 1 ? b.initInts("shape", 1, -1) : b.initInts("shape", 0, -1);
                }
                String f = b.node("Reshape", "reshape0", new String[] {y, shape});
                b.output(gemm(b, "fc", f, d * h * w, between(r, 1, 5)));
                return new Built(b, null, l(batch, c, h, w));
            }
            case 7 -> { // Concat along channels of two Convs, GlobalAveragePool, Gemm
                int c = between(r, 1, 3), h = between(r, 3, 7), w = between(r, 3, 7), d1 = between(r, 1, 3), d2 = between(r, 1, 3);
                b.input(x, batch, c, h, w);
                String a1 = conv(b, r, "convA", x, c, d1, 3, 3, l(1, 1, 1, 1), 1, 1, true);
                String a2 = conv(b, r, "convB", x, c, d2, 1, 1, l(0, 0, 0, 0), 1, 1, r.nextBoolean());
                String cat = b.node("Concat", "cat0", new String[] {a1, a2}, i("axis", r.nextBoolean() ? 1 : -3));
                if (probe) {
                    b.output(cat);
                } else {
                    String gp = b.node("GlobalAveragePool", new String[] {cat});
                    b.output(gemm(b, "fc", flatten(b, r, gp, 4), d1 + d2, between(r, 1, 4)));
                }
                return new Built(b, "cat0", l(batch, c, h, w));
            }
            case 8 -> { // residual block with folded BN, Identity, Dropout, AveragePool, Gemm, Softmax
                int c = between(r, 1, 3), h = 2 * between(r, 2, 4), w = 2 * between(r, 2, 4);
                b.input(x, batch, c, h, w);
                String y = conv(b, r, "conv1", x, c, c, 3, 3, l(1, 1, 1, 1), 1, 1, r.nextBoolean());
                y = b.node("Relu", new String[] {bn(b, "bn1", y, c)});
                y = b.node("Identity", new String[] {y});
                y = conv(b, r, "conv2", y, c, c, 3, 3, l(1, 1, 1, 1), 1, 1, r.nextBoolean());
                y = bn(b, "bn2", y, c);
                y = b.node("Relu", new String[] {b.node("Add", "add0", new String[] {y, x})});
                String dr = "t_dropout";
                b.nodeOut("Dropout", "drop0", new String[] {y}, new String[] {dr, "mask"});
                y = b.node("AveragePool", new String[] {dr}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
                y = gemm(b, "fc", flatten(b, r, y, 4), c * (h / 2) * (w / 2), between(r, 2, 5));
                b.output(b.node("Softmax", new String[] {y}, i("axis", 1)));
                return new Built(b, null, l(batch, c, h, w));
            }
            case 9 -> { // Pad (constant 0, spatial, asymmetric) then Conv
                int c = between(r, 1, 3), h = between(r, 2, 6), w = between(r, 2, 6);
                long[] p = {r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2), r.nextInt(3)};
                b.input(x, batch, c, h, w);
                String padded;
                List<String> ins = new ArrayList<>(List.of(x, b.initInts("pads", 0, 0, p[0], p[1], 0, 0, p[2], p[3])));
                if (r.nextBoolean()) {
                    b.g.addInitializer(OnnxBuilder.floats("zero", l(), new float[] {0}, r.nextBoolean()));
                    ins.add("zero");
                }
                padded = b.node("Pad", "pad0", ins.toArray(String[]::new), s("mode", "constant"));
                if (probe) {
                    b.output(padded);
                } else {
                    String y = conv(b, r, "conv0", padded, c, 2, 2, 2, l(0, 0, 0, 0), 1, 1, true);
                    b.output(flatten(b, r, y, 4));
                }
                return new Built(b, "pad0", l(batch, c, h, w));
            }
            default -> { // Conv without bias + Add of a per-channel constant (folded into the bias), MaxPool, MatMul + Add
                int c = between(r, 1, 3), h = between(r, 4, 8), w = between(r, 4, 8), d = between(r, 1, 3);
                b.input(x, batch, c, h, w);
                String y = conv(b, r, "conv0", x, c, d, 3, 3, l(0, 0, 0, 0), 1, 1, r.nextBoolean());
                String k = b.init("chan", r.nextBoolean() ? l(d, 1, 1) : l(1, d, 1, 1), -0.5, 0.5);
                y = b.node("Add", new String[] {y, k});
                y = b.node("MaxPool", "pool0", new String[] {y}, ints("kernel_shape", 2, 2), ints("strides", 2, 2), i("ceil_mode", 1));
                int ph = Op.Window.out(h - 2, 2, 2, 0, 0, true), pw = Op.Window.out(w - 2, 2, 2, 0, 0, true);
                String f = flatten(b, r, y, 4);
                String z = b.node("MatMul", new String[] {f, b.init("w1", l(d * ph * pw, 3), -0.5, 0.5)});
                b.output(b.node("Add", new String[] {z, b.init("b1", l(3), -0.5, 0.5)}));
                return new Built(b, null, l(batch, c, h, w));
            }
        }
    }
}
