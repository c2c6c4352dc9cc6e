package io.securenn.model;

import io.securenn.SecureNnException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Networks A–D of SecureNN (spec §3.2; SecureNN's letters, which differ from Falcon's: see docs/NETWORKS.md).
 * Conv blocks pool before the ReLU (correction 8: same values, 4× fewer DReLUs). The last FC layer has no ReLU:
 * its output z feeds the loss in training and argmax in inference (correction 10).
 */
public enum Architecture {
    /** SecureML's DNN: FC 784-128-128-10. */
    A(List.of(
            new LayerSpec.Fc(784, 128), new LayerSpec.ReluSpec(128),
            new LayerSpec.Fc(128, 128), new LayerSpec.ReluSpec(128),
            new LayerSpec.Fc(128, 10))),
    /** MiniONN's CNN: Conv 5×5×16, pool, Conv 5×5×16, pool, FC 256-100-10. */
    B(List.of(
            new LayerSpec.Conv(1, 28, 28, 16, 5, 1, 0), new LayerSpec.Pool(16, 24, 24, 2, 2), new LayerSpec.ReluSpec(16 * 12 * 12),
            new LayerSpec.Conv(16, 12, 12, 16, 5, 1, 0), new LayerSpec.Pool(16, 8, 8, 2, 2), new LayerSpec.ReluSpec(256),
            new LayerSpec.Fc(256, 100), new LayerSpec.ReluSpec(100),
            new LayerSpec.Fc(100, 10))),
    /** LeNet: Conv 5×5×20, pool, Conv 5×5×50, pool, FC 800-500-10. */
    C(List.of(
            new LayerSpec.Conv(1, 28, 28, 20, 5, 1, 0), new LayerSpec.Pool(20, 24, 24, 2, 2), new LayerSpec.ReluSpec(20 * 12 * 12),
            new LayerSpec.Conv(20, 12, 12, 50, 5, 1, 0), new LayerSpec.Pool(50, 8, 8, 2, 2), new LayerSpec.ReluSpec(800),
            new LayerSpec.Fc(800, 500), new LayerSpec.ReluSpec(500),
            new LayerSpec.Fc(500, 10))),
    /** Chameleon's CNN: Conv 5×5 stride 2, 5 channels, zero padding 2 (correction 11), FC 980-100-10. */
    D(List.of(
            new LayerSpec.Conv(1, 28, 28, 5, 5, 2, 2), new LayerSpec.ReluSpec(980),
            new LayerSpec.Fc(980, 100), new LayerSpec.ReluSpec(100),
            new LayerSpec.Fc(100, 10)));

    public static final int IMAGE_CHANNELS = 1, IMAGE_SIZE = 28, CLASSES = 10;

    private final List<LayerSpec> layers;

    Architecture(List<LayerSpec> layers) {
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputSize() != layers.get(i - 1).outputSize()) {
                throw new IllegalStateException("layer " + i + " of " + name() + " does not fit its predecessor");
            }
        }
        this.layers = List.copyOf(layers);
    }

    public List<LayerSpec> layers() {
        return layers;
    }

    public int inputSize() {
        return layers.get(0).inputSize();
    }

    public int classes() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** A trainable tensor of the network: its name and shape, in the model file's order. */
    public record ParamShape(String name, int[] shape, int fanIn, int fanOut, boolean lastLayer, boolean isBias) {
        public int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /** Weights then bias of every FC/Conv layer, in order ("fc1.W", "fc1.b", "conv1.W", …). */
    public List<ParamShape> parameterShapes() {
        List<ParamShape> out = new ArrayList<>();
        int conv = 0, fc = 0, last = lastParameterisedLayer();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            if (s instanceof LayerSpec.Conv c) {
                String n = "conv" + (++conv);
                int k = c.channels() * c.kernel() * c.kernel();
                out.add(new ParamShape(n + ".W", new int[] {k, c.outChannels()}, k, c.outChannels() * c.kernel() * c.kernel(), i == last, false));
                out.add(new ParamShape(n + ".b", new int[] {c.outChannels()}, k, c.outChannels(), i == last, true));
            } else if (s instanceof LayerSpec.Fc f) {
                String n = "fc" + (++fc);
                out.add(new ParamShape(n + ".W", new int[] {f.in(), f.out()}, f.in(), f.out(), i == last, false));
                out.add(new ParamShape(n + ".b", new int[] {f.out()}, f.in(), f.out(), i == last, true));
            }
        }
        return out;
    }

    private int lastParameterisedLayer() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof LayerSpec.Fc || layers.get(i) instanceof LayerSpec.Conv) return i;
        }
        throw new IllegalStateException("no trainable layer");
    }

    /**
     * This network as a {@link ModelGraph} (input 1×28×28; a fully connected layer reads its input flattened),
     * the representation every model runs in. Node names conv1, pool1, relu1, fc1, …; parameter tensors
     * "conv1.W", "conv1.b", … in {@link #parameterShapes()}'s order.
     */
    public ModelGraph graph() {
        List<Node> nodes = new ArrayList<>();
        int[] shape = {IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE};
        int conv = 0, fc = 0, pool = 0, relu = 0;
        for (LayerSpec s : layers) {
            int prev = nodes.size() - 1;   // INPUT (−1) for the first node
            switch (s) {
                case LayerSpec.Conv c -> {
                    String n = "conv" + (++conv);
                    int k = c.channels() * c.kernel() * c.kernel();
                    Op.Window w = new Op.Window(c.kernel(), c.kernel(), c.stride(), c.stride(), Op.Pads.symmetric(c.padding()));
                    shape = new int[] {c.outChannels(), c.outHeight(), c.outWidth()};
                    nodes.add(new Node(n, new Op.Conv(c.outChannels(), w, new Op.ParamRef(n + ".W", k * c.outChannels()),
                            new Op.ParamRef(n + ".b", c.outChannels())), new int[] {prev}, shape));
                }
                case LayerSpec.Pool p -> {
                    Op.Window w = new Op.Window(p.window(), p.window(), p.stride(), p.stride(), Op.Pads.NONE);
                    shape = new int[] {p.channels(), w.outH(p.height(), false), w.outW(p.width(), false)};
                    nodes.add(new Node("pool" + (++pool), new Op.MaxPool(w, false), new int[] {prev}, shape));
                }
                case LayerSpec.ReluSpec r -> nodes.add(new Node("relu" + (++relu), new Op.Relu(), new int[] {prev}, shape));
                case LayerSpec.Fc f -> {
                    String n = "fc" + (++fc);
                    shape = new int[] {f.out()};
                    nodes.add(new Node(n, new Op.Gemm(f.in(), f.out(), new Op.ParamRef(n + ".W", f.in() * f.out()),
                            new Op.ParamRef(n + ".b", f.out()), "Gemm"), new int[] {prev}, shape));
                }
            }
        }
        return new ModelGraph(name(), "input", new int[] {IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE}, "logits", nodes,
                ModelGraph.Output.LOGITS);
    }

    /** Parses A|B|C|D (case-insensitive) with a one-line error otherwise. */
    public static Architecture parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SecureNnException.usage("unknown network '" + s + "' (expected A, B, C or D)");
        }
    }
}
