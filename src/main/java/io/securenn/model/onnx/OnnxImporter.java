package io.securenn.model.onnx;

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
import io.securenn.model.onnx.proto.Onnx.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads an ONNX model (opsets {@value #MIN_OPSET} to {@value #MAX_OPSET}) into the public {@link ModelGraph} and
 * the owner's secret {@link ModelParameters}. The whole file is parsed and every node and attribute checked
 * before anything runs; anything outside the supported subset (docs/MODELS.md, "Importing ONNX") is one
 * {@link SecureNnException} of kind BAD_INPUT whose one-line message names the file, the node, the operator and
 * what is supported, e.g. {@code model.onnx: node 'Conv_7' (Conv): group=2 is not supported (group=1 only)}.
 * Shapes are inferred here from the input's (value_info is ignored); dimension 0 of the input is the batch,
 * fixed or symbolic, and never part of a graph's shapes.
 *
 * <p>{@link #importGraph} never decodes a weight: a party that must not read the parameters can still check a
 * file and see its architecture. {@link #importModel} also returns the parameters and where each came from.
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = 11;
    /** The newest opset of the ONNX release whose onnx.proto is vendored (1.23.1). */
    public static final int MAX_OPSET = 28;
    /** The largest file read: a protobuf message cannot exceed 2 GiB. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;
    /** The largest tensor per example that shape inference accepts. */
    static final long MAX_ELEMENTS = 1L << 28;
    /** The largest constant that folding may create (shape computations are tiny). */
    static final int MAX_FOLDED = 1 << 16;

    static final List<String> SUPPORTED = List.of("Conv", "Gemm", "MatMul", "Add", "Relu", "MaxPool", "AveragePool",
            "GlobalAveragePool", "BatchNormalization", "Flatten", "Reshape", "Concat", "Pad", "Identity", "Dropout",
            "Softmax", "LogSoftmax", "ReduceMean", "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Slice", "Cast", "CastLike",
            "Expand");

    private OnnxImporter() {}

    /**
     * The public graph of an ONNX file, without decoding any weight (read as a stream: the weights are never held,
     * see {@link #streamModel}).
     */
    public static ModelGraph importGraph(Path file) {
        return new Importer(file.toString(), modelName(file.getFileName() == null ? "model" : file.getFileName().toString()),
                stream(file, OnnxStream.INLINE_BYTES), false).run().graph();
    }

    /**
     * The graph and the secret parameters, read one tensor at a time (issue 15): the file is parsed as a stream
     * ({@link OnnxStream}), each parameter tensor is decoded from the file (with its layout change and folds) only
     * when {@link StreamedModel#parameters()} is asked for it, and nothing of it is kept. Every check of
     * {@link #importModel(Path)} runs before this returns: each tensor is decoded once here and dropped.
     */
    public static StreamedModel streamModel(Path file) {
        return streamModel(file, file.toString(), OnnxStream.INLINE_BYTES);
    }

    /** As {@link #streamModel(Path)}, named {@code fileName} in messages, initializers up to inlineBytes held. */
    static StreamedModel streamModel(Path file, String fileName, int inlineBytes) {
        Importer im = new Importer(fileName, modelName(fileName), stream(file, inlineBytes), true);
        OnnxModel m = im.run();
        StreamedModel s = new StreamedModel(m.graph(), im::read, m.sources());
        for (Op.ParamRef r : m.graph().parameterRefs()) s.parameters().read(r.name());
        return s;
    }

    /** The graph, the secret parameters and their sources. */
    public static OnnxModel importModel(Path file) {
        return new Importer(file.toString(), modelName(file.getFileName() == null ? "model" : file.getFileName().toString()),
                new Source(read(file), null), true).run();
    }

    /** As {@link #importGraph(Path)} on a file's bytes; fileName names it in messages. */
    public static ModelGraph importGraph(byte[] onnx, String fileName) {
        return new Importer(fileName, modelName(fileName), new Source(onnx, null), false).run().graph();
    }

    /** As {@link #importModel(Path)} on a file's bytes; fileName names it in messages. */
    public static OnnxModel importModel(byte[] onnx, String fileName) {
        return new Importer(fileName, modelName(fileName), new Source(onnx, null), true).run();
    }

    private static String modelName(String fileName) {
        String n = Path.of(fileName).getFileName() == null ? fileName : Path.of(fileName).getFileName().toString();
        return n.endsWith(".onnx") && n.length() > 5 ? n.substring(0, n.length() - 5) : n;
    }

    /** The bytes of an ONNX file, with the checks of {@link #importModel(Path)} (one-line refusals). */
    public static byte[] readFile(Path file) {
        return read(file);
    }

    static byte[] read(Path file) {
        try {
            checkFile(file);
            byte[] b = Files.readAllBytes(file);
            if (b.length > MAX_FILE_BYTES) throw SecureNnException.badInput(file + ": is larger than 2 GiB");
            return b;
        } catch (IOException e) {
            throw SecureNnException.badInput(file + ": cannot read: " + AtomicFiles.describe(e));
        } catch (OutOfMemoryError e) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, file + ": not enough memory to read "
                    + "the model (raise -Xmx through SECURENN_JAVA_OPTS)");
        }
    }

    /** The file parsed as a stream, its large initializers left in the file ({@link OnnxStream}); null if not protobuf. */
    private static Source stream(Path file, int inlineBytes) {
        try {
            checkFile(file);
            return new Source(null, OnnxStream.read(file, inlineBytes));
        } catch (InvalidProtocolBufferException e) {
            return new Source(null, null);   // the importer's refusal: not a valid protobuf message
        } catch (IOException e) {
            throw SecureNnException.badInput(file + ": cannot read: " + AtomicFiles.describe(e));
        } catch (OutOfMemoryError e) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, file + ": not enough memory to read "
                    + "the model (raise -Xmx through SECURENN_JAVA_OPTS)");
        }
    }

    /** What an import reads: the file's bytes, or the streamed parse (null: the file is not a protobuf message). */
    private record Source(byte[] bytes, OnnxStream.Parsed parsed) {}

    private static void checkFile(Path file) throws IOException {
            if (Files.isDirectory(file)) throw SecureNnException.badInput(file + ": is a directory, not an ONNX model");
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw SecureNnException.badInput(file + ": is not a regular file (an ONNX model is expected)");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw SecureNnException.badInput(file + ": is larger than 2 GiB (an ONNX file holds at most 2 GiB; "
                        + "external data is not supported)");
            }
    }

    /** A value of the graph: an activation (depends on the input) or a {@link Const}. */
    sealed interface Value permits Act, Const {}

    /** An activation: the output of graph node {@code node} ({@link ModelGraph#INPUT} for the input), per example. */
    record Act(int node, int[] shape) implements Value {}

    /** A refusal without its prefix; the importer adds the file and the node. */
    static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** Names and values from a file, made safe for a one-line message. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length() && k < 80; k++) {
            char c = s.charAt(k);
            b.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
        }
        if (s.length() > 80) b.append("...");
        return b.toString();
    }

    static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length; k++) b.append(k > 0 ? "x" : "").append(s[k]);
        return s.length == 0 ? "a scalar" : b.toString();
    }

    static String list(long[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < v.length && k < 12; k++) b.append(k > 0 ? ", " : "").append(v[k] == Const.BATCH ? "N" : String.valueOf(v[k]));
        if (v.length > 12) b.append(", ...");
        return b.append(']').toString();
    }

    /** One import: the state of the walk over the nodes. */
    private static final class Importer {
        private final String file;
        private final String name;
        private final Source source;
        private final boolean withWeights;
        /** Parameters are computed when read (a streamed import), not during the walk. */
        private final boolean lazy;
        /** The node being imported, for the messages of parameters computed later ("node 'x' (Conv): "). */
        private String where = "";

        private int opset;
        private long fixedBatch = -1; // the input's dimension 0 when fixed
        private String graphOutput;
        private ModelGraph.Output outputKind = ModelGraph.Output.LOGITS;
        private final Map<String, Value> values = new HashMap<>();
        private final List<Pending> nodes = new ArrayList<>();
        private final Map<String, Supplier<double[]>> params = new LinkedHashMap<>();
        private final Map<String, SourceBuilder> sources = new LinkedHashMap<>();
        private final Map<String, String> alias = new HashMap<>();
        private final Map<String, Integer> uses = new HashMap<>();    // by canonical name, alias nodes excluded
        private final Map<String, Integer> rawUses = new HashMap<>(); // by name

        Importer(String file, String name, Source source, boolean withWeights) {
            this.file = clean(file);
            this.name = name;
            this.source = source;
            this.withWeights = withWeights;
            this.lazy = source.bytes() == null;
        }

        /** A parameter's values, computed now; in a streamed import each time it is read, from the file. */
        double[] read(String nm) {
            Supplier<double[]> s = params.get(nm);
            if (s == null) throw new IllegalArgumentException("no parameter tensor '" + nm + "'");
            try {
                return s.get();
            } catch (Refusal r) {
                throw bad(r.getMessage());
            } catch (java.io.UncheckedIOException e) {
                throw SecureNnException.badInput(file + ": cannot read: " + AtomicFiles.describe(e.getCause()));
            } catch (OutOfMemoryError e) {
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, file + ": not enough memory for the model "
                        + "(raise -Xmx through SECURENN_JAVA_OPTS)");
            }
        }

        /**
         * Values computed now (an eager import) or when read (a streamed one: nothing is held, and a refusal names
         * the node it came from); null in a graph-only import.
         */
        private <T> Supplier<T> later(Supplier<T> compute) {
            if (!withWeights) return null;
            if (!lazy) {
                T v = compute.get();
                return () -> v;
            }
            String at = where;
            return () -> {
                try {
                    return compute.get();
                } catch (Refusal r) {
                    throw new Refusal(at + r.getMessage());
                }
            };
        }

        /** A fold applied to a parameter's values (in place on the values it is given). */
        private void fold(String nm, java.util.function.UnaryOperator<double[]> f) {
            if (!withWeights) return;
            Supplier<double[]> s = params.get(nm);
            params.put(nm, later(() -> f.apply(s.get())));
        }

        private SecureNnException bad(String what) {
            return SecureNnException.badInput(file + ": " + what);
        }

        OnnxModel run() {
            ModelProto m;
            try {
                if (source.bytes() == null && source.parsed() == null) throw new IllegalArgumentException("not protobuf");
                m = source.bytes() != null ? ModelProto.parseFrom(source.bytes()) : source.parsed().model();
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw bad("not an ONNX model, or truncated (not a valid protobuf message)");
            }
            if (!m.hasIrVersion() || !m.hasGraph()) throw bad("not an ONNX model (no IR version or no graph)");
            Long op = null;
            for (OperatorSetIdProto o : m.getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) op = o.getVersion();
            }
            if (op == null) throw bad("imports no opset of the ONNX domain (not a valid ONNX model)");
            if (op < MIN_OPSET) {
                throw bad("opset " + op + " is not supported (opsets " + MIN_OPSET + " to " + MAX_OPSET
                        + "; export with a newer one, e.g. torch.onnx.export(..., opset_version=17))");
            }
            if (op > MAX_OPSET) throw bad("opset " + op + " is newer than this importer knows (opsets " + MIN_OPSET + " to " + MAX_OPSET + ")");
            opset = op.intValue();
            try {
                return walk(m.getGraph());
            } catch (Refusal r) {
                throw bad(r.getMessage());
            } catch (OutOfMemoryError e) {
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, file + ": not enough memory for the model "
                        + "(raise -Xmx through SECURENN_JAVA_OPTS)");
            }
        }

        private OnnxModel walk(GraphProto g) {
            if (g.getSparseInitializerCount() > 0) throw new Refusal("sparse initializers are not supported");
            Set<String> inits = new HashSet<>();
            for (TensorProto t : g.getInitializerList()) {
                String n = t.getName();
                if (n.isEmpty()) throw new Refusal("an initializer has no name");
                if (!inits.add(n)) throw new Refusal("initializer '" + clean(n) + "' is given twice");
                if (source.parsed() == null) {
                    values.put(n, Const.of(t, n, "initializer '" + clean(n) + "'"));
                } else if (source.parsed().initializers().get(n) instanceof Const c) {
                    values.put(n, c);
                } else {
                    throw (Refusal) source.parsed().initializers().get(n);
                }
            }
            List<ValueInfoProto> inputs = new ArrayList<>();
            for (ValueInfoProto v : g.getInputList()) if (!inits.contains(v.getName())) inputs.add(v);
            if (inputs.size() != 1) {
                throw new Refusal("the graph has " + inputs.size() + " inputs" + names(inputs) + "; one input is supported");
            }
            if (g.getOutputCount() != 1) {
                throw new Refusal("the graph has " + g.getOutputCount() + " outputs" + names(g.getOutputList()) + "; one output is supported");
            }
            ValueInfoProto input = inputs.get(0);
            if (input.getName().isEmpty()) throw new Refusal("the graph input has no name");
            int[] inShape = inputShape(input);
            values.put(input.getName(), new Act(ModelGraph.INPUT, inShape));
            graphOutput = g.getOutput(0).getName();

            // aliases (Identity, Dropout) and how often each value is read
            for (NodeProto n : g.getNodeList()) {
                if ((n.getOpType().equals("Identity") || n.getOpType().equals("Dropout")) && n.getInputCount() > 0 && n.getOutputCount() > 0
                        && isStandard(n)) {
                    alias.putIfAbsent(n.getOutput(0), n.getInput(0));
                }
            }
            for (NodeProto n : g.getNodeList()) {
                boolean isAlias = n.getOutputCount() > 0 && alias.containsKey(n.getOutput(0))
                        && n.getInputCount() > 0 && alias.get(n.getOutput(0)).equals(n.getInput(0));
                for (int k = 0; k < n.getInputCount(); k++) {
                    String in = n.getInput(k);
                    if (in.isEmpty()) continue;
                    rawUses.merge(in, 1, Integer::sum);
                    if (!(isAlias && k == 0)) uses.merge(canon(in), 1, Integer::sum);
                }
            }
            rawUses.merge(graphOutput, 1, Integer::sum);
            uses.merge(canon(graphOutput), 1, Integer::sum);

            int index = 0;
            for (NodeProto n : g.getNodeList()) {
                String display = n.getName().isEmpty() ? n.getOpType() + "#" + index : n.getName();
                index++;
                where = "node '" + clean(display) + "' (" + clean(n.getOpType()) + "): ";
                try {
                    node(n, display);
                } catch (Refusal r) {
                    throw new Refusal("node '" + clean(display) + "' (" + clean(n.getOpType()) + "): " + r.getMessage());
                }
            }
            return finish();
        }

        private static boolean isStandard(NodeProto n) {
            return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
        }

        private static String names(List<ValueInfoProto> vs) {
            if (vs.isEmpty()) return "";
            StringBuilder b = new StringBuilder(" (");
            for (int k = 0; k < vs.size() && k < 4; k++) b.append(k > 0 ? ", " : "").append(clean(vs.get(k).getName()));
            if (vs.size() > 4) b.append(", ...");
            return b.append(')').toString();
        }

        private int[] inputShape(ValueInfoProto in) {
            String what = "input '" + clean(in.getName()) + "'";
            if (!in.hasType() || !in.getType().hasTensorType()) throw new Refusal(what + " is not a tensor");
            var tt = in.getType().getTensorType();
            int et = tt.getElemType();
            if (et != Const.FLOAT && et != Const.DOUBLE && et != Const.FLOAT16 && et != Const.BFLOAT16) {
                throw new Refusal(what + " has element type " + Const.typeName(et) + " (float tensors only)");
            }
            if (!tt.hasShape()) throw new Refusal(what + " has no shape (it needs [batch, ...])");
            List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
            if (dims.size() < 2) throw new Refusal(what + " has rank " + dims.size() + "; [batch, features] or [batch, C, H, W] is needed");
            if (dims.get(0).hasDimValue()) fixedBatch = dims.get(0).getDimValue();
            int[] s = new int[dims.size() - 1];
            for (int k = 1; k < dims.size(); k++) {
                TensorShapeProto.Dimension d = dims.get(k);
                if (!d.hasDimValue()) {
                    throw new Refusal("dimension " + k + " of " + what + " is "
                            + (d.hasDimParam() ? "symbolic ('" + clean(d.getDimParam()) + "')" : "unknown")
                            + "; only dimension 0 (the batch) may be");
                }
                if (d.getDimValue() <= 0 || d.getDimValue() > MAX_ELEMENTS) {
                    throw new Refusal("dimension " + k + " of " + what + " is " + d.getDimValue());
                }
                s[k - 1] = (int) d.getDimValue();
            }
            checkSize(s, what);
            return s;
        }

        private static void checkSize(int[] s, String what) {
            long n = 1;
            for (int d : s) {
                n *= d;
                if (n > MAX_ELEMENTS) throw new Refusal(what + " would have more than 2^28 values per example");
            }
        }

        private String canon(String v) {
            String c = v;
            for (int k = 0; k <= alias.size() && alias.containsKey(c); k++) c = alias.get(c);
            return c;
        }

        // ---- the nodes

        private void node(NodeProto n, String display) {
            if (!isStandard(n)) {
                throw new Refusal("operator domain '" + clean(n.getDomain()) + "' is not supported (the standard ONNX operators only)");
            }
            if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) throw new Refusal("has no output");
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && values.containsKey(o)) throw new Refusal("its output '" + clean(o) + "' is already defined");
            }
            switch (n.getOpType()) {
                case "Conv" -> conv(n, display);
                case "Gemm" -> gemm(n, display);
                case "MatMul" -> matmul(n, display);
                case "Add" -> add(n, display);
                case "Relu" -> relu(n, display);
                case "MaxPool", "AveragePool" -> pool(n, display);
                case "GlobalAveragePool" -> globalAveragePool(n, display);
                case "ReduceMean" -> reduceMean(n, display);
                case "BatchNormalization" -> batchNorm(n, display);
                case "Flatten" -> flatten(n, display);
                case "Reshape" -> reshape(n, display);
                case "Concat" -> concat(n, display);
                case "Pad" -> pad(n, display);
                case "Identity" -> identity(n);
                case "Dropout" -> dropout(n);
                case "Softmax", "LogSoftmax" -> softmax(n);
                case "Constant" -> constant(n);
                case "Shape" -> shapeOf(n);
                case "Gather" -> gather(n);
                case "Unsqueeze", "Squeeze" -> squeeze(n, n.getOpType().equals("Unsqueeze"));
                case "Slice" -> slice(n);
                case "Cast" -> cast(n);
                case "CastLike" -> castLike(n);
                case "Expand" -> expand(n);
                default -> throw new Refusal("operator " + clean(n.getOpType()) + " is not supported (supported: "
                        + String.join(", ", SUPPORTED) + ")");
            }
        }

        private void arity(NodeProto n, int min, int max, int maxOutputs) {
            int k = n.getInputCount();
            while (k > 0 && n.getInput(k - 1).isEmpty()) k--;
            if (k < min || k > max) {
                throw new Refusal("has " + k + " inputs (" + (min == max ? String.valueOf(min) : min + " to " + max) + " expected)");
            }
            for (int j = maxOutputs; j < n.getOutputCount(); j++) {
                if (!n.getOutput(j).isEmpty()) throw new Refusal("has " + n.getOutputCount() + " outputs (" + maxOutputs + " expected)");
            }
            for (int j = 0; j < min; j++) if (n.getInput(j).isEmpty()) throw new Refusal("input " + j + " is missing");
        }

        /** An optional output must not be read (training outputs, indices, masks). */
        private void unused(NodeProto n, int from, String what) {
            for (int j = from; j < n.getOutputCount(); j++) {
                String o = n.getOutput(j);
                if (!o.isEmpty() && rawUses.getOrDefault(o, 0) > 0) {
                    throw new Refusal("its output '" + clean(o) + "' (" + what + ") is used; only the first output is supported");
                }
            }
        }

        private Value in(NodeProto n, int k) {
            if (k >= n.getInputCount() || n.getInput(k).isEmpty()) return null;
            Value v = values.get(n.getInput(k));
            if (v == null) {
                throw new Refusal("input '" + clean(n.getInput(k)) + "' is not the graph input, an initializer or the output of an earlier node");
            }
            return v;
        }

        private Act act(NodeProto n, int k, String role) {
            Value v = in(n, k);
            if (v instanceof Act a) return a;
            if (v == null) throw new Refusal(role + " is missing");
            throw new Refusal(role + " '" + clean(n.getInput(k)) + "' is a constant (constant folding of " + clean(n.getOpType())
                    + " is not supported)");
        }

        private Const cnst(NodeProto n, int k, String role) {
            Value v = in(n, k);
            if (v == null) return null;
            if (v instanceof Const c) return c;
            throw new Refusal(role + " '" + clean(n.getInput(k)) + "' depends on the graph input (it must be an initializer or a constant)");
        }

        private Const required(NodeProto n, int k, String role) {
            Const c = cnst(n, k, role);
            if (c == null) throw new Refusal(role + " is missing");
            return c;
        }

        private void define(NodeProto n, Value v) {
            values.put(n.getOutput(0), v);
        }

        private Act emit(NodeProto n, String display, Op op, int[] inputs, int[] shape) {
            checkSize(shape, "its output");
            for (int d : shape) if (d <= 0) throw new Refusal("its output would be empty (" + shape(shape) + ")");
            nodes.add(new Pending(display, op, inputs, shape, canon(n.getOutput(0))));
            Act a = new Act(nodes.size() - 1, shape);
            define(n, a);
            return a;
        }

        // ---- parameters

        private Op.ParamRef param(String preferred, String display, String suffix, int length, Supplier<double[]> values, SourceBuilder src) {
            String base = preferred != null ? preferred : display + suffix;
            String nm = base;
            if (sources.containsKey(nm)) nm = base + "@" + display;
            for (int k = 2; sources.containsKey(nm); k++) nm = base + "@" + display + "#" + k;
            sources.put(nm, src);
            if (withWeights) params.put(nm, values);
            return new Op.ParamRef(nm, length);
        }

        private double[] weights(Const c, String role) {
            if (!withWeights) return null;
            if (c.hasBatch()) throw new Refusal(role + " depends on the batch size");
            double[] v = c.floats();
            for (double x : v) {
                if (!Double.isFinite(x)) throw new Refusal(role + " holds NaN or infinite values");
            }
            return v;
        }

        private static int dim(long d, String what) {
            if (d <= 0 || d > MAX_ELEMENTS) throw new Refusal(what + " is " + d);
            return (int) d;
        }

        private static boolean allOnes(long[] v) {
            for (long x : v) if (x != 1) return false;
            return true;
        }

        private static String attrList(long[] v) {
            return v.length == 1 ? String.valueOf(v[0]) : list(v);
        }

        // ---- Conv, Gemm, MatMul

        private void conv(NodeProto n, String display) {
            arity(n, 2, 3, 1);
            Attrs a = new Attrs(n, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
            Act x = act(n, 0, "input X");
            Const w = required(n, 1, "weight W");
            Const b = cnst(n, 2, "bias B");
            long group = a.i("group", 1);
            if (group != 1) throw new Refusal("group=" + group + " is not supported (group=1 only)");
            long[] dil = a.ints("dilations");
            if (dil != null && !allOnes(dil)) throw new Refusal("dilations=" + list(dil) + " is not supported (dilation 1 only)");
            int[] s = x.shape();
            if (w.rank() != 4) throw new Refusal("weight W has dimensions " + list(w.dims) + " (2-D convolutions only: [D, C, kh, kw])");
            if (s.length != 3) throw new Refusal("needs a C×H×W input per example, has " + shape(s));
            if (w.dims[1] != s[0]) throw new Refusal("weight W has " + w.dims[1] + " input channels, the input has " + s[0]);
            int d = dim(w.dims[0], "output channels"), kh = dim(w.dims[2], "kernel height"), kw = dim(w.dims[3], "kernel width");
            long[] ks = a.ints("kernel_shape");
            if (ks != null && !(ks.length == 2 && ks[0] == kh && ks[1] == kw)) {
                throw new Refusal("kernel_shape=" + list(ks) + " does not match the weight's " + kh + "x" + kw);
            }
            Op.Window win = window(a, kh, kw, false);
            int oh = Op.Window.out(s[1], kh, win.sh(), win.pads().top(), win.pads().bottom(), false);
            int ow = Op.Window.out(s[2], kw, win.sw(), win.pads().left(), win.pads().right(), false);
            if (oh <= 0 || ow <= 0) throw new Refusal("the kernel " + kh + "x" + kw + " does not fit the padded " + s[1] + "x" + s[2] + " input");
            if (b != null && !(b.rank() == 1 && b.dims[0] == d)) throw new Refusal("bias B has dimensions " + list(b.dims) + " (expected [" + d + "])");
            int k = s[0] * kh * kw;
            Supplier<double[]> wv = later(() -> { // [D, K] to the K×D matrix of im2col
                double[] src = weights(w, "weight W");
                double[] t = new double[k * d];
                for (int r = 0; r < k; r++) for (int c = 0; c < d; c++) t[r * d + c] = src[c * k + r];
                return t;
            });
            Op.ParamRef wr = param(w.initializer, display, ".weight", k * d, wv,
                    new SourceBuilder(w.initializer, ParamSource.Layout.CONV_WEIGHT, w.dims, 1));
            Op.ParamRef br = b == null ? null : param(b.initializer, display, ".bias", d, later(() -> weights(b, "bias B").clone()),
                    new SourceBuilder(b.initializer, ParamSource.Layout.BIAS, b.dims, 1));
            emit(n, display, new Op.Conv(d, win, wr, br), new int[] {x.node()}, new int[] {d, oh, ow});
        }

        /** kernel kh×kw from the weight or kernel_shape; strides, pads, auto_pad NOTSET or VALID. */
        private Op.Window window(Attrs a, int kh, int kw, boolean pool) {
            String autoPad = a.s("auto_pad", "NOTSET");
            long[] pads = a.ints("pads");
            if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
                throw new Refusal("auto_pad=" + clean(autoPad) + " is not supported (NOTSET with explicit pads, or VALID)");
            }
            long[] st = a.ints("strides");
            if (st != null && st.length != 2) throw new Refusal("strides=" + list(st) + " (two strides expected: 2-D only)");
            int sh = 1, sw = 1;
            if (st != null) {
                if (st[0] <= 0 || st[1] <= 0 || st[0] > 1 << 20 || st[1] > 1 << 20) throw new Refusal("strides=" + list(st) + " are not positive");
                sh = (int) st[0];
                sw = (int) st[1];
            }
            Op.Pads p = Op.Pads.NONE;
            if (pads != null) {
                if (pads.length != 4) throw new Refusal("pads=" + list(pads) + " (four pads expected: 2-D only)");
                for (long v : pads) {
                    if (v < 0 || v > 1 << 20) throw new Refusal("pads=" + list(pads) + " is not supported (pads from 0 up)");
                }
                if (autoPad.equals("VALID") && (pads[0] | pads[1] | pads[2] | pads[3]) != 0) {
                    throw new Refusal("auto_pad=VALID with pads=" + list(pads) + " (VALID means no pads)");
                }
                p = new Op.Pads((int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]);
            }
            if (pool && (p.top() >= kh || p.bottom() >= kh || p.left() >= kw || p.right() >= kw)) {
                throw new Refusal("pads=" + list(pads) + " must be smaller than the kernel " + kh + "x" + kw);
            }
            return new Op.Window(kh, kw, sh, sw, p);
        }

        private void gemm(NodeProto n, String display) {
            arity(n, 2, 3, 1);
            Attrs a = new Attrs(n, "alpha", "beta", "transA", "transB");
            Act x = act(n, 0, "input A");
            Const bm = required(n, 1, "weight B");
            Const c = cnst(n, 2, "bias C");
            long transA = a.i("transA", 0), transB = a.i("transB", 0);
            if (transA != 0) throw new Refusal("transA=" + transA + " is not supported (transA=0 only)");
            if (transB != 0 && transB != 1) throw new Refusal("transB=" + transB + " (0 or 1 expected)");
            double alpha = a.f("alpha", 1), beta = a.f("beta", 1);
            int[] s = x.shape();
            if (s.length != 1) throw new Refusal("needs a vector per example, has " + shape(s) + " (add a Flatten before it)");
            if (bm.rank() != 2) throw new Refusal("weight B has dimensions " + list(bm.dims) + " (a matrix expected)");
            int in = dim(transB == 1 ? bm.dims[1] : bm.dims[0], "B's input size");
            int out = dim(transB == 1 ? bm.dims[0] : bm.dims[1], "B's output size");
            if (in != s[0]) throw new Refusal("weight B has dimensions " + list(bm.dims) + (transB == 1 ? " (transB=1)" : "") + ": " + in + " inputs, the input has " + s[0]);
            Supplier<double[]> wv = later(() -> {
                double[] src = weights(bm, "weight B");
                double[] t = new double[in * out];
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) t[i * out + o] = alpha * (transB == 1 ? src[o * in + i] : src[i * out + o]);
                }
                return t;
            });
            Op.ParamRef wr = param(bm.initializer, display, ".weight", in * out, wv, new SourceBuilder(bm.initializer,
                    transB == 1 ? ParamSource.Layout.GEMM_WEIGHT_TRANSPOSED : ParamSource.Layout.GEMM_WEIGHT, bm.dims, alpha));
            Op.ParamRef br = null;
            if (c != null) {
                checkPerChannel(c, out, 1, "bias C");
                Supplier<double[]> bv = later(() -> {
                    double[] t = perChannel(c, out, "bias C");
                    for (int o = 0; o < out; o++) t[o] *= beta;
                    return t;
                });
                br = param(c.initializer, display, ".bias", out, bv, new SourceBuilder(c.initializer, ParamSource.Layout.BIAS, c.dims, beta));
            }
            emit(n, display, new Op.Gemm(in, out, wr, br, "Gemm"), new int[] {x.node()}, new int[] {out});
        }

        /**
         * A constant that broadcasts per channel over an output of rank {@code rank} per example whose first axis
         * has {@code channels} entries: a scalar, or of dimensions [(1,) channels, 1, …] (leading 1s allowed); its
         * values per channel (null in a graph-only import).
         */
        private void checkPerChannel(Const c, int channels, int rank, String role) {
            long[] d = c.dims;
            int full = rank + 1;
            boolean ok = d.length <= full;
            int channelAxis = d.length - rank; // the axis of d that meets the channel axis, when inside d
            for (int k = 0; ok && k < d.length; k++) {
                if (k == channelAxis) ok = d[k] == channels || d[k] == 1;
                else ok = d[k] == 1;
            }
            if (!ok) {
                throw new Refusal(role + " has dimensions " + list(d) + " (a scalar or one value per "
                        + (rank == 1 ? "output" : "channel") + " expected: " + channels + ")");
            }
        }

        /** The values per channel of a constant {@link #checkPerChannel} accepted. */
        private double[] perChannel(Const c, int channels, String role) {
            double[] v = weights(c, role);
            double[] out = new double[channels];
            for (int k = 0; k < channels; k++) out[k] = v.length == 1 ? v[0] : v[k];
            return out;
        }

        private void matmul(NodeProto n, String display) {
            arity(n, 2, 2, 1);
            new Attrs(n);
            Value first = in(n, 0);
            if (first instanceof Const) throw new Refusal("input A is a constant (supported: X·W with W an initializer)");
            Act x = act(n, 0, "input A");
            Const w = required(n, 1, "weight B");
            int[] s = x.shape();
            if (s.length != 1) throw new Refusal("needs a vector per example, has " + shape(s) + " (add a Flatten before it)");
            if (w.rank() != 2) throw new Refusal("weight B has dimensions " + list(w.dims) + " (a matrix expected)");
            int in = dim(w.dims[0], "B's input size"), out = dim(w.dims[1], "B's output size");
            if (in != s[0]) throw new Refusal("weight B has dimensions " + list(w.dims) + ": " + in + " inputs, the input has " + s[0]);
            Supplier<double[]> wv = later(() -> weights(w, "weight B").clone());
            Op.ParamRef wr = param(w.initializer, display, ".weight", in * out, wv,
                    new SourceBuilder(w.initializer, ParamSource.Layout.GEMM_WEIGHT, w.dims, 1));
            emit(n, display, new Op.Gemm(in, out, wr, null, "MatMul"), new int[] {x.node()}, new int[] {out});
        }

        /** The Conv or Gemm node whose output this value is, and that nothing else reads; or -1. */
        private int foldable(String value, Act a) {
            if (a.node() < 0) return -1;
            Pending p = nodes.get(a.node());
            if (!(p.op instanceof Op.Conv || p.op instanceof Op.Gemm)) return -1;
            String c = canon(value);
            return c.equals(p.out) && uses.getOrDefault(c, 0) == 1 ? a.node() : -1;
        }

        private void add(NodeProto n, String display) {
            arity(n, 2, 2, 1);
            new Attrs(n);
            Value a = in(n, 0), b = in(n, 1);
            if (a instanceof Act x && b instanceof Act y) {
                if (!Arrays.equals(x.shape(), y.shape())) {
                    throw new Refusal("adds tensors of shapes " + shape(x.shape()) + " and " + shape(y.shape()) + " (the same shape only)");
                }
                emit(n, display, new Op.Add(), new int[] {x.node(), y.node()}, x.shape());
                return;
            }
            if (a instanceof Const && b instanceof Const) throw new Refusal("adds two constants (constant folding of Add is not supported)");
            int ai = a instanceof Act ? 0 : 1;
            Act x = (Act) (ai == 0 ? a : b);
            Const c = (Const) (ai == 0 ? b : a);
            int k = foldable(n.getInput(ai), x);
            if (k < 0) {
                throw new Refusal("adds a constant to a tensor that is not the output of a Conv, Gemm or MatMul read only here "
                        + "(supported: a bias after Conv/Gemm/MatMul, or a residual Add of two tensors)");
            }
            Pending p = nodes.get(k);
            int channels = x.shape()[0];
            checkPerChannel(c, channels, x.shape().length, "the added constant");
            Supplier<double[]> add = later(() -> perChannel(c, channels, "the added constant"));
            String label = c.initializer != null ? c.initializer : display;
            Op.ParamRef bias = bias(p);
            if (bias == null) {
                Op.ParamRef br = param(c.initializer, display, ".bias", channels, add,
                        new SourceBuilder(c.initializer, c.initializer != null ? ParamSource.Layout.BIAS : ParamSource.Layout.NONE,
                                c.initializer != null ? c.dims : new long[0], 1));
                if (c.initializer == null) sources.get(br.name()).folds.add("Add:" + label);
                p.op = withBias(p.op, br);
            } else {
                fold(bias.name(), bv -> {
                    double[] t = add.get();
                    for (int j = 0; j < channels; j++) bv[j] += t[j];
                    return bv;
                });
                sources.get(bias.name()).folds.add("Add:" + label);
            }
            p.out = canon(n.getOutput(0));
            define(n, new Act(k, x.shape()));
        }

        private static Op.ParamRef bias(Pending p) {
            return p.op instanceof Op.Conv c ? c.bias() : ((Op.Gemm) p.op).bias();
        }

        private static Op withBias(Op op, Op.ParamRef b) {
            if (op instanceof Op.Conv c) return new Op.Conv(c.outChannels(), c.window(), c.weight(), b);
            Op.Gemm g = (Op.Gemm) op;
            return new Op.Gemm(g.in(), g.out(), g.weight(), b, g.onnxType());
        }

        // ---- element-wise and pooling

        private void relu(NodeProto n, String display) {
            arity(n, 1, 1, 1);
            new Attrs(n);
            Act x = act(n, 0, "input X");
            emit(n, display, new Op.Relu(), new int[] {x.node()}, x.shape());
        }

        private void pool(NodeProto n, String display) {
            boolean max = n.getOpType().equals("MaxPool");
            arity(n, 1, 1, max ? 2 : 1);
            Attrs a = max ? new Attrs(n, "auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides")
                    : new Attrs(n, "auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides");
            if (max) unused(n, 1, "Indices");
            Act x = act(n, 0, "input X");
            long[] ks = a.ints("kernel_shape");
            if (ks == null) throw new Refusal("kernel_shape is missing");
            if (ks.length != 2) throw new Refusal("kernel_shape=" + list(ks) + " is not supported (2-D pooling only)");
            long[] dil = a.ints("dilations");
            if (dil != null && !allOnes(dil)) throw new Refusal("dilations=" + list(dil) + " is not supported (dilation 1 only)");
            long ceil = a.i("ceil_mode", 0);
            if (ceil != 0 && ceil != 1) throw new Refusal("ceil_mode=" + ceil + " (0 or 1 expected)");
            if (max) {
                long so = a.i("storage_order", 0);
                if (so != 0) throw new Refusal("storage_order=" + so + " is not supported (storage_order=0 only)");
            }
            long cip = max ? 0 : a.i("count_include_pad", 0);
            if (cip != 0 && cip != 1) throw new Refusal("count_include_pad=" + cip + " (0 or 1 expected)");
            int[] s = x.shape();
            if (s.length != 3) throw new Refusal("needs a C×H×W input per example, has " + shape(s));
            int kh = dim(ks[0], "kernel height"), kw = dim(ks[1], "kernel width");
            Op.Window win = window(a, kh, kw, true);
            int oh = win.outH(s[1], ceil == 1), ow = win.outW(s[2], ceil == 1);
            if (oh <= 0 || ow <= 0) throw new Refusal("the kernel " + kh + "x" + kw + " does not fit the padded " + s[1] + "x" + s[2] + " input");
            Op op = max ? new Op.MaxPool(win, ceil == 1) : new Op.AveragePool(win, ceil == 1, cip == 1);
            emit(n, display, op, new int[] {x.node()}, new int[] {s[0], oh, ow});
        }

        private void globalAveragePool(NodeProto n, String display) {
            arity(n, 1, 1, 1);
            new Attrs(n);
            Act x = act(n, 0, "input X");
            if (x.shape().length != 3) throw new Refusal("needs a C×H×W input per example, has " + shape(x.shape()));
            emit(n, display, new Op.GlobalAveragePool(), new int[] {x.node()}, new int[] {x.shape()[0], 1, 1});
        }

        /** ReduceMean over H and W of a C×H×W input (what PyTorch's dynamo exporter makes of a global average pool). */
        private void reduceMean(NodeProto n, String display) {
            arity(n, 1, 2, 1);
            Attrs a = new Attrs(n, "axes", "keepdims", "noop_with_empty_axes");
            Act x = act(n, 0, "input data");
            long[] axes = a.ints("axes");
            Const ac = cnst(n, 1, "axes");
            if (ac != null) axes = intsOf(ac);
            long keep = a.i("keepdims", 1);
            int[] s = x.shape();
            boolean ok = s.length == 3 && axes != null && axes.length == 2;
            if (ok) {
                long a0 = axes[0] < 0 ? axes[0] + 4 : axes[0], a1 = axes[1] < 0 ? axes[1] + 4 : axes[1];
                ok = Math.min(a0, a1) == 2 && Math.max(a0, a1) == 3;
            }
            if (!ok) {
                throw new Refusal("axes=" + (axes == null ? "all" : list(axes)) + " on " + shape(s)
                        + " per example is not supported (the mean over H and W of a C×H×W input only: a global average pool)");
            }
            if (keep != 0 && keep != 1) throw new Refusal("keepdims=" + keep + " (0 or 1 expected)");
            Act y = emit(n, display, new Op.GlobalAveragePool(), new int[] {x.node()}, new int[] {s[0], 1, 1});
            if (keep == 0) emit(n, display + "/squeeze", new Op.Flatten("ReduceMean"), new int[] {y.node()}, new int[] {s[0]});
        }

        private void batchNorm(NodeProto n, String display) {
            arity(n, 5, 5, 5);
            Attrs a = new Attrs(n, "epsilon", "momentum", "training_mode", "spatial", "is_test");
            long tm = a.i("training_mode", 0);
            if (tm != 0) throw new Refusal("training_mode=" + tm + " is not supported (inference only: training_mode=0)");
            long spatial = a.i("spatial", 1);
            if (spatial != 1) throw new Refusal("spatial=" + spatial + " is not supported (spatial=1 only)");
            unused(n, 1, "a training statistic");
            Act x = act(n, 0, "input X");
            int ch = x.shape()[0];
            String[] roles = {"scale", "B", "input_mean", "input_var"};
            Const[] cs = new Const[4];
            for (int k = 0; k < 4; k++) {
                cs[k] = required(n, k + 1, roles[k]);
                if (cs[k].count() != ch || cs[k].rank() != 1) {
                    throw new Refusal(roles[k] + " has dimensions " + list(cs[k].dims) + " (expected [" + ch + "], one per channel)");
                }
            }
            double eps = a.f("epsilon", 1e-5);
            Supplier<double[][]> affine = later(() -> {   // {scale, shift}
                double[] g = weights(cs[0], "scale"), beta = weights(cs[1], "B"), mean = weights(cs[2], "input_mean"), var = weights(cs[3], "input_var");
                double[] scale = new double[ch], shift = new double[ch];
                for (int c = 0; c < ch; c++) {
                    double v = var[c] + eps;
                    if (!(v > 0)) throw new Refusal("input_var + epsilon is not positive for channel " + c);
                    scale[c] = g[c] / Math.sqrt(v);
                    shift[c] = beta[c] - mean[c] * scale[c];
                }
                return new double[][] {scale, shift};
            });
            Supplier<double[]> scale = affine == null ? null : () -> affine.get()[0];
            Supplier<double[]> shift = affine == null ? null : () -> affine.get()[1];
            int k = foldable(n.getInput(0), x);
            if (k >= 0) {
                Pending p = nodes.get(k);
                Op.ParamRef w = p.op instanceof Op.Conv cv ? cv.weight() : ((Op.Gemm) p.op).weight();
                Op.ParamRef b = bias(p);
                String fold = "BatchNormalization:" + display;
                fold(w.name(), wv -> {
                    double[] sc = scale.get();
                    for (int i = 0; i < wv.length; i++) wv[i] *= sc[i % ch];
                    return wv;
                });
                sources.get(w.name()).folds.add(fold);
                if (b == null) {
                    Op.ParamRef br = param(cs[1].initializer, display, ".bias", ch, shift,
                            new SourceBuilder(null, ParamSource.Layout.NONE, new long[0], 1));
                    sources.get(br.name()).folds.add(fold);
                    p.op = withBias(p.op, br);
                } else {
                    fold(b.name(), bv -> {
                        double[] sc = scale.get(), sh = shift.get();
                        for (int c = 0; c < ch; c++) bv[c] = bv[c] * sc[c] + sh[c];
                        return bv;
                    });
                    sources.get(b.name()).folds.add(fold);
                }
                p.out = canon(n.getOutput(0));
                define(n, new Act(k, x.shape()));
                return;
            }
            Op.ParamRef sr = param(cs[0].initializer, display, ".scale", ch, scale,
                    new SourceBuilder(cs[0].initializer, ParamSource.Layout.BATCH_NORM_SCALE, cs[0].dims, 1));
            Op.ParamRef tr = param(cs[1].initializer, display, ".shift", ch, shift,
                    new SourceBuilder(cs[1].initializer, ParamSource.Layout.BATCH_NORM_SHIFT, cs[1].dims, 1));
            emit(n, display, new Op.BatchNorm(sr, tr), new int[] {x.node()}, x.shape());
        }

        // ---- shapes

        private void flatten(NodeProto n, String display) {
            arity(n, 1, 1, 1);
            Attrs a = new Attrs(n, "axis");
            Act x = act(n, 0, "input");
            int rank = x.shape().length + 1;
            long axis = a.i("axis", 1);
            long ax = axis < 0 ? axis + rank : axis;
            if (ax != 1) throw new Refusal("axis=" + axis + " is not supported (axis=1 only: [batch, rest])");
            emit(n, display, new Op.Flatten("Flatten"), new int[] {x.node()}, new int[] {ModelGraph.size(x.shape())});
        }

        private void reshape(NodeProto n, String display) {
            arity(n, 2, 2, 1);
            Attrs a = new Attrs(n, "allowzero");
            long allowZero = a.i("allowzero", 0);
            Const sh = required(n, 1, "shape");
            if (!sh.integer || sh.rank() != 1) throw new Refusal("shape has dimensions " + list(sh.dims) + " (a 1-D integer tensor expected)");
            long[] t = sh.ints();
            Value data = in(n, 0);
            if (data instanceof Const c) {
                define(n, reshapeConst(c, t, allowZero == 1));
                return;
            }
            Act x = (Act) data;
            int size = ModelGraph.size(x.shape());
            boolean ok = t.length == 2;
            if (ok) {
                boolean batch0 = t[0] == Const.BATCH || (t[0] == 0 && allowZero == 0) || (fixedBatch > 0 && t[0] == fixedBatch)
                        || (t[0] == -1 && t[1] == size);
                boolean rest1 = t[1] == -1 || t[1] == size || (t[1] == 0 && allowZero == 0 && x.shape().length == 1);
                ok = batch0 && rest1;
            }
            if (!ok) {
                throw new Refusal("reshapes " + shape(x.shape()) + " per example to " + list(t)
                        + " (only to [batch, -1] or [batch, " + size + "], a flatten, is supported)");
            }
            emit(n, display, new Op.Flatten("Reshape"), new int[] {x.node()}, new int[] {size});
        }

        private Const reshapeConst(Const c, long[] t, boolean allowZero) {
            long[] dims = new long[t.length];
            int minus = -1;
            long known = 1;
            for (int k = 0; k < t.length; k++) {
                long v = t[k];
                if (v == 0 && !allowZero) {
                    if (k >= c.rank()) throw new Refusal("shape " + list(t) + " copies a dimension the data does not have");
                    v = c.dims[k];
                }
                if (v == -1) {
                    if (minus >= 0) throw new Refusal("shape " + list(t) + " has two -1");
                    minus = k;
                    continue;
                }
                if (v < 0) throw new Refusal("shape " + list(t) + " is not supported for a constant");
                dims[k] = v;
                known = v == 0 ? 0 : Math.multiplyHigh(known, v) != 0 ? Long.MAX_VALUE : known * v;
            }
            long count = c.count();
            if (minus >= 0) {
                if (known == 0 || count % known != 0) throw new Refusal("cannot reshape " + count + " values to " + list(t));
                dims[minus] = count / known;
            } else if (known != count) {
                throw new Refusal("cannot reshape " + count + " values to " + list(t));
            }
            return c.integer ? Const.ofInts(dims, c.ints()) : Const.ofFloats(dims, c.floats());
        }

        private void concat(NodeProto n, String display) {
            if (n.getInputCount() == 0) throw new Refusal("has no inputs");
            arity(n, 1, n.getInputCount(), 1);
            Attrs a = new Attrs(n, "axis");
            if (!a.has("axis")) throw new Refusal("axis is missing");
            long axis = a.i("axis", 1);
            List<Value> vs = new ArrayList<>();
            for (int k = 0; k < n.getInputCount(); k++) {
                Value v = in(n, k);
                if (v == null) throw new Refusal("input " + k + " is missing");
                vs.add(v);
            }
            boolean allConst = vs.stream().allMatch(v -> v instanceof Const);
            if (allConst) {
                long total = 0;
                boolean integer = true;
                for (Value v : vs) {
                    Const c = (Const) v;
                    if (c.rank() != 1 || (axis != 0 && axis != -1)) {
                        throw new Refusal("concatenates constants of rank " + c.rank() + " (constant folding of 1-D tensors only)");
                    }
                    total += c.count();
                    integer &= c.integer;
                }
                if (total > MAX_FOLDED) throw new Refusal("folds to more than " + MAX_FOLDED + " values");
                long[] iv = new long[(int) total];
                double[] fv = new double[(int) total];
                int at = 0;
                for (Value v : vs) {
                    Const c = (Const) v;
                    if (integer) System.arraycopy(c.ints(), 0, iv, at, (int) c.count());
                    else System.arraycopy(floatsOf(c), 0, fv, at, (int) c.count());
                    at += (int) c.count();
                }
                define(n, integer ? Const.ofInts(new long[] {total}, iv) : Const.ofFloats(new long[] {total}, fv));
                return;
            }
            if (!vs.stream().allMatch(v -> v instanceof Act)) {
                throw new Refusal("concatenates a constant with an activation (activations only)");
            }
            Act first = (Act) vs.get(0);
            int[] s = first.shape();
            long ax = axis < 0 ? axis + s.length + 1 : axis;
            if (ax != 1) throw new Refusal("axis=" + axis + " is not supported (axis=1 only: channels)");
            int[] inputs = new int[vs.size()];
            long channels = 0;
            for (int k = 0; k < vs.size(); k++) {
                int[] t = ((Act) vs.get(k)).shape();
                if (t.length != s.length || !Arrays.equals(Arrays.copyOfRange(t, 1, t.length), Arrays.copyOfRange(s, 1, s.length))) {
                    throw new Refusal("concatenates tensors of shapes " + shape(s) + " and " + shape(t) + " (they must agree but for the channels)");
                }
                inputs[k] = ((Act) vs.get(k)).node();
                channels += t[0];
            }
            int[] out = s.clone();
            out[0] = dim(channels, "the channel count");
            emit(n, display, new Op.Concat(), inputs, out);
        }

        private static double[] floatsOf(Const c) {
            if (c.hasBatch()) throw new Refusal("uses the batch size as a number (not supported)");
            return c.floats();
        }

        private void pad(NodeProto n, String display) {
            arity(n, 1, 4, 1);
            Attrs a = new Attrs(n, "mode", "pads", "value");
            String mode = a.s("mode", "constant");
            if (!mode.equals("constant")) throw new Refusal("mode=" + clean(mode) + " is not supported (mode=constant with value 0 only)");
            Act x = act(n, 0, "input data");
            int[] s = x.shape();
            if (s.length != 3) throw new Refusal("needs a C×H×W input per example, has " + shape(s));
            long[] pads = a.ints("pads");
            Const pc = cnst(n, 1, "pads");
            if (pc != null) {
                if (!pc.integer || pc.hasBatch()) throw new Refusal("pads must be an integer tensor");
                pads = pc.ints();
            }
            if (pads == null) throw new Refusal("pads are missing");
            double value = a.f("value", 0);
            Const vc = cnst(n, 2, "constant_value");
            if (vc != null) {
                if (vc.count() != 1) throw new Refusal("constant_value has dimensions " + list(vc.dims) + " (a scalar expected)");
                value = floatsOf(vc)[0]; // public: it defines the operator
            }
            if (value != 0) throw new Refusal("constant_value=" + value + " is not supported (padding with 0 only)");
            int rank = s.length + 1;
            long[] axes = new long[rank];
            for (int k = 0; k < rank; k++) axes[k] = k;
            Const ac = cnst(n, 3, "axes");
            if (ac != null) {
                if (!ac.integer || ac.rank() > 1) throw new Refusal("axes must be a 1-D integer tensor");
                axes = ac.ints().clone();
            }
            if (pads.length != 2L * axes.length) throw new Refusal("pads=" + list(pads) + " (" + 2 * axes.length + " values expected)");
            long[] begin = new long[rank], end = new long[rank];
            for (int k = 0; k < axes.length; k++) {
                long ax = axes[k] < 0 ? axes[k] + rank : axes[k];
                if (ax < 0 || ax >= rank) throw new Refusal("axes=" + list(axes) + " is out of range");
                begin[(int) ax] = pads[k];
                end[(int) ax] = pads[k + axes.length];
            }
            if (begin[0] != 0 || end[0] != 0 || begin[1] != 0 || end[1] != 0) {
                throw new Refusal("pads=" + list(pads) + " pads the batch or the channels (spatial pads only)");
            }
            for (int k = 2; k < 4; k++) {
                if (begin[k] < 0 || end[k] < 0 || begin[k] > 1 << 20 || end[k] > 1 << 20) {
                    throw new Refusal("pads=" + list(pads) + " is not supported (pads from 0 up)");
                }
            }
            Op.Pads p = new Op.Pads((int) begin[2], (int) begin[3], (int) end[2], (int) end[3]);
            if (p.isZero()) {
                define(n, x);
                return;
            }
            emit(n, display, new Op.Pad(p), new int[] {x.node()}, new int[] {s[0], s[1] + p.top() + p.bottom(), s[2] + p.left() + p.right()});
        }

        private void identity(NodeProto n) {
            arity(n, 1, 1, 1);
            new Attrs(n);
            define(n, in(n, 0));
        }

        private void dropout(NodeProto n) {
            arity(n, 1, 3, 2);
            new Attrs(n, "seed", "ratio", "is_test");
            unused(n, 1, "mask");
            Const tm = cnst(n, 2, "training_mode");
            if (tm != null && (tm.count() != 1 || floatsOf(tm)[0] != 0)) {
                throw new Refusal("training_mode is not false (inference only)");
            }
            define(n, in(n, 0));
        }

        private void softmax(NodeProto n) {
            arity(n, 1, 1, 1);
            Attrs a = new Attrs(n, "axis");
            Act x = act(n, 0, "input");
            if (!canon(n.getOutput(0)).equals(canon(graphOutput))) {
                throw new Refusal("is supported only as the last operator (its output must be the graph's output)");
            }
            if (outputKind != ModelGraph.Output.LOGITS) throw new Refusal("a second Softmax or LogSoftmax is not supported");
            if (x.shape().length != 1) throw new Refusal("needs a vector per example, has " + shape(x.shape()));
            long axis = a.i("axis", opset < 13 ? 1 : -1);
            long ax = axis < 0 ? axis + 2 : axis;
            if (ax != 1) throw new Refusal("axis=" + axis + " is not supported (the last axis only)");
            outputKind = n.getOpType().equals("Softmax") ? ModelGraph.Output.SOFTMAX : ModelGraph.Output.LOG_SOFTMAX;
            define(n, x);
        }

        // ---- constant folding (shape computations, Constant nodes)

        private void constant(NodeProto n) {
            arity(n, 0, 0, 1);
            Attrs a = new Attrs(n, "value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings", "sparse_value");
            if (n.getAttributeCount() != 1) throw new Refusal("needs exactly one value attribute");
            String out = n.getOutput(0);
            Const c;
            if (a.has("value")) {
                Const t = Const.of(a.t("value"), null, "value");
                c = t.integer ? Const.ofInts(t.dims, t.ints()) : Const.ofFloats(t.dims, t.floats());
                c = named(c, out);
            } else if (a.has("value_float")) {
                c = named(Const.ofFloats(new long[0], new double[] {a.f("value_float", 0)}), out);
            } else if (a.has("value_floats")) {
                double[] v = a.floats("value_floats");
                c = named(Const.ofFloats(new long[] {v.length}, v), out);
            } else if (a.has("value_int")) {
                c = Const.ofInts(new long[0], new long[] {a.i("value_int", 0)});
            } else if (a.has("value_ints")) {
                long[] v = a.ints("value_ints");
                c = Const.ofInts(new long[] {v.length}, v);
            } else {
                throw new Refusal("string and sparse constants are not supported");
            }
            define(n, c);
        }

        /** A float constant from a Constant node is named after its output (for ParamRef names and sources). */
        private static Const named(Const c, String out) {
            return c.integer ? c : Const.withName(c, out);
        }

        private void shapeOf(NodeProto n) {
            arity(n, 1, 1, 1);
            Attrs a = new Attrs(n, "start", "end");
            Value v = in(n, 0);
            long[] dims;
            if (v instanceof Act x) {
                dims = new long[x.shape().length + 1];
                dims[0] = Const.BATCH;
                for (int k = 0; k < x.shape().length; k++) dims[k + 1] = x.shape()[k];
            } else {
                dims = ((Const) v).dims.clone();
            }
            int r = dims.length;
            long start = a.i("start", 0), end = a.i("end", r);
            start = Math.clamp(start < 0 ? start + r : start, 0, r);
            end = Math.clamp(end < 0 ? end + r : end, 0, r);
            long[] out = end > start ? Arrays.copyOfRange(dims, (int) start, (int) end) : new long[0];
            define(n, Const.ofInts(new long[] {out.length}, out));
        }

        private void gather(NodeProto n) {
            arity(n, 2, 2, 1);
            Attrs a = new Attrs(n, "axis");
            Value d = in(n, 0);
            if (d instanceof Act) throw new Refusal("gathers from an activation (supported only in shape computations, on constants)");
            Const data = (Const) d;
            if (data.count() > MAX_FOLDED) throw new Refusal("gathers from a constant of " + data.count() + " values (shape computations only)");
            Const idx = required(n, 1, "indices");
            long axis = a.i("axis", 0);
            if (data.rank() != 1 || (axis != 0 && axis != -1)) throw new Refusal("gathers from a constant of rank " + data.rank() + " (1-D only)");
            if (!idx.integer || idx.rank() > 1) throw new Refusal("indices must be a scalar or 1-D integer tensor");
            long len = data.count();
            long[] ix = idx.ints();
            long[] iv = new long[ix.length];
            double[] fv = new double[ix.length];
            for (int k = 0; k < ix.length; k++) {
                long j = ix[k] < 0 ? ix[k] + len : ix[k];
                if (j < 0 || j >= len) throw new Refusal("index " + ix[k] + " is out of range for " + len + " values");
                if (data.integer) iv[k] = data.ints()[(int) j];
                else fv[k] = data.floats()[(int) j];
            }
            define(n, data.integer ? Const.ofInts(idx.dims.clone(), iv) : Const.ofFloats(idx.dims.clone(), fv));
        }

        private void squeeze(NodeProto n, boolean unsqueeze) {
            arity(n, 1, 2, 1);
            Attrs a = new Attrs(n, "axes");
            Value d = in(n, 0);
            if (d instanceof Act) {
                throw new Refusal((unsqueeze ? "unsqueezes" : "squeezes") + " an activation (supported only in shape computations, on constants)");
            }
            Const data = (Const) d;
            long[] axes = a.ints("axes");
            Const ac = cnst(n, 1, "axes");
            if (ac != null) {
                if (!ac.integer || ac.rank() > 1) throw new Refusal("axes must be a 1-D integer tensor");
                axes = ac.ints();
            }
            if (axes == null && unsqueeze) throw new Refusal("axes are missing");
            List<Long> dims = new ArrayList<>();
            for (long x : data.dims) dims.add(x);
            if (unsqueeze) {
                int r = dims.size() + axes.length;
                if (r > 64) throw new Refusal("would have rank " + r);
                boolean[] at = new boolean[r];
                for (long x : axes) {
                    long ax = x < 0 ? x + r : x;
                    if (ax < 0 || ax >= r || at[(int) ax]) throw new Refusal("axes=" + list(axes) + " are out of range or repeated");
                    at[(int) ax] = true;
                }
                List<Long> out = new ArrayList<>();
                int j = 0;
                for (int k = 0; k < r; k++) out.add(at[k] ? 1L : dims.get(j++));
                dims = out;
            } else {
                int r = dims.size();
                boolean[] at = new boolean[r];
                if (axes == null) {
                    for (int k = 0; k < r; k++) at[k] = dims.get(k) == 1;
                } else {
                    for (long x : axes) {
                        long ax = x < 0 ? x + r : x;
                        if (ax < 0 || ax >= r || dims.get((int) ax) != 1) throw new Refusal("axes=" + list(axes) + " do not name dimensions of size 1");
                        at[(int) ax] = true;
                    }
                }
                List<Long> out = new ArrayList<>();
                for (int k = 0; k < r; k++) if (!at[k]) out.add(dims.get(k));
                dims = out;
            }
            long[] nd = dims.stream().mapToLong(Long::longValue).toArray();
            define(n, data.integer ? Const.ofInts(nd, data.ints()) : Const.ofFloats(nd, data.floats()));
        }

        private void slice(NodeProto n) {
            arity(n, 3, 5, 1);
            new Attrs(n);
            Value d = in(n, 0);
            if (d instanceof Act) throw new Refusal("slices an activation (supported only in shape computations, on constants)");
            Const data = (Const) d;
            if (data.rank() != 1) throw new Refusal("slices a constant of rank " + data.rank() + " (1-D only)");
            if (data.count() > MAX_FOLDED) throw new Refusal("slices a constant of " + data.count() + " values (shape computations only)");
            long[] starts = intsOf(required(n, 1, "starts")), ends = intsOf(required(n, 2, "ends"));
            Const ac = cnst(n, 3, "axes"), sc = cnst(n, 4, "steps");
            long[] axes = ac == null ? new long[] {0} : intsOf(ac);
            long[] steps = sc == null ? new long[] {1} : intsOf(sc);
            if (starts.length != 1 || ends.length != 1 || axes.length != 1 || steps.length != 1 || (axes[0] != 0 && axes[0] != -1)) {
                throw new Refusal("slices along more than the one axis of a 1-D constant");
            }
            long len = data.count(), step = steps[0];
            if (step == 0) throw new Refusal("steps=0");
            long s = starts[0], e = ends[0];
            if (s < 0) s += len;
            if (e < 0 && e != Long.MIN_VALUE) e += len;
            List<Integer> picks = new ArrayList<>();
            if (step > 0) {
                s = Math.clamp(s, 0, len);
                e = Math.clamp(e, 0, len);
                for (long k = s; k < e; k += step) picks.add((int) k);
            } else {
                s = Math.clamp(s, -1, len - 1);
                e = Math.clamp(e, -1, len - 1);
                for (long k = s; k > e; k += step) picks.add((int) k);
            }
            long[] iv = new long[picks.size()];
            double[] fv = new double[picks.size()];
            for (int k = 0; k < picks.size(); k++) {
                if (data.integer) iv[k] = data.ints()[picks.get(k)];
                else fv[k] = data.floats()[picks.get(k)];
            }
            long[] nd = {picks.size()};
            define(n, data.integer ? Const.ofInts(nd, iv) : Const.ofFloats(nd, fv));
        }

        private static long[] intsOf(Const c) {
            if (!c.integer || c.rank() > 1) throw new Refusal("expects a 1-D integer tensor, has " + list(c.dims));
            return c.ints();
        }

        private void cast(NodeProto n) {
            arity(n, 1, 1, 1);
            Attrs a = new Attrs(n, "to", "saturate", "round_mode");
            long to = a.i("to", 0);
            boolean toFloat = to == Const.FLOAT || to == Const.DOUBLE || to == Const.FLOAT16 || to == Const.BFLOAT16;
            boolean toInt = to == Const.INT64 || to == Const.INT32 || to == Const.INT16 || to == Const.INT8
                    || to == Const.UINT8 || to == Const.UINT16 || to == Const.UINT32 || to == Const.UINT64 || to == Const.BOOL;
            if (!toFloat && !toInt) throw new Refusal("to=" + Const.typeName((int) to) + " is not supported");
            Value v = in(n, 0);
            if (v instanceof Act x) {
                if (!toFloat) throw new Refusal("casts an activation to " + Const.typeName((int) to) + " (float types only)");
                define(n, x); // the computation is in fixed point / float64 anyway
                return;
            }
            Const c = (Const) v;
            if (toFloat) {
                define(n, c.integer ? Const.ofFloats(c.dims, floatsOf(c)) : c);
            } else if (c.integer) {
                define(n, Const.ofInts(c.dims, c.ints()));
            } else {
                define(n, Const.ofInts(c.dims, truncate(c.floats())));
            }
        }

        private void castLike(NodeProto n) {
            arity(n, 2, 2, 1);
            new Attrs(n, "saturate", "round_mode");
            Value v = in(n, 0), like = in(n, 1);
            boolean toFloat = like instanceof Act || !((Const) like).integer;
            if (v instanceof Act x) {
                if (!toFloat) throw new Refusal("casts an activation to an integer type (float types only)");
                define(n, x);
                return;
            }
            Const c = (Const) v;
            if (toFloat) {
                define(n, c.integer ? Const.ofFloats(c.dims, floatsOf(c)) : c);
            } else {
                define(n, c.integer ? c : Const.ofInts(c.dims, truncate(c.floats())));
            }
        }

        private static long[] truncate(double[] f) {
            long[] iv = new long[f.length];
            for (int k = 0; k < f.length; k++) iv[k] = (long) f[k];
            return iv;
        }

        /** Expand of a constant (a broadcast, folded: exporters make zero biases so). */
        private void expand(NodeProto n) {
            arity(n, 2, 2, 1);
            new Attrs(n);
            Value v = in(n, 0);
            if (v instanceof Act) throw new Refusal("expands an activation (supported only on constants)");
            Const c = (Const) v;
            long[] shape = intsOf(required(n, 1, "shape"));
            int r = Math.max(c.rank(), shape.length);
            if (r > 16) throw new Refusal("would have rank " + r);
            long[] dims = new long[r];
            long count = 1;
            for (int k = 0; k < r; k++) {
                int ci = k - (r - c.rank()), si = k - (r - shape.length);
                long a = ci >= 0 ? c.dims[ci] : 1, b = si >= 0 ? shape[si] : 1;
                if (b == Const.BATCH || b < 0 || (a != b && a != 1 && b != 1)) {
                    throw new Refusal("cannot broadcast " + list(c.dims) + " to " + list(shape));
                }
                dims[k] = a == 1 ? b : a;
                count = dims[k] == 0 ? 0 : count * dims[k];
                if (count > MAX_FOLDED) throw new Refusal("folds to more than " + MAX_FOLDED + " values");
            }
            long[] iv = c.integer ? new long[(int) count] : null;
            double[] fv = c.integer ? null : new double[(int) count];
            for (int j = 0; j < count; j++) { // the source index of output element j
                long rem = j, src = 0, stride = 1;
                for (int k = r - 1; k >= 0; k--) {
                    long at = rem % dims[k];
                    rem /= dims[k];
                    int ci = k - (r - c.rank());
                    if (ci >= 0) {
                        if (c.dims[ci] != 1) src += at * stride;
                        stride *= c.dims[ci];
                    }
                }
                if (c.integer) iv[j] = c.ints()[(int) src];
                else fv[j] = c.floats()[(int) src];
            }
            define(n, c.integer ? Const.ofInts(dims, iv) : Const.ofFloats(dims, fv));
        }

        // ---- the result

        private OnnxModel finish() {
            Value out = values.get(graphOutput);
            if (out == null) throw new Refusal("the graph output '" + clean(graphOutput) + "' is not produced by any node");
            if (!(out instanceof Act a) || a.node() < 0) {
                throw new Refusal("the graph output '" + clean(graphOutput) + "' " + (out instanceof Const ? "is a constant" : "is the graph input"));
            }
            if (a.shape().length != 1) {
                throw new Refusal("the graph output '" + clean(graphOutput) + "' is " + shape(a.shape())
                        + " per example; a vector of logits is needed (add a Flatten)");
            }
            // keep the nodes the output depends on, renumbered
            boolean[] live = new boolean[nodes.size()];
            live[a.node()] = true;
            for (int k = nodes.size() - 1; k >= 0; k--) {
                if (!live[k]) continue;
                for (int in : nodes.get(k).inputs) if (in >= 0) live[in] = true;
            }
            int[] renumber = new int[nodes.size()];
            List<Node> kept = new ArrayList<>();
            for (int k = 0; k < nodes.size(); k++) {
                if (!live[k]) continue;
                Pending p = nodes.get(k);
                int[] ins = new int[p.inputs.length];
                for (int j = 0; j < ins.length; j++) ins[j] = p.inputs[j] < 0 ? ModelGraph.INPUT : renumber[p.inputs[j]];
                renumber[k] = kept.size();
                kept.add(new Node(p.name, p.op, ins, p.shape));
            }
            Value in = null;
            String inputName = null;
            for (var e : values.entrySet()) {
                if (e.getValue() instanceof Act x && x.node() == ModelGraph.INPUT) {
                    in = x;
                    inputName = e.getKey();
                    break;
                }
            }
            ModelGraph g;
            try {
                g = new ModelGraph(name, inputName, ((Act) in).shape(), graphOutput, kept, outputKind);
            } catch (IllegalArgumentException e) {
                throw new Refusal(e.getMessage().replaceAll("\\p{Cntrl}", "?"));
            }
            Map<String, double[]> ps = new LinkedHashMap<>();
            Map<String, ParamSource> src = new LinkedHashMap<>();
            for (Op.ParamRef r : g.parameterRefs()) {
                if (withWeights && !lazy) ps.put(r.name(), params.get(r.name()).get());
                src.put(r.name(), sources.get(r.name()).build());
            }
            return new OnnxModel(g, new ModelParameters(withWeights ? ps : Map.of()), src);
        }
    }

    /** A graph node under construction (folds replace its operator). */
    private static final class Pending {
        final String name;
        Op op;
        final int[] inputs;
        final int[] shape;
        String out; // the canonical name of its output value

        Pending(String name, Op op, int[] inputs, int[] shape, String out) {
            this.name = name;
            this.op = op;
            this.inputs = inputs;
            this.shape = shape;
            this.out = out;
        }
    }

    private static final class SourceBuilder {
        final String initializer;
        final ParamSource.Layout layout;
        final long[] dims;
        final double factor;
        final List<String> folds = new ArrayList<>();

        SourceBuilder(String initializer, ParamSource.Layout layout, long[] dims, double factor) {
            this.initializer = initializer;
            this.layout = layout;
            this.dims = dims;
            this.factor = factor;
        }

        ParamSource build() {
            return new ParamSource(initializer, layout, dims, factor, folds);
        }
    }

    /** A node's attributes: only the named ones are allowed, each of the right type. */
    private static final class Attrs {
        private final Map<String, AttributeProto> map = new HashMap<>();

        Attrs(NodeProto n, String... known) {
            Set<String> k = Set.of(known);
            for (AttributeProto a : n.getAttributeList()) {
                if (!a.getRefAttrName().isEmpty()) throw new Refusal("attribute '" + clean(a.getName()) + "' refers to a function's attribute (not supported)");
                if (!k.contains(a.getName())) {
                    throw new Refusal("attribute '" + clean(a.getName()) + "' is not supported" + (known.length == 0 ? " (it takes none)" : ""));
                }
                if (map.put(a.getName(), a) != null) throw new Refusal("attribute '" + clean(a.getName()) + "' is given twice");
            }
        }

        boolean has(String k) {
            return map.containsKey(k);
        }

        private AttributeProto get(String k, AttributeProto.AttributeType type, boolean present, String what) {
            AttributeProto a = map.get(k);
            if (a == null) return null;
            if (a.getType() != type && !(a.getType() == AttributeProto.AttributeType.UNDEFINED && present)) {
                throw new Refusal("attribute '" + k + "' must be " + what);
            }
            return a;
        }

        long i(String k, long dflt) {
            AttributeProto a = map.get(k);
            if (a == null) return dflt;
            return get(k, AttributeProto.AttributeType.INT, a.hasI(), "an integer").getI();
        }

        double f(String k, double dflt) {
            AttributeProto a = map.get(k);
            if (a == null) return dflt;
            return get(k, AttributeProto.AttributeType.FLOAT, a.hasF(), "a float").getF();
        }

        long[] ints(String k) {
            AttributeProto a = map.get(k);
            if (a == null) return null;
            a = get(k, AttributeProto.AttributeType.INTS, a.getIntsCount() > 0, "a list of integers");
            long[] v = new long[a.getIntsCount()];
            for (int j = 0; j < v.length; j++) v[j] = a.getInts(j);
            return v;
        }

        double[] floats(String k) {
            AttributeProto a = map.get(k);
            if (a == null) return null;
            a = get(k, AttributeProto.AttributeType.FLOATS, a.getFloatsCount() > 0, "a list of floats");
            double[] v = new double[a.getFloatsCount()];
            for (int j = 0; j < v.length; j++) v[j] = a.getFloats(j);
            return v;
        }

        String s(String k, String dflt) {
            AttributeProto a = map.get(k);
            if (a == null) return dflt;
            return get(k, AttributeProto.AttributeType.STRING, a.hasS(), "a string").getS().toStringUtf8();
        }

        TensorProto t(String k) {
            AttributeProto a = map.get(k);
            if (a == null) return null;
            return get(k, AttributeProto.AttributeType.TENSOR, a.hasT(), "a tensor").getT();
        }
    }
}
