package io.securenn.model;

import io.securenn.nn.AddLayer;
import io.securenn.nn.AveragePoolLayer;
import io.securenn.nn.Backend;
import io.securenn.nn.BatchNormalizationLayer;
import io.securenn.nn.ConcatLayer;
import io.securenn.nn.ConvLayer;
import io.securenn.nn.FlattenLayer;
import io.securenn.nn.GemmLayer;
import io.securenn.nn.GlobalAveragePoolLayer;
import io.securenn.nn.Layer;
import io.securenn.nn.MaxPoolLayer;
import io.securenn.nn.MultiInputLayer;
import io.securenn.nn.PadLayer;
import io.securenn.nn.Parameter;
import io.securenn.nn.ReluLayer;
import io.securenn.nn.Sgd;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.PoolGeometry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link ModelGraph} made executable over a {@link Backend}: one layer per node (named after its ONNX
 * operator), the model owner's tensors imported through the backend (shared to the servers in the secure one).
 * The graph first goes through the exact {@link GraphRewrites} (MaxPool before ReLU).
 * Forward runs the nodes in order and frees each activation after its last reader (a residual input lives until
 * its Add); backward runs them in reverse, summing δ where a value fed several nodes.
 */
public final class GraphModel<V> {
    private final ModelGraph graph;
    private final Backend<V> be;
    private final List<Object> layers;   // Layer<V> or MultiInputLayer<V>, one per node
    private final List<Parameter<V>> parameters = new ArrayList<>();
    private final int[] lastUse;

    private GraphModel(ModelGraph graph, Backend<V> be, List<Object> layers, List<Parameter<V>> params) {
        this.graph = graph;
        this.be = be;
        this.layers = List.copyOf(layers);
        this.parameters.addAll(params);
        this.lastUse = graph.lastUse();
    }

    /**
     * Builds the model; {@code tensors} are the fixed-point encodings of {@link ModelGraph#parameterRefs()} in that
     * order (the model owner's; other parties pass placeholders of the right lengths, as for
     * {@link Backend#importModel}).
     */
    public static <V> GraphModel<V> build(Backend<V> be, ModelGraph graph, List<long[]> tensors) {
        List<Op.ParamRef> refs = GraphRewrites.optimize(graph).parameterRefs();
        if (tensors.size() != refs.size()) {
            throw new IllegalArgumentException("model " + graph.name() + " has " + refs.size() + " parameter tensors, got " + tensors.size());
        }
        int[] at = {0};
        GraphModel<V> m = build(be, graph, r -> importChecked(be, tensors.get(at[0]++), r));
        if (at[0] != tensors.size()) throw new IllegalStateException("unused parameter tensors");
        return m;
    }

    /**
     * Builds the model with each parameter tensor imported by {@code feed} (through {@link Backend#importModel}) as
     * its layer is made, in {@link ModelGraph#parameterRefs()}'s order: a tensor need not be held before or after
     * it is shared.
     */
    public static <V> GraphModel<V> build(Backend<V> be, ModelGraph graph, java.util.function.Function<Op.ParamRef, V> feed) {
        ModelGraph g = GraphRewrites.optimize(graph);   // exact: same results, fewer comparisons
        List<Object> layers = new ArrayList<>();
        List<Parameter<V>> params = new ArrayList<>();
        for (Node n : g.nodes()) {
            int[] in = n.inputs();
            int[] s0 = g.shapeOf(in[0]);
            Object layer;
            switch (n.op()) {
                case Op.Conv c -> {
                    V w = feed.apply(c.weight());
                    V b = c.bias() == null ? null : feed.apply(c.bias());
                    Op.Window win = c.window();
                    Op.Pads p = win.pads();
                    ConvGeometry geo = new ConvGeometry(1, s0[0], s0[1], s0[2], win.kh(), win.kw(), win.sh(), win.sw(),
                            p.top(), p.left(), p.bottom(), p.right());
                    ConvLayer<V> l = new ConvLayer<>(be, geo, c.outChannels(), n.name(), w, b);
                    params.addAll(l.parameters());
                    layer = l;
                }
                case Op.Gemm m -> {
                    V w = feed.apply(m.weight());
                    V b = m.bias() == null ? null : feed.apply(m.bias());
                    GemmLayer<V> l = new GemmLayer<>(be, m.in(), m.out(), n.name(), w, b);
                    params.addAll(l.parameters());
                    layer = l;
                }
                case Op.BatchNorm bn -> {
                    V sc = feed.apply(bn.scale());
                    V sh = feed.apply(bn.shift());
                    int plane = ModelGraph.size(s0) / s0[0];
                    BatchNormalizationLayer<V> l = new BatchNormalizationLayer<>(be, s0[0], plane, n.name(), sc, sh);
                    params.addAll(l.parameters());
                    layer = l;
                }
                case Op.Relu r -> layer = new ReluLayer<>(be, ModelGraph.size(s0));
                case Op.MaxPool mp -> layer = new MaxPoolLayer<>(be, pool(s0, mp.window(), mp.ceilMode()));
                case Op.AveragePool ap -> layer = new AveragePoolLayer<>(be, pool(s0, ap.window(), ap.ceilMode()), ap.countIncludePad());
                case Op.GlobalAveragePool gp -> layer = new GlobalAveragePoolLayer<>(be, s0[0], s0.length > 1 ? s0[1] : 1, s0.length > 2 ? s0[2] : 1);
                case Op.Flatten f -> layer = new FlattenLayer<>(be, f.onnxType(), ModelGraph.size(s0));
                case Op.Pad pd -> layer = new PadLayer<>(be, s0[0], s0[1], s0[2], pd.pads().top(), pd.pads().left(), pd.pads().bottom(), pd.pads().right());
                case Op.Add a -> layer = new AddLayer<>(be, ModelGraph.size(s0));
                case Op.Concat c -> {
                    int[] sizes = new int[in.length];
                    for (int i = 0; i < in.length; i++) sizes[i] = ModelGraph.size(g.shapeOf(in[i]));
                    layer = new ConcatLayer<>(be, sizes);
                }
            }
            int produced = layer instanceof Layer<?> l ? l.outputSize() : ((MultiInputLayer<?>) layer).outputSize();
            if (produced != n.size()) {
                throw new IllegalArgumentException("node " + n.name() + " (" + n.op().onnxType() + "): the layer gives "
                        + produced + " values per example, the graph says " + java.util.Arrays.toString(n.shape()));
            }
            if (layer instanceof Layer<?> l && l.inputSize() != ModelGraph.size(s0)) {
                throw new IllegalArgumentException("node " + n.name() + " (" + n.op().onnxType() + "): the layer takes "
                        + l.inputSize() + " values per example, its input has " + ModelGraph.size(s0));
            }
            layers.add(layer);
        }
        return new GraphModel<>(g, be, layers, params);
    }

    private static PoolGeometry pool(int[] s, Op.Window w, boolean ceil) {
        Op.Pads p = w.pads();
        return new PoolGeometry(s[0], s[1], s[2], w.kh(), w.kw(), w.sh(), w.sw(), p.top(), p.left(), p.bottom(), p.right(), ceil);
    }

    private static <V> V importChecked(Backend<V> be, long[] t, Op.ParamRef r) {
        if (t.length != r.length()) {
            throw new IllegalArgumentException("parameter " + r.name() + " has " + t.length + " values, expected " + r.length());
        }
        return be.importModel(t);
    }

    public ModelGraph graph() {
        return graph;
    }

    public Backend<V> backend() {
        return be;
    }

    /** One line per node: its name and its layer. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) out.add(graph.nodes().get(i).name() + ": " + describe(layers.get(i)));
        return out;
    }

    /** Node i's layer, described ("Conv 1×28×28 → 16×24×24 (5×5, stride 1, pad 0)"). */
    public String describe(int i) {
        return describe(layers.get(i));
    }

    private static String describe(Object l) {
        return l instanceof Layer<?> s ? s.describe() : ((MultiInputLayer<?>) l).describe();
    }

    public List<Parameter<V>> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Gives every parameter a zero momentum velocity (before training or resuming with momentum; idempotent). */
    public void enableMomentum() {
        for (Parameter<V> p : parameters) p.startVelocity(be);
    }

    /** Gives every parameter a master copy with {@code bits} more fractional bits ({@link Sgd}; idempotent). */
    public void enableMasterWeights(int bits) {
        for (Parameter<V> p : parameters) p.startMaster(be, bits);
    }

    /**
     * What a checkpoint must hold to continue training: the parameters, then their momentum velocities and their
     * master copies, where there are any.
     */
    public List<Parameter<V>> trainingState() {
        List<Parameter<V>> out = new ArrayList<>(parameters);
        for (Parameter<V> p : parameters) if (p.velocity() != null) out.add(p.velocity());
        for (Parameter<V> p : parameters) if (p.master() != null) out.add(p.master());
        return out;
    }

    /**
     * Reveals the parameters to the model owner, in {@link ModelGraph#parameterRefs()}'s order (fixed-point
     * encodings); null at parties that do not learn them. Every party takes part in every reveal.
     */
    public List<long[]> revealParameters() {
        List<long[]> ts = new ArrayList<>();
        boolean learned = true;
        for (Parameter<V> p : parameters) {
            long[] v = be.reveal(p.value(), io.securenn.nn.Backend.Encoding.FIXED);
            learned &= v != null;
            ts.add(v);
        }
        return learned ? ts : null;
    }

    /** The logits (batch × classes); training mode keeps what backward needs. */
    public V forward(V x, int batch, boolean training) {
        return forward(x, batch, training, null);
    }

    /** Called before each node runs (scopes for per-layer accounting); may be null. */
    public interface NodeListener {
        AutoCloseable enter(int index, Node node);
    }

    @SuppressWarnings("unchecked")
    public V forward(V x, int batch, boolean training, NodeListener listener) {
        int n = layers.size();
        List<V> values = new ArrayList<>(Collections.nCopies(n, null));
        for (int i = 0; i < n; i++) {
            Node node = graph.nodes().get(i);
            int[] in = node.inputs();
            V out;
            try (AutoCloseable scope = listener == null ? null : listener.enter(i, node)) {
                Object l = layers.get(i);
                if (l instanceof Layer<?> single) {
                    out = ((Layer<V>) single).forward(valueOf(in[0], x, values), batch, training);
                } else {
                    List<V> args = new ArrayList<>(in.length);
                    for (int k : in) args.add(valueOf(k, x, values));
                    out = ((MultiInputLayer<V>) l).forward(args, batch, training);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            values.set(i, out);
            for (int k : in) if (k >= 0 && lastUse[k] == i) values.set(k, null);
        }
        return values.get(n - 1);
    }

    private V valueOf(int k, V x, List<V> values) {
        if (k == ModelGraph.INPUT) return x;
        V v = values.get(k);
        if (v == null) throw new IllegalStateException("node " + graph.nodes().get(k).name() + " was freed before its last use");
        return v;
    }

    /** Backpropagates δ at the logits through every node, updating parameters by SGD. */
    public void backward(V delta, int batch, Sgd sgd) {
        backward(delta, batch, sgd, null);
    }

    @SuppressWarnings("unchecked")
    public void backward(V delta, int batch, Sgd sgd, NodeListener listener) {
        int n = layers.size();
        List<V> grads = new ArrayList<>(Collections.nCopies(n, null));
        grads.set(n - 1, delta);
        boolean[] needs = needsGradient();
        for (int i = n - 1; i >= 0; i--) {
            V d = grads.get(i);
            grads.set(i, null);
            if (d == null) continue;   // feeds nothing that matters (cannot happen in a connected graph)
            int[] in = graph.nodes().get(i).inputs();
            boolean need = false;
            for (int k : in) need |= k >= 0 && needs[k];
            Object l = layers.get(i);
            List<V> dIn;
            try (AutoCloseable scope = listener == null ? null : listener.enter(i, graph.nodes().get(i))) {
                if (l instanceof Layer<?> single) {
                    V r = ((Layer<V>) single).backward(d, batch, sgd, need);
                    dIn = Collections.singletonList(r);
                } else {
                    dIn = ((MultiInputLayer<V>) l).backward(d, batch, sgd, need);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (int j = 0; j < in.length; j++) {
                int k = in[j];
                if (k < 0 || !needs[k] || dIn.get(j) == null) continue;
                grads.set(k, grads.get(k) == null ? dIn.get(j) : be.add(grads.get(k), dIn.get(j)));
            }
        }
    }

    /** Whether δ at node i's output is needed: some node at or before it has parameters (or is a stateful layer). */
    private boolean[] needsGradient() {
        int n = layers.size();
        boolean[] needs = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean need = hasParameters(layers.get(i));
            for (int k : graph.nodes().get(i).inputs()) need |= k >= 0 && needs[k];
            needs[i] = need;
        }
        return needs;
    }

    private static boolean hasParameters(Object l) {
        return l instanceof Layer<?> s && !s.parameters().isEmpty();
    }
}
