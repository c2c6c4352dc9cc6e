package io.securenn.model;

import io.securenn.nn.Backend;
import io.securenn.nn.Parameter;
import io.securenn.nn.Sgd;

import java.util.List;

/**
 * One of the networks A–D over a backend: its {@link Architecture#graph() graph} run by a {@link GraphModel}, with
 * its parameters shared by the model owner, plus what training needs (momentum, master weights, checkpoints).
 */
public final class Network<V> {
    private final Architecture architecture;
    private final GraphModel<V> model;

    private Network(Architecture architecture, GraphModel<V> model) {
        this.architecture = architecture;
        this.model = model;
    }

    /** Builds the network with the given weights (the model owner's, imported through the backend). */
    public static <V> Network<V> build(Backend<V> be, ModelWeights weights) {
        Architecture arch = weights.architecture();
        return new Network<>(arch, GraphModel.build(be, arch.graph(), weights.tensors()));
    }

    public Architecture architecture() {
        return architecture;
    }

    public GraphModel<V> model() {
        return model;
    }

    public Backend<V> backend() {
        return model.backend();
    }

    /** One line per layer. */
    public List<String> describe() {
        return model.describe();
    }

    /** The output z (batch × classes) of the last FC layer; training mode keeps what backward needs. */
    public V forward(V x, int batch, boolean training) {
        return model.forward(x, batch, training);
    }

    /** Backpropagates δ at z through every layer, updating parameters by SGD (first layer: no input gradient). */
    public void backward(V delta, int batch, Sgd sgd) {
        model.backward(delta, batch, sgd);
    }

    public List<Parameter<V>> parameters() {
        return model.parameters();
    }

    /** Gives every parameter a zero momentum velocity (before training or resuming with momentum). */
    public void enableMomentum() {
        model.enableMomentum();
    }

    /** Gives every parameter a master copy with {@code bits} more fractional bits ({@link Sgd}). */
    public void enableMasterWeights(int bits) {
        model.enableMasterWeights(bits);
    }

    /** {@link GraphModel#trainingState()}. */
    public List<Parameter<V>> trainingState() {
        return model.trainingState();
    }

    /** Reveals the trained weights to the model owner (null at parties that do not learn them). */
    public ModelWeights revealWeights() {
        // every party takes part in every reveal, even those that learn nothing
        List<long[]> ts = model.revealParameters();
        return ts != null ? new ModelWeights(architecture, ts) : null;
    }
}
