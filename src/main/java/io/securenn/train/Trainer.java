package io.securenn.train;

import io.securenn.model.GraphModel;
import io.securenn.model.ModelGraph;
import io.securenn.nn.Backend;
import io.securenn.nn.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch SGD of a model graph (one of the networks A–D or an imported model) over any backend: the same code
 * trains the fixed-point twin, the float64 reference and (with a secure backend) the shared model. Per batch: forward (keeping DReLU bits and one-hots), δ at the
 * logits from the loss, backward with the SGD update. Per epoch: the revealed aggregates (loss, training accuracy)
 * and the test accuracy.
 */
public final class Trainer<V> {

    /** Progress and epoch callbacks (all optional). */
    public interface Listener {
        default void onProgress(int epoch, int batch, int batches, double loss, double trainAccuracy) {}

        default void onEpoch(EpochMetrics m) {}
    }

    private final GraphModel<V> net;
    private final Backend<V> be;
    private final DataFeed<V> feed;
    private final TrainConfig cfg;
    private final Listener listener;

    public Trainer(GraphModel<V> net, DataFeed<V> feed, TrainConfig cfg, Listener listener) {
        ModelGraph g = net.graph();
        String what = (g.name().matches("[ABCD]") ? "network " : "model ") + g.name();
        if (ModelGraph.size(feed.imageShape()) != g.inputSize()) {
            throw io.securenn.SecureNnException.badInput("images are " + dims(feed.imageShape()) + ", " + what + " needs "
                    + g.inputSize() + " pixels (" + dims(g.inputShape()) + ")");
        }
        if (feed.classes() != g.classes()) {
            throw io.securenn.SecureNnException.badInput("the dataset has " + feed.classes() + " classes, " + what
                    + " has " + g.classes());
        }
        cfg.validated();
        if (feed.trainCount() < cfg.batch()) {
            throw io.securenn.SecureNnException.usage("batch size " + cfg.batch() + " exceeds the "
                    + feed.trainCount() + " training images");
        }
        this.net = net;
        // idempotent; a resumed run has loaded its velocities and master weights already
        if (cfg.momentumShift() > 0) net.enableMomentum();
        if (cfg.masterBits() > 0) net.enableMasterWeights(cfg.masterBits());
        this.be = net.backend();
        this.feed = feed;
        this.cfg = cfg;
        this.listener = listener != null ? listener : new Listener() {};
    }

    /**
     * Where a run continues from: the first batch still to do in an epoch and the epoch's running metric sums
     * so far (null before the first batch or without metrics).
     */
    public record Position<V>(int epoch, int nextBatch, V lossSum, V correctSum) {
        public static <V> Position<V> start() {
            return new Position<>(1, 0, null, null);
        }
    }

    /** Called after every batch at every party (SPMD), e.g. to write checkpoints. */
    public interface BatchHook<V> {
        void afterBatch(Position<V> next, int batchesPerEpoch);
    }

    private Position<V> from = Position.start();
    private BatchHook<V> hook = (p, n) -> { };

    /** Continues from a checkpoint's position instead of the first batch of epoch 1. */
    public Trainer<V> resumeFrom(Position<V> p) {
        if (p.epoch() < 1 || p.epoch() > cfg.epochs() + 1 || p.nextBatch() < 0) {
            throw io.securenn.SecureNnException.badInput("checkpoint position epoch " + p.epoch() + " batch "
                    + p.nextBatch() + " is outside this run's " + cfg.epochs() + " epochs");
        }
        this.from = p;
        return this;
    }

    public Trainer<V> onBatch(BatchHook<V> h) {
        this.hook = h;
        return this;
    }

    public List<EpochMetrics> run() {
        be.takeCounters(); // start the first epoch's counters from zero
        List<EpochMetrics> out = new ArrayList<>();
        for (int e = from.epoch(); e <= cfg.epochs(); e++) {
            Position<V> start = e == from.epoch() ? from : new Position<>(e, 0, null, null);
            EpochMetrics m = runEpoch(start, cfg.evaluate() && (cfg.testEachEpoch() || e == cfg.epochs()));
            out.add(m);
            listener.onEpoch(m);
        }
        return out;
    }

    /** C×H×W, or H×W for one channel. */
    static String dims(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int k = shape.length == 3 && shape[0] == 1 ? 1 : 0; k < shape.length; k++) b.append(b.isEmpty() ? "" : "×").append(shape[k]);
        return b.toString();
    }

    /** The data owner's batch order of an epoch: a seeded Fisher–Yates shuffle of 0..n−1. */
    public static int[] order(long seed, int epoch, int n) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    EpochMetrics runEpoch(int epoch, boolean evaluateTest) {
        return runEpoch(new Position<>(epoch, 0, null, null), evaluateTest);
    }

    EpochMetrics runEpoch(Position<V> start, boolean evaluateTest) {
        long t0 = System.nanoTime();
        int epoch = start.epoch();
        int b = cfg.batch(), classes = feed.classes();
        int batches = feed.trainCount() / b; // the last partial batch is dropped
        int[] order = order(cfg.seed(), epoch, feed.trainCount());
        Sgd sgd = cfg.sgd(epoch);
        boolean within = cfg.schedule().changesWithin(epoch);
        V lossAcc = start.lossSum(), correctAcc = start.correctSum();
        for (int k = start.nextBatch(); k < batches; k++) {
            DataFeed.Batch<V> batch = feed.train(Arrays.copyOfRange(order, k * b, (k + 1) * b));
            V z = net.forward(batch.images(), b, true);
            V delta = cfg.loss().delta(be, z, batch.labelsFixed(), b, classes);
            if (cfg.metrics()) {
                lossAcc = Metrics.accumulate(be, lossAcc, Metrics.squaredSum(be, delta));
                correctAcc = Metrics.accumulate(be, correctAcc, Metrics.correctPlusBatch(be, z, batch.labelIndex(), b, classes));
            }
            if (within) sgd = cfg.sgd(epoch, k);
            net.backward(delta, b, sgd);
            hook.afterBatch(k + 1 < batches ? new Position<>(epoch, k + 1, lossAcc, correctAcc)
                    : new Position<>(epoch + 1, 0, null, null), batches);
            if (cfg.metrics() && cfg.progressEvery() > 0 && (k + 1) % cfg.progressEvery() == 0 && k + 1 < batches) {
                int seen = (k + 1) * b;
                listener.onProgress(epoch, k + 1, batches, meanLoss(lossAcc, seen), accuracy(correctAcc, seen));
            }
        }
        int seen = batches * b;
        double loss = cfg.metrics() ? meanLoss(lossAcc, seen) : Double.NaN;
        double trainAcc = cfg.metrics() ? accuracy(correctAcc, seen) : Double.NaN;
        double testAcc = evaluateTest ? Evaluator.accuracy(net, feed, b) : Double.NaN;
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochMetrics(epoch, batches, loss, trainAcc, testAcc, seconds, be.takeCounters());
    }

    /** ½·Σδ² / examples, from the revealed FIXED sum. */
    private double meanLoss(V sum, int examples) {
        long[] v = be.reveal(sum, Backend.Encoding.FIXED);
        return v == null ? Double.NaN : io.securenn.ring.FixedPoint.decode(v[0]) / 2 / examples;
    }

    /** From the revealed Σ (B + correct) over batches. */
    private double accuracy(V sum, int examples) {
        long[] v = be.reveal(sum, Backend.Encoding.INTEGER);
        return v == null ? Double.NaN : (double) (v[0] - examples) / examples;
    }
}
