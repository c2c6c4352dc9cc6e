package io.securenn.bench;

import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.model.GraphModel;
import io.securenn.nn.Loss;
import io.securenn.model.Network;
import io.securenn.nn.Sgd;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The work of one benchmark run, written once against {@link Backend} so that the same sequence of calls runs
 * on the secure backend (measured) and on {@link CostingBackend} (predicted by the protocols' formulas). Each
 * layer's forward and backward pass runs inside a named scope ({@code "L3 ReLU 128 forward"}), so measured and
 * predicted costs can be compared layer by layer.
 */
public final class Workloads {
    private Workloads() {}

    /** Opens a named scope around a part of the run: an aggregate (a layer pass) or a protocol (the reveal). */
    public interface Scopes {
        Scope open(String label, boolean protocol);

        Scopes NONE = (label, protocol) -> () -> {};
    }

    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static final String LOSS_SCOPE = "loss ASM";
    public static final String ARGMAX_SCOPE = "argmax";
    public static final String REVEAL_SCOPE = "Reveal";

    /** The paper's learning rates (spec §3.1): 2^-7 for A, 2^-5 otherwise (they do not change any cost). */
    public static Sgd sgd(Architecture a, int batch) {
        return Sgd.of(a == Architecture.A ? 7 : 5, batch);
    }

    /** Label of layer i's pass: "L0 FC 784→128 forward". */
    public static String layerScope(int i, String layer, String pass) {
        return "L" + i + " " + layer + " " + pass;
    }

    private static <V> GraphModel.NodeListener listener(GraphModel<V> m, Scopes scopes, String pass) {
        return (i, node) -> scopes.open(layerScope(i, m.describe(i), pass), false);
    }

    /**
     * Inference of one batch: forward, argmax of the logits (Π_MP over the classes) and the predicted classes
     * revealed to P0. Returns them at P0, null elsewhere.
     */
    public static <V> long[] inference(Network<V> net, V images, int batch, Scopes scopes) {
        Backend<V> be = net.backend();
        V z = forward(net, images, batch, false, scopes);
        V index;
        try (var _ = scopes.open(ARGMAX_SCOPE, false)) {
            index = be.argmax(z, batch, net.architecture().classes());
        }
        try (var _ = scopes.open(REVEAL_SCOPE, true)) {
            return be.reveal(index, Backend.Encoding.INTEGER);
        }
    }

    /**
     * Inference of one batch of an imported model, as Porthos's timer covers it: the forward pass (one scope per
     * node) and the logits revealed to P0. Returns them at P0, null elsewhere.
     */
    public static <V> long[] modelInference(GraphModel<V> m, V images, int batch, Scopes scopes) {
        V z = m.forward(images, batch, false, listener(m, scopes, "forward"));
        try (var _ = scopes.open(REVEAL_SCOPE, true)) {
            return m.backend().reveal(z, Backend.Encoding.FIXED);
        }
    }

    /** Synthetic inputs of a model: uniform in [−1, 1) in fixed point, seeded (no cost depends on the values). */
    public static long[] syntheticInputs(int values, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] x = new long[values];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(1 << 14) - (1 << 13);
        return x;
    }

    /** One SGD iteration: forward in training mode, δ = ASM(z) − y, backward with the update of every layer. */
    public static <V> void trainingIteration(Network<V> net, V images, V labelsFixed, int batch, Scopes scopes) {
        Backend<V> be = net.backend();
        V z = forward(net, images, batch, true, scopes);
        V delta;
        try (var _ = scopes.open(LOSS_SCOPE, false)) {
            delta = Loss.ASM.delta(be, z, labelsFixed, batch, net.architecture().classes());
        }
        Sgd sgd = sgd(net.architecture(), batch);
        net.model().backward(delta, batch, sgd, listener(net.model(), scopes, "backward"));
    }

    private static <V> V forward(Network<V> net, V x, int batch, boolean training, Scopes scopes) {
        return net.model().forward(x, batch, training, listener(net.model(), scopes, "forward"));
    }

    /**
     * Synthetic images: uniform pixels in [0, 1) in fixed point (13 fractional bits), seeded. No protocol's cost
     * depends on the values, so random images measure the same as MNIST.
     */
    public static long[] syntheticImages(Architecture a, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] x = new long[batch * a.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(1 << 13);
        return x;
    }

    /** Synthetic one-hot labels in fixed point (1.0 = 2^13), seeded. */
    public static long[] syntheticLabels(Architecture a, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int classes = a.classes();
        long[] y = new long[batch * classes];
        for (int b = 0; b < batch; b++) y[b * classes + r.nextInt(classes)] = 1L << 13;
        return y;
    }
}
