package io.securenn.job;

import io.securenn.model.Architecture;
import io.securenn.model.ModelGraph;
import io.securenn.model.Node;
import io.securenn.model.Op;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.SessionParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM options of a process that runs parties: the serial collector, which grows the heap only when a full
 * collection cannot make room, with a heap limit sized from the job, so the resident memory stays near the live
 * set instead of growing with the collector's appetite (the parallel collector's default policy let a party of
 * network C reach 3–4 GB, with a live set under 0.4 GB: docs/benchmarks/memory.md).
 *
 * <p>The per-image figures are the smallest heaps each network's benchmark rows ran in (bisected at batch 128,
 * scripts/heap-bisect.sh), with a margin; the launcher asks for a command's options with
 * {@code java -cp securenn.jar io.securenn.cli.JvmPlan ARGS…} (the command line's jobs size themselves here), and
 * {@code bench networks} sizes each party process of a row the same way. SECURENN_JAVA_OPTS and
 * {@code --jvm-options} override it.
 */
public final class HeapPlan {
    private HeapPlan() {}

    /**
     * The collector every plan uses, and the periodic return of the C heap's free memory to the system (the JIT's
     * transient allocations otherwise stay resident: about 10 MB of a C inference party's peak).
     */
    public static final String COLLECTOR = "-XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000";
    /** Heap a party needs whatever the batch (classes, TLS, streams, the model), MB. */
    public static final long BASE_MB = 48;
    /** A loaded dataset (MNIST's 70 000 images and labels as bytes, and what reading them takes), MB. */
    public static final long DATASET_MB = 96;
    /**
     * Margin over the smallest heap (less {@link #BASE_MB}): a tighter heap costs time in collections, a smaller
     * one fails. Inference runs closer to its live set (the reference's 274 MB for C inference leaves little room
     * above the JVM's own ~90 MB and the TLS library's); training, whose target is 1.19 GB, gets more room for fewer
     * collections.
     */
    public static final double INFERENCE_MARGIN = 1.2, TRAINING_MARGIN = 1.5;

    /**
     * Live heap of one party per image of a batch, MB: the smallest heap in which the row ran at batch 128
     * (bisected with -XX:+UseSerialGC in 32 MB steps: docs/benchmarks/memory.md), less {@link #BASE_MB}, over 128.
     * A and D ran in less than BASE_MB at batch 128; their figures are a floor for larger batches.
     */
    public static double perImageMb(Architecture a, boolean training) {
        return switch (a) {
            case A -> training ? 0.15 : 0.10;
            case B -> training ? 0.83 : 0.56;
            case C -> training ? 1.44 : 0.83;
            case D -> training ? 0.30 : 0.15;
        };
    }

    /** Heap one party needs for one batch, MB (with the margin). */
    public static long partyHeapMb(Architecture a, int batch, boolean training) {
        double margin = training ? TRAINING_MARGIN : INFERENCE_MARGIN;
        return BASE_MB + (long) Math.ceil(margin * perImageMb(a, training) * Math.max(1, batch));
    }

    /**
     * Heap one party keeps for the stationary weight masks of a model of this many parameters (docs/PROTOCOLS.md,
     * "Stationary weight masks": P0 and P1 the opened F, P2 V, 8 bytes per value) in an inference session of several
     * batches under this budget ({@code SessionParams.weightMaskBudget}), MB; 0 where the model's weights are masked
     * per product (over the budget, or a budget of 0).
     */
    public static long weightMasksMb(long parameters, long budget) {
        return SessionParams.defaults().withWeightMaskBudget(budget).masksWeightsOnce(parameters)
                ? (long) Math.ceil(8.0 * parameters / 1e6) : 0;
    }

    /** Heap of a process running `parties` parties of the job, and the dataset if it loads one, MB. */
    public static long heapMb(Architecture a, int batch, boolean training, int parties, boolean dataset) {
        return parties * partyHeapMb(a, batch, training) + (dataset ? DATASET_MB : 0);
    }

    /**
     * Heap of a process running `parties` parties of secure inference of an ONNX model at this batch, MB, read
     * from the graph: the model (the owner's file and float64 tensors once, every party's shares), and per batch
     * the largest step (a layer's input, output and im2col matrix, as shares and the products' temporaries) plus the
     * activations alive across it (residual inputs). 0 when the file cannot be read (the run reports why).
     */
    public static long heapMbForModel(Path file, int batch, int parties) {
        return heapMbForModel(file, batch, parties, false);
    }

    /**
     * As {@link #heapMbForModel(Path, int, int)} for inference of several batches (a server's session, {@code infer}
     * of a test set): plus, per party, the stationary weight masks the budget admits ({@link #weightMasksMb}).
     */
    public static long heapMbForModel(Path file, int batch, int parties, long weightMaskBudget) {
        long mb = heapMbForModel(file, batch, parties, false);
        return mb == 0 ? 0 : mb + parties * weightMasksMb(parameters(file), weightMaskBudget);
    }

    /**
     * As {@link #heapMbForStreamedInference(Path, int, int)} for an input of several batches: plus, per party, the
     * stationary weight masks the budget admits ({@link #weightMasksMb}; a streamed model is masked once only when
     * they fit, so a large one, whose shares are streamed to save memory, stays without).
     */
    public static long heapMbForStreamedInference(Path file, int batch, int parties, long weightMaskBudget) {
        long mb = heapMbForStreamedInference(file, batch, parties);
        return mb == 0 ? 0 : mb + parties * weightMasksMb(parameters(file), weightMaskBudget);
    }

    /** The model's parameter count, read from its graph (0 when the file cannot be read). */
    private static long parameters(Path file) {
        try {
            return OnnxImporter.importGraph(file).parameterCount();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * As {@link #heapMbForModel(Path, int, int)} for training: the model's state three times over (weights, momentum
     * velocities or master copies, a step's temporaries) and what the forward pass keeps for the backward pass
     * (every layer's input, and its im2col matrix), and the dataset.
     */
    public static long heapMbForTraining(Path file, int batch, int parties) {
        long mb = heapMbForModel(file, batch, parties, true);
        return mb == 0 ? 0 : mb + DATASET_MB;
    }

    /**
     * Heap of a process running `parties` parties of secure inference of an ONNX model whose weights are streamed
     * and never held ({@code infer --model … --input}, {@code bench networks --model}: {@link InferenceJob#share}
     * with the shares regenerated), MB: per party the largest step and the activations alive across it, as in
     * {@link #heapMbForModel(Path, int, int)}, and what making the largest weight tensor's share again takes at P0
     * (its stored bytes, float64 values, layout change, encoding and the stream: about 40 bytes per value); no
     * copy of the file or of the weights.
     */
    public static long heapMbForStreamedInference(Path file, int batch, int parties) {
        try {
            if (file == null) return 0;
            ModelGraph g = OnnxImporter.importGraph(file);
            long largest = 0;
            for (Op.ParamRef r : g.parameterRefs()) largest = Math.max(largest, r.length());
            long[] sl = stepAndLive(g, batch);
            return parties * (BASE_MB + (long) Math.ceil(INFERENCE_MARGIN * (sl[0] + sl[1] + 40 * largest) / 1e6));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Comparisons of a node's DReLU: a ReLU's elements, a max pool's first tournament level (half of each window). */
    static long comparisons(Node node) {
        if (node.op() instanceof Op.Relu) return node.size();
        if (node.op() instanceof Op.MaxPool mp) return (long) node.size() * (mp.window().kh() * mp.window().kw() / 2);
        return 0;
    }

    /** Bytes of P2's helper message per comparison, at most: ⟨r⟩1, 64 Z_67 bit shares a byte each, two triples. */
    static final long DEAL_BYTES_PER_COMPARISON = HelperMessage.ringBytes(1) + HelperMessage.bitsBytes(ZpWire.BYTE, 1)
            + 2 * Beaver.dealBytes(1);

    /**
     * The largest step of a forward pass, the most activation bytes alive across a step, and the bytes a training
     * pass keeps for its backward (inputs, outputs and patch matrices of every node), at this batch. A comparison
     * layer's step includes P2's dealing message for its DReLU ({@link #DEAL_BYTES_PER_COMPARISON} per comparison):
     * P2 writes a layer's message at once and P1 reads it piece by piece as its comparisons go on, and with the
     * vector kernels P2 deals far faster than P1 compares, so P1 holds it whole in its inbox (SqueezeNet 1.1: 43.6 MB
     * queued at P1 from P2, counted in the transport; a 122 MB heap without this ran out at P1 in most runs).
     */
    private static long[] stepAndLive(ModelGraph g, int batch) {
        long step = 0, live = 0, kept = 0;
        int[] last = g.lastUse();
        for (int i = 0; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            long in = 0;
            for (int k : n.inputs()) in += ModelGraph.size(g.shapeOf(k));
            long cols = 0;
            if (n.op() instanceof Op.Conv c) {
                int[] s0 = g.shapeOf(n.inputs()[0]);
                cols = (long) n.shape()[1] * n.shape()[2] * s0[0] * c.window().kh() * c.window().kw();
            }
            long aliveAcross = 0;
            for (int k = 0; k < i; k++) if (last[k] > i) aliveAcross += g.nodes().get(k).size();
            step = Math.max(step, ((3 * in + 3 * n.size() + 2 * cols) * 8L + comparisons(n) * DEAL_BYTES_PER_COMPARISON)
                    * Math.max(1, batch));
            kept += (in + n.size() + cols) * 8L * Math.max(1, batch);
            live = Math.max(live, aliveAcross * 8L * Math.max(1, batch));
        }
        return new long[] {step, live, kept};
    }

    private static long heapMbForModel(Path file, int batch, int parties, boolean training) {
        try {
            if (file == null) return 0;
            ModelGraph g = OnnxImporter.importGraph(file);
            long fileBytes = Files.size(file);
            long paramBytes = g.parameterCount() * 8;
            long[] sl = stepAndLive(g, batch);
            long step = sl[0], live = sl[1], kept = sl[2];
            long perParty = training
                    ? BASE_MB + (long) Math.ceil(TRAINING_MARGIN * (6 * paramBytes + step + kept) / 1e6)
                    : BASE_MB + (long) Math.ceil(INFERENCE_MARGIN * (3 * paramBytes + step + live) / 1e6);
            return parties * perParty + (3 * fileBytes + 2 * paramBytes) / 1_000_000;
        } catch (RuntimeException | IOException e) {
            return 0;
        }
    }

    /**
     * What reading an input .npy of this size takes, MB: the file, its values as doubles, their fixed-point
     * encoding and a batch's share (about five times the file's bytes).
     */
    public static long inputMb(Path npy) {
        try {
            long bytes = Files.size(npy);
            return 16 + 5 * bytes / 1_000_000;
        } catch (IOException e) {
            return 16;
        }
    }

    /** The options for a heap of heapMb MB. */
    public static String options(long heapMb) {
        return COLLECTOR + " -Xmx" + heapMb + "m";
    }

    /** True if the options already choose a heap limit or a collector (then the plan adds neither). */
    public static boolean chooses(String options) {
        for (String o : options.trim().split("\\s+")) {
            if (o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize") || o.matches("-XX:\\+Use\\w+GC")) return true;
        }
        return false;
    }
}
