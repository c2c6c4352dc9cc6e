package io.securenn.model.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelParameters;
import io.securenn.model.Node;
import io.securenn.model.Op;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes trained models as ONNX (issue 14).
 *
 * <p>{@link #withTrained}: the ORIGINAL file with the trained tensors written back into its initializers, so the
 * result keeps the file's graph, input and output names, opset, batch dimension and everything else; only tensors
 * change. Each trained tensor is mapped back through its {@link ParamSource}: the folds are undone in reverse order,
 * then the scaling and the layout:
 * <ul>
 *   <li>a BatchNormalization folded into the Conv/Gemm/MatMul before it: the trained tensors are the folded ones,
 *       so they go into the Conv/Gemm's weight and bias as they are and the BatchNormalization node is removed (its
 *       input renamed to its output, so every reader and a graph output keep their names; its initializers go when
 *       nothing else reads them). Removing is exact; keeping the node as an identity (γ = 1, β = 0, mean = 0,
 *       var = 1 − ε) is not quite, in float32. A bias that only the fold created becomes a new initializer
 *       (Conv's B, Gemm's C, or an Add after a MatMul);</li>
 *   <li>a constant Add folded into the bias: the bias less that constant (the Add node stays);</li>
 *   <li>Gemm's alpha and beta: set to 1, the trained tensors written as they are (exact, also for 0);</li>
 *   <li>layouts: Conv's (C·kh·kw)×D back to [D, C, kh, kw], Gemm with transB = 1 transposed back; a bias keeps its
 *       dimensions (a scalar broadcast over the channels becomes one value per channel);</li>
 *   <li>an unfolded BatchNormalization (trained as the affine y = s·x + t): its running mean, variance and ε are
 *       kept, γ = s·√(var + ε) and β = t + mean·s.</li>
 * </ul>
 * Tensors keep their element type (float, double, float16, bfloat16). What cannot be written back is refused with a
 * one-line message naming the node, before training ({@link #checkExportable}): a tensor computed in the graph
 * rather than stored (an initializer or a Constant node).
 *
 * <p>{@link #fromGraph}: a new ONNX model of a {@link ModelGraph} (the networks A–D), opset {@value #OPSET}.
 */
public final class OnnxExporter {
    private OnnxExporter() {}

    /** The opset of the models {@link #fromGraph} writes. */
    public static final int OPSET = 13;

    /** Checks, with the model's own tensors, that {@link #withTrained} can write every trained tensor back. */
    public static void checkExportable(byte[] onnx, String fileName, OnnxModel model) {
        withTrained(onnx, fileName, model, model.parameters());
    }

    /** Writes {@link #withTrained} atomically (a temporary file in the same directory, then a rename). */
    public static void writeTrained(Path out, byte[] onnx, String fileName, OnnxModel model, ModelParameters trained) {
        AtomicFiles.write(out, withTrained(onnx, fileName, model, trained));
    }

    /**
     * The ONNX file {@code onnx} (imported as {@code model}) with the tensors of {@code trained} (in the layers'
     * layouts, by ParamRef name, as {@link OnnxModel#parameters()}) written back.
     */
    public static byte[] withTrained(byte[] onnx, String fileName, OnnxModel model, ModelParameters trained) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw SecureNnException.badInput(fileName + ": not an ONNX model");
        }
        try {
            Writer w = new Writer(m.getGraph(), model, trained);
            w.run();
            return m.toBuilder().setGraph(w.build()).build().toByteArray();
        } catch (OnnxImporter.Refusal r) {
            throw SecureNnException.badInput(OnnxImporter.clean(fileName) + ": " + r.getMessage());
        }
    }

    /** The rewrite of one graph. */
    private static final class Writer {
        private final GraphProto original;
        private final OnnxModel model;
        private final ModelParameters trained;
        private final List<NodeProto.Builder> nodes = new ArrayList<>();
        private final List<Boolean> removed = new ArrayList<>();
        private final Map<String, Integer> byDisplay = new HashMap<>();
        private final Set<String> duplicates = new HashSet<>();
        private final Map<String, TensorProto> initializers = new java.util.LinkedHashMap<>();
        private final Map<String, Integer> constantNode = new HashMap<>();   // Constant node output → node index
        private final Set<String> names = new HashSet<>();
        private final Set<String> bnRemoved = new LinkedHashSet<>();
        /** Nodes to insert after node k (an Add after a MatMul). */
        private final Map<Integer, NodeProto> insertAfter = new HashMap<>();

        Writer(GraphProto g, OnnxModel model, ModelParameters trained) {
            this.original = g;
            this.model = model;
            this.trained = trained;
            int index = 0;
            for (NodeProto n : g.getNodeList()) {
                String display = n.getName().isEmpty() ? n.getOpType() + "#" + index : n.getName();
                if (byDisplay.putIfAbsent(display, index) != null) duplicates.add(display);
                if (n.getOpType().equals("Constant") && n.getOutputCount() > 0) constantNode.put(n.getOutput(0), index);
                nodes.add(n.toBuilder());
                removed.add(false);
                names.addAll(n.getOutputList());
                names.addAll(n.getInputList());
                index++;
            }
            for (TensorProto t : g.getInitializerList()) {
                initializers.put(t.getName(), t);
                names.add(t.getName());
            }
            for (ValueInfoProto v : g.getInputList()) names.add(v.getName());
        }

        void run() {
            for (Node n : model.graph().nodes()) {
                switch (n.op()) {
                    case Op.Conv c -> linear(n, c.weight(), c.bias(), 3);
                    case Op.Gemm g -> linear(n, g.weight(), g.bias(), 1);
                    case Op.BatchNorm b -> batchNorm(n, b);
                    default -> { }
                }
            }
            for (String bn : bnRemoved) removeBatchNorm(bn);
        }

        private double[] value(Op.ParamRef r) {
            double[] v = trained.tensors().get(r.name());
            if (v == null || v.length != r.length()) {
                throw new IllegalArgumentException("trained tensor '" + r.name() + "' is missing or of the wrong length");
            }
            return v.clone();
        }

        private int onnxNode(Node n) {
            Integer k = byDisplay.get(n.name());
            if (k == null) throw new IllegalStateException("node '" + n.name() + "' is not in the file");
            if (duplicates.contains(n.name())) {
                throw refusal(k, "another node has the same name; the trained tensors cannot be mapped back (give the "
                        + "nodes unique names)");
            }
            return k;
        }

        private OnnxImporter.Refusal refusal(int k, String what) {
            NodeProto.Builder n = nodes.get(k);
            String display = n.getName().isEmpty() ? n.getOpType() + "#" + k : n.getName();
            return new OnnxImporter.Refusal("node '" + OnnxImporter.clean(display) + "' (" + OnnxImporter.clean(n.getOpType())
                    + "): " + what);
        }

        /** Conv or Gemm/MatMul: weight and optional bias; rank: of the output per example (3 for Conv, 1 for Gemm). */
        private void linear(Node n, Op.ParamRef weight, Op.ParamRef bias, int rank) {
            int k = onnxNode(n);
            NodeProto.Builder node = nodes.get(k);
            ParamSource ws = model.sources().get(weight.name());
            double[] w = value(weight);
            undoFolds(k, ws, w, 0, rank);
            if (ws.factor() != 1) setFloatAttribute(node, "alpha", 1f);
            double[] onnxW = switch (ws.layout()) {
                case CONV_WEIGHT -> {
                    long[] d = ws.onnxDims();
                    int out = (int) d[0], rows = w.length / out;
                    double[] o = new double[w.length];
                    for (int r = 0; r < rows; r++) for (int c = 0; c < out; c++) o[c * rows + r] = w[r * out + c];
                    yield o;
                }
                case GEMM_WEIGHT -> w;
                case GEMM_WEIGHT_TRANSPOSED -> {
                    long[] d = ws.onnxDims();
                    int out = (int) d[0], in = (int) d[1];
                    double[] o = new double[w.length];
                    for (int i = 0; i < in; i++) for (int c = 0; c < out; c++) o[c * in + i] = w[i * out + c];
                    yield o;
                }
                default -> throw new IllegalStateException("weight layout " + ws.layout());
            };
            store(k, ws.initializer(), ws.onnxDims(), onnxW, "its weight");
            if (bias == null) return;
            ParamSource bs = model.sources().get(bias.name());
            double[] b = value(bias);
            int channels = b.length;
            if (bs.layout() == ParamSource.Layout.NONE) {
                // created by a fold: a new initializer, read by the node (or by an Add after a MatMul)
                List<String> folds = bs.folds();
                if (folds.isEmpty() || !folds.get(0).startsWith("BatchNormalization:")) {
                    String label = folds.isEmpty() ? "?" : folds.get(0).substring(folds.get(0).indexOf(':') + 1);
                    Integer add = byDisplay.get(label);
                    throw refusal(add != null ? add : k, "the added constant is computed in the graph, not stored in "
                            + "an initializer or a Constant node; the trained bias cannot be written back");
                }
                undoFolds(k, bs, b, 1, rank);
                String name = fresh(displayOf(k) + ".bias");
                initializers.put(name, tensor(TensorProto.newBuilder().setName(name), Const.FLOAT, new long[] {channels}, b));
                attachBias(k, name, channels, rank);
                return;
            }
            undoFolds(k, bs, b, 0, rank);
            if (bs.factor() != 1) setFloatAttribute(node, "beta", 1f);
            store(k, bs.initializer(), biasDims(bs.onnxDims(), channels, rank), b, "its bias");
        }

        /**
         * Undoes a tensor's folds from the last to the first ({@code keep} first ones stay: the fold that created
         * the tensor). A BatchNormalization fold: the node goes (the folded values are kept as they are); an Add
         * fold: the constant is subtracted from the bias.
         */
        private void undoFolds(int k, ParamSource s, double[] v, int keep, int rank) {
            List<String> folds = s.folds();
            for (int f = folds.size() - 1; f >= keep; f--) {
                String fold = folds.get(f);
                String label = fold.substring(fold.indexOf(':') + 1);
                if (fold.startsWith("BatchNormalization:")) {
                    bnRemoved.add(label);
                } else {
                    double[] c = constant(label);
                    if (c == null) {
                        Integer add = byDisplay.get(label);
                        throw refusal(add != null ? add : k, "the added constant is computed in the graph, not stored in an "
                                + "initializer or a Constant node; the trained bias cannot be written back");
                    }
                    for (int i = 0; i < v.length; i++) v[i] -= c.length == 1 ? c[0] : c[i];
                }
            }
        }

        /** A stored constant's values: an initializer or a Constant node's output; null if it is neither. */
        private double[] constant(String name) {
            TensorProto t = initializers.get(name);
            if (t == null) {
                Integer k = constantNode.get(name);
                if (k == null) return null;
                t = constantTensor(nodes.get(k));
                if (t == null) return null;
            }
            return Const.of(t, name, "constant '" + OnnxImporter.clean(name) + "'").floats();
        }

        /** A Constant node's value as a tensor (value, value_float or value_floats), or null. */
        private static TensorProto constantTensor(NodeProto.Builder n) {
            for (AttributeProto a : n.getAttributeList()) {
                switch (a.getName()) {
                    case "value" -> {
                        return a.getT();
                    }
                    case "value_float" -> {
                        return TensorProto.newBuilder().setDataType(Const.FLOAT).addFloatData(a.getF()).build();
                    }
                    case "value_floats" -> {
                        return TensorProto.newBuilder().setDataType(Const.FLOAT).addDims(a.getFloatsCount())
                                .addAllFloatData(a.getFloatsList()).build();
                    }
                    default -> { }
                }
            }
            return null;
        }

        /** A bias's ONNX dimensions: its own when it holds one value per channel, else one per channel. */
        private static long[] biasDims(long[] dims, int channels, int rank) {
            long n = 1;
            for (long d : dims) n *= d;
            if (n == channels) return dims;
            return rank == 1 ? new long[] {channels} : new long[] {channels, 1, 1};
        }

        /** Writes values into a tensor's home: its initializer, or the Constant node that gives it. */
        private void store(int k, String name, long[] dims, double[] v, String what) {
            if (name == null) {
                throw refusal(k, what + " is computed in the graph, not stored in an initializer or a Constant node; "
                        + "the trained values cannot be written back");
            }
            TensorProto t = initializers.get(name);
            if (t != null) {
                initializers.put(name, tensor(t.toBuilder(), t.getDataType(), dims, v));
                return;
            }
            Integer c = constantNode.get(name);
            if (c == null) throw refusal(k, what + " '" + OnnxImporter.clean(name) + "' is neither an initializer nor a Constant node's output");
            NodeProto.Builder n = nodes.get(c);
            TensorProto old = constantTensor(n);
            int type = old == null ? Const.FLOAT : old.getDataType();
            TensorProto nt = tensor(TensorProto.newBuilder(), type, dims, v);
            n.clearAttribute().addAttribute(AttributeProto.newBuilder().setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR).setT(nt));
        }

        /** The tensor with new dimensions and values, in its element type (integer types become float). */
        private static TensorProto tensor(TensorProto.Builder b, int type, long[] dims, double[] v) {
            if (type != Const.FLOAT && type != Const.DOUBLE && type != Const.FLOAT16 && type != Const.BFLOAT16) type = Const.FLOAT;
            int width = type == Const.DOUBLE ? 8 : type == Const.FLOAT ? 4 : 2;
            ByteBuffer buf = ByteBuffer.allocate(width * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double x : v) {
                switch (type) {
                    case Const.DOUBLE -> buf.putDouble(x);
                    case Const.FLOAT -> buf.putFloat((float) x);
                    case Const.FLOAT16 -> buf.putShort(Float.floatToFloat16((float) x));
                    default -> buf.putShort(bfloat16((float) x));
                }
            }
            b.clearFloatData().clearDoubleData().clearInt32Data().clearInt64Data().clearUint64Data().clearStringData()
                    .clearRawData().clearDims().clearExternalData().clearDataLocation().setDataType(type);
            for (long d : dims) b.addDims(d);
            return b.setRawData(ByteString.copyFrom(buf.array())).build();
        }

        /** float to bfloat16, rounding to nearest even. */
        private static short bfloat16(float f) {
            int bits = Float.floatToRawIntBits(f);
            if (Float.isNaN(f)) return (short) 0x7fc0;
            bits += 0x7fff + ((bits >>> 16) & 1);
            return (short) (bits >>> 16);
        }

        private String displayOf(int k) {
            NodeProto.Builder n = nodes.get(k);
            return n.getName().isEmpty() ? n.getOpType() + "_" + k : n.getName();
        }

        private String fresh(String base) {
            String nm = base;
            for (int i = 2; names.contains(nm) || initializers.containsKey(nm); i++) nm = base + "_" + i;
            names.add(nm);
            return nm;
        }

        /** A new bias for node k: Conv's input B, Gemm's input C (beta 1), or an Add after a MatMul. */
        private void attachBias(int k, String bias, int channels, int rank) {
            NodeProto.Builder n = nodes.get(k);
            switch (n.getOpType()) {
                case "Conv", "Gemm" -> {
                    if (n.getInputCount() > 2) n.setInput(2, bias);
                    else n.addInput(bias);
                    if (n.getOpType().equals("Gemm")) setFloatAttribute(n, "beta", 1f);
                }
                case "MatMul" -> {
                    String out = n.getOutput(0);
                    String inner = fresh(out + "_matmul");
                    n.setOutput(0, inner);
                    insertAfter.put(k, NodeProto.newBuilder().setOpType("Add").setName(fresh(displayOf(k) + "_bias"))
                            .addInput(inner).addInput(bias).addOutput(out).build());
                }
                default -> throw refusal(k, "cannot take a bias");
            }
        }

        private static void setFloatAttribute(NodeProto.Builder n, String name, float v) {
            AttributeProto a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
            for (int i = 0; i < n.getAttributeCount(); i++) {
                if (n.getAttribute(i).getName().equals(name)) {
                    n.setAttribute(i, a);
                    return;
                }
            }
            n.addAttribute(a);
        }

        /** An unfolded BatchNormalization: γ = s·√(var + ε), β = t + mean·s with its own mean, variance and ε. */
        private void batchNorm(Node n, Op.BatchNorm op) {
            int k = onnxNode(n);
            NodeProto.Builder node = nodes.get(k);
            double[] s = value(op.scale()), t = value(op.shift());
            int ch = s.length;
            double eps = 1e-5;
            for (AttributeProto a : node.getAttributeList()) if (a.getName().equals("epsilon")) eps = a.getF();
            double[] mean = constant(canonical(node.getInput(3))), var = constant(canonical(node.getInput(4)));
            if (mean == null || var == null) {
                throw refusal(k, "its mean or variance is computed in the graph, not stored; the trained scale and "
                        + "shift cannot be written back");
            }
            double[] gamma = new double[ch], beta = new double[ch];
            for (int c = 0; c < ch; c++) {
                gamma[c] = s[c] * Math.sqrt(var[c] + eps);
                beta[c] = t[c] + mean[c] * s[c];
            }
            ParamSource ss = model.sources().get(op.scale().name()), ts = model.sources().get(op.shift().name());
            store(k, ss.initializer(), ss.onnxDims(), gamma, "its scale");
            store(k, ts.initializer(), ts.onnxDims(), beta, "its bias");
        }

        /** The stored tensor a value stands for through Identity nodes. */
        private String canonical(String value) {
            for (int guard = 0; guard < nodes.size(); guard++) {
                if (initializers.containsKey(value) || constantNode.containsKey(value)) return value;
                String next = null;
                for (NodeProto.Builder n : nodes) {
                    if (n.getOpType().equals("Identity") && n.getOutputCount() > 0 && n.getOutput(0).equals(value)) next = n.getInput(0);
                }
                if (next == null) return value;
                value = next;
            }
            return value;
        }

        /** Removes a folded BatchNormalization: its input becomes its output (same name for every reader). */
        private void removeBatchNorm(String display) {
            Integer k = byDisplay.get(display);
            if (k == null) throw new IllegalStateException("BatchNormalization '" + display + "' is not in the file");
            NodeProto.Builder bn = nodes.get(k);
            String x = bn.getInput(0), y = bn.getOutput(0);
            removed.set(k, true);
            for (int i = 0; i < nodes.size(); i++) {
                if (removed.get(i)) continue;
                NodeProto.Builder n = nodes.get(i);
                for (int j = 0; j < n.getInputCount(); j++) if (n.getInput(j).equals(x)) n.setInput(j, y);
                for (int j = 0; j < n.getOutputCount(); j++) if (n.getOutput(j).equals(x)) n.setOutput(j, y);
            }
            for (var e : insertAfter.entrySet()) {
                // an Add inserted after a MatMul now produces the normalisation's output
                if (e.getValue().getOutput(0).equals(x)) e.setValue(e.getValue().toBuilder().setOutput(0, y).build());
            }
            dropUnread(bn.getInputList().subList(1, bn.getInputCount()));
            xValueInfo.add(x);
        }

        private final Set<String> xValueInfo = new HashSet<>();

        /** Initializers that no remaining node reads any more. */
        private void dropUnread(List<String> candidates) {
            Set<String> read = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) if (!removed.get(i)) read.addAll(nodes.get(i).getInputList());
            for (NodeProto n : insertAfter.values()) read.addAll(n.getInputList());
            for (ValueInfoProto o : original.getOutputList()) read.add(o.getName());
            for (String c : candidates) {
                if (!read.contains(c) && initializers.remove(c) != null) droppedInputs.add(c);
            }
        }

        private final Set<String> droppedInputs = new HashSet<>();

        GraphProto build() {
            GraphProto.Builder g = original.toBuilder().clearNode().clearInitializer();
            for (int i = 0; i < nodes.size(); i++) {
                if (!removed.get(i)) g.addNode(nodes.get(i));
                NodeProto ins = insertAfter.get(i);
                if (ins != null) g.addNode(ins);
            }
            g.addAllInitializer(initializers.values());
            // initializers listed as graph inputs (older files) go with them; value_info of renamed values too
            List<ValueInfoProto> inputs = new ArrayList<>(g.getInputList());
            inputs.removeIf(v -> droppedInputs.contains(v.getName()));
            g.clearInput().addAllInput(inputs);
            List<ValueInfoProto> info = new ArrayList<>(g.getValueInfoList());
            info.removeIf(v -> xValueInfo.contains(v.getName()));
            g.clearValueInfo().addAllValueInfo(info);
            return g.build();
        }
    }

    // ---- a new model from a graph

    /**
     * A new ONNX model (opset {@value #OPSET}) of a model graph and its parameters (the layers' layouts): input
     * [N, …] with a symbolic batch N, every node as its ONNX operator (a Gemm reading an image gets a Flatten, an
     * unfolded BatchNormalization becomes Mul and Add), the output [N, classes] (after Softmax/LogSoftmax if the
     * graph ends with one).
     */
    public static byte[] fromGraph(ModelGraph g, ModelParameters p) {
        GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
        b.addInput(valueInfo(g.inputName(), g.inputShape()));
        List<String> out = new ArrayList<>();
        int last = g.nodes().size() - 1;
        boolean transform = g.output() != ModelGraph.Output.LOGITS;
        for (int i = 0; i <= last; i++) {
            Node n = g.nodes().get(i);
            String name = n.name();
            String y = i == last && !transform ? g.outputName() : name;
            List<String> in = new ArrayList<>();
            for (int k : n.inputs()) in.add(k == ModelGraph.INPUT ? g.inputName() : out.get(k));
            int[] s0 = g.shapeOf(n.inputs()[0]);
            switch (n.op()) {
                case Op.Conv c -> {
                    int d = c.outChannels(), kh = c.window().kh(), kw = c.window().kw(), ch = s0[0];
                    double[] w = p.get(c.weight().name());
                    int rows = ch * kh * kw;
                    double[] o = new double[w.length];
                    for (int r = 0; r < rows; r++) for (int q = 0; q < d; q++) o[q * rows + r] = w[r * d + q];
                    b.addInitializer(floats(c.weight().name(), new long[] {d, ch, kh, kw}, o));
                    in.add(c.weight().name());
                    if (c.bias() != null) {
                        b.addInitializer(floats(c.bias().name(), new long[] {d}, p.get(c.bias().name())));
                        in.add(c.bias().name());
                    }
                    b.addNode(node("Conv", name, in, y, ints("kernel_shape", kh, kw), ints("strides", c.window().sh(), c.window().sw()),
                            pads(c.window().pads())));
                }
                case Op.Gemm m -> {
                    String x = in.get(0);
                    if (s0.length > 1) {
                        x = name + "_flatten";
                        b.addNode(node("Flatten", x, List.of(in.get(0)), x, intAttr("axis", 1)));
                    }
                    b.addInitializer(floats(m.weight().name(), new long[] {m.in(), m.out()}, p.get(m.weight().name())));
                    List<String> args = new ArrayList<>(List.of(x, m.weight().name()));
                    if (m.bias() != null) {
                        b.addInitializer(floats(m.bias().name(), new long[] {m.out()}, p.get(m.bias().name())));
                        args.add(m.bias().name());
                    }
                    b.addNode(node("Gemm", name, args, y));
                }
                case Op.BatchNorm bn -> {
                    long[] dims = s0.length == 1 ? new long[] {s0[0]} : new long[] {s0[0], 1, 1};
                    b.addInitializer(floats(bn.scale().name(), dims, p.get(bn.scale().name())));
                    b.addInitializer(floats(bn.shift().name(), dims, p.get(bn.shift().name())));
                    b.addNode(node("Mul", name + "_scale", List.of(in.get(0), bn.scale().name()), name + "_scaled"));
                    b.addNode(node("Add", name, List.of(name + "_scaled", bn.shift().name()), y));
                }
                case Op.Relu r -> b.addNode(node("Relu", name, in, y));
                case Op.MaxPool mp -> b.addNode(node("MaxPool", name, in, y, ints("kernel_shape", mp.window().kh(), mp.window().kw()),
                        ints("strides", mp.window().sh(), mp.window().sw()), pads(mp.window().pads()), intAttr("ceil_mode", mp.ceilMode() ? 1 : 0)));
                case Op.AveragePool ap -> b.addNode(node("AveragePool", name, in, y, ints("kernel_shape", ap.window().kh(), ap.window().kw()),
                        ints("strides", ap.window().sh(), ap.window().sw()), pads(ap.window().pads()), intAttr("ceil_mode", ap.ceilMode() ? 1 : 0),
                        intAttr("count_include_pad", ap.countIncludePad() ? 1 : 0)));
                case Op.GlobalAveragePool gp -> b.addNode(node("GlobalAveragePool", name, in, y));
                case Op.Flatten f -> b.addNode(node("Flatten", name, in, y, intAttr("axis", 1)));
                case Op.Add a -> b.addNode(node("Add", name, in, y));
                case Op.Concat c -> b.addNode(node("Concat", name, in, y, intAttr("axis", 1)));
                case Op.Pad pd -> {
                    Op.Pads q = pd.pads();
                    String pads = name + "_pads";
                    b.addInitializer(TensorProto.newBuilder().setName(pads).setDataType(Const.INT64).addDims(8)
                            .addAllInt64Data(List.of(0L, 0L, (long) q.top(), (long) q.left(), 0L, 0L, (long) q.bottom(), (long) q.right())));
                    b.addNode(node("Pad", name, List.of(in.get(0), pads), y));
                }
            }
            out.add(y);
        }
        if (transform) {
            String op = g.output() == ModelGraph.Output.SOFTMAX ? "Softmax" : "LogSoftmax";
            b.addNode(node(op, op.toLowerCase(java.util.Locale.ROOT), List.of(out.get(last)), g.outputName(), intAttr("axis", -1)));
        }
        b.addOutput(valueInfo(g.outputName(), new int[] {g.classes()}));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("securenn")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(b).build().toByteArray();
    }

    private static ValueInfoProto valueInfo(String name, int[] perExample) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : perExample) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(Const.FLOAT).setShape(s))).build();
    }

    private static TensorProto floats(String name, long[] dims, double[] v) {
        return Writer.tensor(TensorProto.newBuilder().setName(name), Const.FLOAT, dims, v);
    }

    private static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out);
        for (AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto pads(Op.Pads p) {
        return ints("pads", p.top(), p.left(), p.bottom(), p.right());
    }
}
