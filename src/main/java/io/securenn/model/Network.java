package io.securenn.model;

import io.securenn.nn.Parameter;
import io.securenn.nn.MaxPoolLayer;
import io.securenn.nn.Layer;
import io.securenn.nn.Sgd;
import io.securenn.nn.Backend;
import io.securenn.nn.GemmLayer;
import io.securenn.nn.ConvLayer;
import io.securenn.nn.ReluLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One of the networks A–D as a stack of layers over a backend, with its parameters shared by the model owner. */
public final class Network<V> {
    private final Architecture architecture;
    private final Backend<V> be;
    private final List<Layer<V>> layers;

    private Network(Architecture architecture, Backend<V> be, List<Layer<V>> layers) {
        this.architecture = architecture;
        this.be = be;
        this.layers = List.copyOf(layers);
    }

    /** Builds the network with the given weights (the model owner's, imported through the backend). */
    public static <V> Network<V> build(Backend<V> be, ModelWeights weights) {
        Architecture arch = weights.architecture();
        List<Layer<V>> layers = new ArrayList<>();
        int t = 0, conv = 0, fc = 0;
        for (LayerSpec s : arch.layers()) {
            switch (s) {
                case LayerSpec.Fc f -> {
                    V w = be.importModel(weights.tensors().get(t++));
                    V b = be.importModel(weights.tensors().get(t++));
                    layers.add(new GemmLayer<>(be, f.in(), f.out(), "fc" + (++fc), w, b));
                }
                case LayerSpec.Conv c -> {
                    V w = be.importModel(weights.tensors().get(t++));
                    V b = be.importModel(weights.tensors().get(t++));
                    layers.add(new ConvLayer<>(be, c.channels(), c.height(), c.width(), c.outChannels(), c.kernel(),
                            c.stride(), c.padding(), "conv" + (++conv), w, b));
                }
                case LayerSpec.Pool p -> layers.add(new MaxPoolLayer<>(be, p.channels(), p.height(), p.width(), p.window(), p.stride()));
                case LayerSpec.ReluSpec r -> layers.add(new ReluLayer<>(be, r.size()));
            }
        }
        return new Network<>(arch, be, layers);
    }

    public Architecture architecture() {
        return architecture;
    }

    public Backend<V> backend() {
        return be;
    }

    public List<Layer<V>> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** The output z (batch × classes) of the last FC layer; training mode keeps what backward needs. */
    public V forward(V x, int batch, boolean training) {
        V a = x;
        for (Layer<V> l : layers) a = l.forward(a, batch, training);
        return a;
    }

    /** Backpropagates δ at z through every layer, updating parameters by SGD (first layer: no input gradient). */
    public void backward(V delta, int batch, Sgd sgd) {
        V d = delta;
        for (int i = layers.size() - 1; i >= 0; i--) d = layers.get(i).backward(d, batch, sgd, i > 0);
    }

    public List<Parameter<V>> parameters() {
        List<Parameter<V>> out = new ArrayList<>();
        for (Layer<V> l : layers) out.addAll(l.parameters());
        return out;
    }

    /** Gives every parameter a zero momentum velocity (before training or resuming with momentum). */
    public void enableMomentum() {
        for (Parameter<V> p : parameters()) p.startVelocity(be);
    }

    /** Gives every parameter a master copy with {@code bits} more fractional bits ({@link Sgd}). */
    public void enableMasterWeights(int bits) {
        for (Parameter<V> p : parameters()) p.startMaster(be, bits);
    }

    /**
     * What a checkpoint must hold to continue training: the parameters, then their momentum velocities and their
     * master copies, where there are any.
     */
    public List<Parameter<V>> trainingState() {
        List<Parameter<V>> out = new ArrayList<>(parameters());
        for (Parameter<V> p : parameters()) if (p.velocity() != null) out.add(p.velocity());
        for (Parameter<V> p : parameters()) if (p.master() != null) out.add(p.master());
        return out;
    }

    /** Reveals the trained weights to the model owner (null at parties that do not learn them). */
    public ModelWeights revealWeights() {
        // every party takes part in every reveal, even those that learn nothing
        List<long[]> ts = new ArrayList<>();
        boolean learned = true;
        for (Parameter<V> p : parameters()) {
            long[] v = be.reveal(p.value(), Backend.Encoding.FIXED);
            learned &= v != null;
            ts.add(v);
        }
        return learned ? new ModelWeights(architecture, ts) : null;
    }
}
