package io.securenn.job;

import io.securenn.model.GraphModel;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.ModelParameters;
import io.securenn.model.ParameterReader;
import io.securenn.nn.Backend;
import io.securenn.ring.FixedPoint;
import io.securenn.data.Dataset;
import io.securenn.train.Evaluator;
import io.securenn.train.OwnedDataFeed;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Secure inference of a model graph on the input owner's rows: P0 (the model owner's and input owner's proxy)
 * holds the graph, the weights and the input; it sends the public graph and the number of rows to P1 and P2,
 * shares the weights and the input, and alone learns the outputs (the logits, or only the predicted classes).
 * A trailing Softmax / LogSoftmax of the graph is applied by P0 in plaintext after reconstruction. A job of more
 * than one batch masks the weights once for its session where the budget allows ({@link Backend#stationaryWeights},
 * docs/PROTOCOLS.md "Stationary weight masks"): the first batch opens F, later ones send less.
 */
public final class InferenceJob {
    private InferenceJob() {}

    /** What P0's process holds: the model (graph and secret weights) and the input rows. */
    public record Owner(ModelGraph graph, ParameterReader parameters, double[] input, int rows) {
        public Owner {
            if (parameters instanceof ModelParameters held) held.checkAgainst(graph);
            if (rows <= 0) throw new IllegalArgumentException("no input rows");
            if (input.length != (long) rows * graph.inputSize()) {
                throw new IllegalArgumentException("input of " + input.length + " values is not " + rows + " rows of " + graph.inputSize());
            }
        }
    }

    /** What P0 learns: each row's output vector, or only its class. */
    public enum Reveal { LOGITS, LABEL }

    /**
     * @param outputs rows × classes after the graph's output transform (null when only labels are revealed)
     * @param labels  the predicted class of each row (argmax, ties to the lower class)
     * @param counters bytes and rounds per party, the twin's truncation statistics
     * @param seconds  the inference itself: from sharing the first input to the last revealed output (the model
     *                 already shared), as Porthos's timer measures
     * @param totalSeconds the whole job, with connecting the parties and sharing the model
     */
    public record Result(ModelGraph graph, int rows, double[] outputs, int[] labels, Map<String, Number> counters,
                         double seconds, double totalSeconds) {}

    /**
     * Runs the job. {@code owner} is needed where P0 runs and ignored elsewhere (null). Returns the result where P0
     * runs, null in a process that plays only P1 or P2.
     */
    public static Result run(Execution ex, Owner owner, int batch, Reveal reveal) {
        return run(ex, owner, batch, reveal, false);
    }

    /**
     * As {@link #run(Execution, Owner, int, Reveal)}; with {@code regenerate} no party holds the weights' shares,
     * each is made again for every forward pass ({@link #share(Backend, ModelGraph, ParameterReader, boolean)}): P0
     * reads the owner's parameters again each time (a streamed import reads the file), P0 and P1 regenerate a
     * stream. Part of the job parameters: every party must be started alike.
     */
    public static Result run(Execution ex, Owner owner, int batch, Reveal reveal, boolean regenerate) {
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive");
        if (ex.reporterProcess() && owner == null) throw new IllegalArgumentException("P0 needs the model and the input");
        String params = "batch=" + batch + " reveal=" + reveal.name().toLowerCase(java.util.Locale.ROOT)
                + (regenerate ? " weights=regenerated" : "");
        long t0 = System.nanoTime();
        Result r = ex.run(0, "infer-graph", params, new Execution.Job<>() {
            @Override
            public <V> Result run(Backend<V> be, boolean reporter) {
                return runParty(be, reporter ? owner : null, batch, reveal, regenerate);
            }
        });
        if (r == null) return null;
        return new Result(r.graph(), r.rows(), r.outputs(), r.labels(), r.counters(), r.seconds(), (System.nanoTime() - t0) / 1e9);
    }

    /** One party's part (SPMD): {@code owner} at P0, null elsewhere. Returns null where nothing is learned. */
    public static <V> Result runParty(Backend<V> be, Owner owner, int batch, Reveal reveal) {
        return runParty(be, owner, batch, reveal, false);
    }

    /** As above, the weights' shares regenerated for each pass when {@code regenerate} (see {@link #run}). */
    public static <V> Result runParty(Backend<V> be, Owner owner, int batch, Reveal reveal, boolean regenerate) {
        byte[] header = be.publicFromOwner(owner == null ? null : header(owner));
        ByteBuffer h = ByteBuffer.wrap(header);
        int rows = h.getInt();
        byte[] g = new byte[header.length - 4];
        h.get(g);
        ModelGraph graph = owner != null ? owner.graph() : ModelGraphCodec.decode(g);
        if (rows <= 0) throw new IllegalArgumentException("no input rows");
        // several batches with the same weights: each weight masked once for the session, if the budget allows
        if (rows > batch) be.stationaryWeights(graph.parameterCount());
        GraphModel<V> model = share(be, graph, owner == null ? null : owner.parameters(), regenerate);
        be.takeCounters();   // what follows is the inference itself: the forward passes and the reveals
        long began = System.nanoTime();
        int in = graph.inputSize(), k = graph.classes();
        double[] outputs = owner != null && reveal == Reveal.LOGITS ? new double[rows * k] : null;
        int[] labels = owner != null ? new int[rows] : null;
        boolean learned = true;
        for (int start = 0; start < rows; start += batch) {
            int size = Math.min(batch, rows - start);
            long[] x = new long[size * in];
            if (owner != null) for (int i = 0; i < x.length; i++) x[i] = FixedPoint.encode(owner.input()[start * in + i]);
            V z = model.forward(be.importData(x, Backend.Encoding.FIXED), size, false);
            if (reveal == Reveal.LOGITS) {
                long[] logits = be.reveal(z, Backend.Encoding.FIXED);
                if (logits == null || owner == null) {
                    learned = false;
                    continue;
                }
                double[] d = FixedPoint.decode(logits);
                for (int b = 0; b < size; b++) {
                    labels[start + b] = argmax(d, b * k, k);
                    graph.output().apply(d, b * k, k);
                }
                System.arraycopy(d, 0, outputs, start * k, d.length);
            } else {
                long[] p = be.reveal(be.argmax(z, size, k), Backend.Encoding.INTEGER);
                if (p == null || owner == null) {
                    learned = false;
                    continue;
                }
                for (int b = 0; b < size; b++) labels[start + b] = (int) p[b];
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Map<String, Number> counters = new LinkedHashMap<>(be.takeCounters());   // every party takes part
        if (!learned) return null;
        return new Result(graph, rows, outputs, labels, counters, seconds, seconds);
    }

    /**
     * Accuracy and confusion matrix of a model graph over a public test set (every party loads it; P0 deals the
     * shares) with only the predicted classes revealed to P0. {@code model} at P0's process, null elsewhere (P1 and
     * P2 receive the graph). Returns the predictions where P0 runs.
     */
    public static Evaluator.Predictions evaluate(Execution ex, io.securenn.model.onnx.OnnxModel model, Dataset train,
                                                 Dataset test, int batch) {
        if (ex.reporterProcess() && model == null) throw new IllegalArgumentException("P0 needs the model");
        return ex.run(0, "infer-graph-dataset", "batch=" + batch + " images=" + test.count(), new Execution.Job<>() {
            @Override
            public <V> Evaluator.Predictions run(Backend<V> be, boolean reporter) {
                io.securenn.model.onnx.OnnxModel mine = reporter ? model : null;
                byte[] g = be.publicFromOwner(mine == null ? null : ModelGraphCodec.encode(mine.graph()));
                ModelGraph graph = mine != null ? mine.graph() : ModelGraphCodec.decode(g);
                if (graph.inputSize() != test.imageSize()) {
                    throw io.securenn.SecureNnException.badInput("the model takes " + graph.inputSize() + " values per row, the images have "
                            + test.imageSize());
                }
                if (graph.classes() < Math.max(train.classes(), test.classes())) {
                    throw io.securenn.SecureNnException.badInput("the model has " + graph.classes() + " outputs, the labels go up to "
                            + (Math.max(train.classes(), test.classes()) - 1));
                }
                if (test.count() > batch) be.stationaryWeights(graph.parameterCount());   // several batches
                GraphModel<V> m = share(be, graph, mine == null ? null : mine.parameters());
                return Evaluator.predict(m, new OwnedDataFeed<>(be, train.withClasses(graph.classes()),
                        test.withClasses(graph.classes())), batch);
            }
        });
    }

    /**
     * The model over the backend with the owner's weights shared: {@code parameters} at the model owner's party, null
     * elsewhere (placeholders of the public lengths). Each tensor is read, encoded and shared in turn, and only its
     * share is kept.
     */
    public static <V> GraphModel<V> share(Backend<V> be, ModelGraph graph, ParameterReader parameters) {
        return share(be, graph, parameters, false);
    }

    /**
     * As {@link #share(Backend, ModelGraph, ParameterReader)}; with {@code regenerate} no party holds the shares:
     * each is made again whenever a layer uses it ({@link Backend#importModel(int, java.util.function.Supplier)}),
     * at P0 from {@code parameters} read anew (a streamed import: from the file). Every party must pass the same
     * {@code regenerate}.
     */
    public static <V> GraphModel<V> share(Backend<V> be, ModelGraph graph, ParameterReader parameters, boolean regenerate) {
        // one tensor at a time: read (from the file, for a streamed import), encoded, shared as its layer is built
        return GraphModel.build(be, graph, ref -> {
            java.util.function.Supplier<long[]> t = () -> parameters == null ? new long[ref.length()]
                    : FixedPoint.encode(parameters.read(ref.name()));
            return regenerate ? be.importModel(ref.length(), t) : be.importModel(t.get());
        });
    }

    private static byte[] header(Owner owner) {
        byte[] g = ModelGraphCodec.encode(owner.graph());
        return ByteBuffer.allocate(4 + g.length).putInt(owner.rows()).put(g).array();
    }

    static int argmax(double[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

}
