package io.securenn.cli;

import io.securenn.Json;
import io.securenn.data.Datasets;
import io.securenn.job.HeapPlan;
import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.train.EpochMetrics;
import io.securenn.train.OwnedDataFeed;
import io.securenn.train.LrSchedule;
import io.securenn.train.TrainConfig;
import io.securenn.train.Trainer;
import io.securenn.train.DataFeed;
import io.securenn.train.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code securenn train}: SGD training of network A–D (plaintext variants; the secure one is added later). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train network A, B, C or D on MNIST-like data.",
                "Learning rate 2^-K and 1/batch are applied by truncation; the last partial batch of an epoch is "
                        + "dropped. Metrics (per-epoch loss and accuracy) are aggregates revealed to the model owner."})
public final class TrainCommand implements Runnable, JvmPlan.Planned {
    @Spec
    CommandSpec spec;

    @Option(names = "--network", required = true, paramLabel = "A|B|C|D", description = "Network (SecureNN's letters).")
    String network;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "mnist|fashion|DIR",
            description = "Dataset: mnist (data/mnist, see scripts/fetch-mnist.sh), fashion "
                    + "(/usr/share/datasets/fashion-mnist) or a directory of IDX files (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--epochs", defaultValue = "15", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size, a power of two (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr-shift", paramLabel = "K", description = "Learning rate 2^-K (default: "
            + "square loss 4 for A; asm: 7 for A, 5 otherwise, the paper's; B, C and D with the square or hinge "
            + "loss: the measured recipe, momentum 1-2^-3 with --lr-schedule " + RECIPE_SCHEDULE + ", and for C the hinge "
            + "loss unless --loss is given; none of it when --lr-shift, --lr-schedule or --momentum-shift is given).")
    Integer lrShift;

    @Option(names = "--lr-schedule", paramLabel = "E:K[,E:K…]",
            description = "Change the learning rate by epoch: from epoch E on, 2^-K (e.g. 1:5,2:4,11:5,14:6: a warm-up "
                    + "epoch, then 2^-4, then decay). Epochs before the first entry use --lr-shift. Public, so free "
                    + "in a secure run (default: none, --lr-shift throughout).")
    String lrSchedule;

    @Option(names = "--momentum-shift", paramLabel = "M",
            description = "SGD with heavy-ball momentum μ = 1 − 2^-M (v ← μ·v + g, W ← W − 2^-K·v; steps settle at "
                    + "2^M times plain SGD's, so lower the rate by M bits for the same step); local in a secure run, "
                    + "one more weight-sized tensor per party in memory and checkpoints (default: 3 in B's, C's and D's recipe, "
                    + "see --lr-shift; otherwise 0, plain SGD).")
    Integer momentumShiftOption;

    /**
     * B's, C's and D's defaults, as measured in docs/NETWORKS.md §10 (15 epochs: B with the square loss 99.04 %,
     * the paper 98.77 %; C with the hinge loss 99.33 %, the paper 99.15 %; D 98.52 %, plain SGD 96.71 %). With 3
     * bits of momentum a shift K moves like plain SGD at 2^-(K-3): after a warm-up epoch they run at the
     * equivalent of 2^-1, then decay twice.
     */
    static final String RECIPE_SCHEDULE = "1:7,2:4,9:5,13:6";
    static final int RECIPE_MOMENTUM = 3;

    /** Whether B/C/D's measured recipe applies: a non-ASM loss and no rate or momentum option of the user's. */
    static boolean recipeApplies(Architecture a, Loss l, Integer lrShift, String lrSchedule, Integer momentumShift) {
        return a != Architecture.A && l != Loss.ASM
                && lrShift == null && lrSchedule == null && momentumShift == null;
    }

    private int momentumShift;

    @Option(names = "--master-bits", defaultValue = "0", paramLabel = "P",
            description = "SGD updates master weights with P more fractional bits than the 13 the forward pass uses "
                    + "(at most log2 batch with momentum), so steps below 2^-13 are not lost to rounding noise; local "
                    + "in a secure run, one more weight-sized tensor (default: ${DEFAULT-VALUE}, none).")
    int masterBits;

    @Option(names = "--loss", paramLabel = "asm|square|hinge",
            description = "Output layer and loss: square (½‖z − y‖² on the logits), hinge (squared hinge on the "
                    + "logits: the true class ≥ 1, the others ≤ 0, satisfied margins add nothing; one ReLU more) or "
                    + "asm (the paper's ReLU(z)/ΣReLU(z) with δ = ASM − y) (default: hinge for C in its recipe, see "
                    + "--lr-shift; square otherwise).")
    String loss;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images.")
    Integer limit;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights, the batch order and "
            + "the twin's simulated truncation shares (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write per-epoch metrics as JSON.")
    Path json;

    @Option(names = "--save-model", paramLabel = "FILE", description = "Write the trained model (model file format, "
            + "docs/NETWORKS.md).")
    Path saveModel;

    @Option(names = "--progress", defaultValue = "0", paramLabel = "N",
            description = "Print running loss and accuracy every N batches (default: 0, per epoch only).")
    int progress;

    @Option(names = "--test-every-epoch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Evaluate the test accuracy after every epoch, not only after the last (default: true).")
    boolean testEveryEpoch;

    @Option(names = "--metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Reveal the aggregate training loss and accuracy to P0, the model owner's proxy, per epoch "
                    + "(and per --progress interval); --no-metrics reveals none of them (default: true).")
    boolean metrics;

    @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate on the first N test images only; 0 "
            + "skips the test evaluation (default: the whole test set).")
    Integer testLimit;

    @Option(names = "--checkpoint-dir", defaultValue = "checkpoints", paramLabel = "DIR",
            description = "Where each party writes its checkpoints, in its own subdirectory DIR/P<N> (default: "
                    + "${DEFAULT-VALUE}). A checkpoint holds the party's shares: keep it private.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
            description = "Write a checkpoint every N batches and at each epoch's end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the newest checkpoint that all three parties hold "
            + "(started with the same options; pair keys are agreed afresh).")
    boolean resume;

    @Option(names = "--shares", paramLabel = "DIR", description = "Train on a data owner's shares (made by "
            + "'securenn share --dataset'): each party reads its own DIR/data-P<N>.snns; --dataset is not read.")
    Path shares;

    @Option(names = "--model-shares", paramLabel = "DIR", description = "Start from a model owner's shares (made by "
            + "'securenn share --model'): each party reads DIR/model-P<N>.snns instead of the seeded initial weights.")
    Path modelShares;

    @Option(names = "--save-model-shares", paramLabel = "DIR", description = "Do not reveal the trained model: each "
            + "party writes its share to DIR/trained-P<N>.snns for the model owner ('securenn reveal').")
    Path saveModelShares;

    @Option(names = "--stop-after", hidden = true, paramLabel = "N",
            description = "Testing aid: end the process abruptly after N batches (simulates a crash).")
    Integer stopAfter;

    @Mixin
    BackendOptions backend = new BackendOptions();

    static int defaultLrShift(Architecture a, Loss l) {
        if (l == Loss.ASM) return a == Architecture.A ? 7 : 5;
        return a == Architecture.A ? 4 : 5;
    }

    @Override
    public void run() {
        backend.validate();
        if (epochs < 1) throw io.securenn.SecureNnException.usage("--epochs must be at least 1");
        Architecture arch = Architecture.parse(network);
        boolean cRecipeLoss = loss == null && arch == Architecture.C
                && recipeApplies(arch, Loss.HINGE, lrShift, lrSchedule, momentumShiftOption);
        Loss lossFn = cRecipeLoss ? Loss.HINGE : Loss.parse(loss == null ? "square" : loss);
        boolean recipe = recipeApplies(arch, lossFn, lrShift, lrSchedule, momentumShiftOption);
        if (recipe) lrSchedule = RECIPE_SCHEDULE;
        momentumShift = recipe ? RECIPE_MOMENTUM : momentumShiftOption == null ? 0 : momentumShiftOption;
        int k = lrShift != null ? lrShift : defaultLrShift(arch, lossFn);
        if (testLimit != null && testLimit < 0) throw io.securenn.SecureNnException.usage("--test-limit must not be negative");
        if (testLimit != null && shares != null) {
            throw io.securenn.SecureNnException.usage("--test-limit works with --dataset, not with --shares");
        }
        if (!metrics && progress > 0) throw io.securenn.SecureNnException.usage("--progress needs metrics (drop --no-metrics)");
        boolean evaluate = testLimit == null || testLimit > 0;
        LrSchedule schedule = lrSchedule == null ? LrSchedule.constant(k) : LrSchedule.parse(lrSchedule, k);
        TrainConfig cfg = new TrainConfig(epochs, batch, schedule, lossFn, seed, metrics, testEveryEpoch, progress, evaluate,
                momentumShift, masterBits);
        if ((shares != null || modelShares != null || saveModelShares != null) && !backend.secure()) {
            throw io.securenn.SecureNnException.usage("--shares, --model-shares and --save-model-shares need a secure run");
        }
        if (saveModelShares != null && saveModel != null) {
            throw io.securenn.SecureNnException.usage("--save-model reveals the model to P0: use it or --save-model-shares, not both");
        }
        Datasets.Split data = shares == null ? Datasets.load(dataset) : null;
        var train = data == null ? null : limit != null ? data.train().limit(limit) : data.train();
        int ownParty = Math.max(0, backend.parties.partyId());
        int trainCount = train != null ? train.count() : (int) io.securenn.data.ShareFile.read(
                io.securenn.data.ShareFile.path(shares, "data", ownParty), "data", ownParty).publicInt("train.count");
        PrintWriter out = spec.commandLine().getOut();
        if (backend.reporterProcess()) out.printf(Locale.ROOT, "training network %s (%s backend) on %s: %d images, batch %d, lr %s, loss %s, %d epochs, seed %d%n",
                arch, backend.backendName(), shares != null ? "shares in " + shares : dataset, trainCount, batch,
                schedule.isConstant() ? "2^-" + schedule.shiftAt(1) : "schedule " + schedule.describe(),
                lossFn.cliName() + (momentumShift > 0 ? ", momentum 1-2^-" + momentumShift : "")
                        + (masterBits > 0 ? ", master weights +" + masterBits + " bits" : ""), epochs, seed);
        out.flush();
        ModelWeights init = Init.draw(arch, seed);
        List<EpochMetrics> epochsDone = new ArrayList<>();
        String params = String.join(" ", "network=" + arch, "dataset=" + (shares != null ? "shares" : dataset),
                "images=" + trainCount, "model=" + (modelShares != null ? "shares" : "seeded"),
                "epochs=" + epochs, "batch=" + batch, "lr=" + (schedule.isConstant() ? schedule.shiftAt(1) + "" : k + " lr-schedule=" + schedule.describe()), "loss=" + lossFn.cliName(), "seed=" + seed + (momentumShift > 0 ? " momentum=" + momentumShift : "")
                        + (masterBits > 0 ? " master-bits=" + masterBits : ""),
                "metrics=" + cfg.metrics(), "test-every-epoch=" + testEveryEpoch,
                "test-limit=" + (testLimit == null ? "all" : testLimit), "progress=" + progress);
        ModelWeights trained = backend.with(seed, "train", params, new BackendOptions.BackendUser<>() {
            @Override
            public <V> ModelWeights run(Backend<V> be, boolean reporter) {
                io.securenn.runtime.PartyContext ctx = be instanceof io.securenn.nn.secure.SecureBackend sb ? sb.context() : null;
                Checkpoints.Codec<V> codec = codecFor(be);
                Network<V> net = Network.build(be, modelShares == null ? init : ModelWeights.placeholder(arch));
                // before a resume loads them
                if (cfg.momentumShift() > 0) net.enableMomentum();
                if (cfg.masterBits() > 0) net.enableMasterWeights(cfg.masterBits());
                if (modelShares != null) {
                    List<long[]> mine = ShareCommand.modelShares(modelShares, "model", ctx.id(), arch);
                    var ps = net.parameters();
                    for (int i = 0; i < ps.size(); i++) ps.get(i).set(codec.load(mine.get(i), ps.get(i).size()));
                }
                DataFeed<V> feed = shares == null ? new OwnedDataFeed<>(be, train,
                        testLimit != null && testLimit > 0 ? data.test().limit(testLimit) : data.test()) : sharedFeed(be, ctx.id());
                if (codec == null && resume) throw io.securenn.SecureNnException.usage("--resume is not supported with --float64");
                Checkpoints<V> ckpt = codec == null ? null : new Checkpoints<>(
                        checkpointDir.resolve("P" + (ctx == null ? 0 : ctx.id())), checkpointEvery, ctx, codec, net);
                Trainer.Position<V> from = Trainer.Position.start();
                if (ckpt == null) {
                    // the float64 reference keeps no checkpoints
                } else if (resume) {
                    from = ckpt.resume();
                    if (reporter) {
                        out.printf(Locale.ROOT, "resumed run %s from epoch %d batch %d%n", ckpt.runIdHex().substring(0, 8),
                                from.epoch(), from.nextBatch());
                        out.flush();
                    }
                } else {
                    ckpt.startNewRun();
                }
                Trainer.BatchHook<V> save = ckpt == null ? (p, n) -> { } : ckpt.hook();
                int batchesPerEpoch = trainCount / batch;
                TrainingProgress bar = reporter ? TrainingProgress.open("train " + arch,
                        (long) batchesPerEpoch * (epochs - from.epoch() + 1) - from.nextBatch(),
                        () -> ctx == null ? 0 : ctx.stats().bytesSent()) : null;
                int[] done = {0};
                Trainer<V> trainer = new Trainer<>(net, feed, cfg,
                        new Trainer.Listener() {
                            @Override
                            public void onProgress(int epoch, int b, int batches, double l, double acc) {
                                if (!reporter) return;
                                if (bar != null) bar.loss(l);
                                out.printf(Locale.ROOT, "  epoch %d batch %d/%d: loss %.4f, train %.2f %%%n",
                                        epoch, b, batches, l, 100 * acc);
                                out.flush();
                            }

                            @Override
                            public void onEpoch(EpochMetrics m) {
                                if (!reporter) return;
                                if (bar != null) bar.loss(m.loss());
                                epochsDone.add(m);
                                out.println(formatEpoch(m, epochs));
                                out.flush();
                                if (json != null) {
                                    Json.writeFile(json, document(arch, lossFn, k, trainCount, epochsDone));
                                    writeChart(arch, epochsDone);
                                }
                            }
                        });
                trainer.resumeFrom(from).onBatch((next, n) -> {
                    save.afterBatch(next, n);
                    if (bar != null) bar.batchDone(next.nextBatch() == 0 ? next.epoch() - 1 : next.epoch());
                    if (stopAfter != null && ++done[0] >= stopAfter) Runtime.getRuntime().halt(99);
                });
                try {
                    trainer.run();
                } finally {
                    if (bar != null) bar.close();
                }
                if (saveModelShares == null) return net.revealWeights();
                java.util.Map<String, long[]> mine = new java.util.LinkedHashMap<>();
                var shapes = arch.parameterShapes();
                var ps = net.parameters();
                for (int i = 0; i < ps.size(); i++) mine.put(shapes.get(i).name(), codec.export(ps.get(i).value()));
                io.securenn.data.ShareFile.writeValues(io.securenn.data.ShareFile.path(saveModelShares, "trained", ctx.id()),
                        ctx.id(), "trained", java.util.Map.of("architecture", (long) arch.ordinal()), mine);
                return null;
            }
        });
        if (!backend.reporterProcess()) {
            out.println("party P" + backend.parties.partyId() + " done (results go to P0, the model owner's proxy)");
            out.flush();
            return;
        }
        EpochMetrics last = epochsDone.get(epochsDone.size() - 1);
        if (!Double.isNaN(last.testAccuracy())) {
            out.printf(Locale.ROOT, "test accuracy %.2f %% after %d epochs%s%n", 100 * last.testAccuracy(), epochs,
                    testLimit == null ? "" : " (first " + Math.min(testLimit, data.test().count()) + " test images)");
        }
        if (saveModelShares != null) out.println("model shares written to " + saveModelShares
                + "/trained-P<N>.snns (the model owner reconstructs it with 'securenn reveal')");
        if (saveModel != null) {
            ModelFile.write(saveModel, trained);
            out.println("model written to " + saveModel);
        }
        out.flush();
    }

    /** The loss and accuracy curves beside the JSON metrics (FILE.json gives FILE.png). */
    private void writeChart(Architecture arch, List<EpochMetrics> done) {
        String name = json.getFileName().toString();
        Path png = json.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".png");
        List<Integer> xs = new ArrayList<>();
        List<Double> loss = new ArrayList<>(), train = new ArrayList<>(), test = new ArrayList<>();
        for (EpochMetrics m : done) {
            xs.add(m.epoch());
            loss.add(m.loss());
            train.add(m.trainAccuracy());
            test.add(m.testAccuracy());
        }
        try {
            io.securenn.bench.Charts.curvesPng(png, "network " + arch + " (" + backend.backendName() + ")", xs, List.of(
                    new io.securenn.bench.Charts.Series("loss", loss),
                    new io.securenn.bench.Charts.Series("train accuracy", train),
                    new io.securenn.bench.Charts.Series("test accuracy", test)));
        } catch (java.io.IOException e) {
            throw io.securenn.SecureNnException.badInput("cannot write " + png + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private <V> DataFeed<V> sharedFeed(Backend<V> be, int party) {
        var sb = (io.securenn.nn.secure.SecureBackend) be;
        var file = io.securenn.data.ShareFile.read(io.securenn.data.ShareFile.path(shares, "data", party), "data", party);
        return (DataFeed<V>) new io.securenn.train.SharedDataFeed(sb, file);
    }

    @SuppressWarnings("unchecked")
    static <V> Checkpoints.Codec<V> codecFor(Backend<V> be) {
        if (be instanceof io.securenn.nn.secure.SecureBackend sb) {
            return (Checkpoints.Codec<V>) new Checkpoints.Codec<io.securenn.nn.secure.Secret>() {
                @Override
                public long[] export(io.securenn.nn.secure.Secret v) {
                    long[] s = sb.shareOf(v);
                    return s == null ? new long[0] : s;
                }

                @Override
                public io.securenn.nn.secure.Secret load(long[] stored, int length) {
                    return sb.fromShare(stored.length == 0 ? null : stored, length);
                }
            };
        }
        if (be instanceof io.securenn.nn.PlainFixedBackend) {
            return (Checkpoints.Codec<V>) new Checkpoints.Codec<long[]>() {
                @Override
                public long[] export(long[] v) {
                    return v;
                }

                @Override
                public long[] load(long[] stored, int length) {
                    return stored;
                }
            };
        }
        return null;   // the float64 reference: no checkpoints
    }

    @Override
    public long heapMb() {
        int parties = backend.plaintext || backend.parties.perProcess() ? 1 : 3;
        return HeapPlan.heapMb(Architecture.parse(network), batch, true, parties, shares == null);
    }

    static String formatEpoch(EpochMetrics m, int epochs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d: loss %s, train %s, test %s, %.1f s", m.epoch(), epochs,
                Double.isNaN(m.loss()) ? "-" : String.format(Locale.ROOT, "%.4f", m.loss()),
                percent(m.trainAccuracy()), percent(m.testAccuracy()), m.seconds()));
        long sent = 0;
        for (int p = 0; p < 3; p++) sent += m.counters().getOrDefault("bytes_P" + p, 0).longValue();
        if (sent > 0) sb.append(String.format(Locale.ROOT, ", %,.1f MB sent by all parties in %d rounds", sent / 1e6,
                m.counters().getOrDefault("rounds", 0).longValue()));
        if (m.counters().containsKey("peak_rss_mb_P0")) {
            sb.append(", peak RSS MB");
            for (int p = 0; p < 3; p++) {
                Number v = m.counters().get("peak_rss_mb_P" + p);
                sb.append(p == 0 ? " " : "/").append(v == null ? "-" : String.format(Locale.ROOT, "%.0f", v.doubleValue()));
            }
        }
        Number fails = m.counters().get("truncation_failures");
        Number expected = m.counters().get("expected_truncation_failures");
        if (fails != null && expected != null) {
            sb.append(String.format(Locale.ROOT, ", truncation failures %d (expected %.2e of %d truncations)",
                    fails.longValue(), expected.doubleValue(), m.counters().get("truncations").longValue()));
        }
        return sb.toString();
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    /** Per-party counters of the secure backend written as one object per epoch (resident memory, MB). */
    private static final List<String> PER_PARTY_MB = List.of("peak_rss_mb", "rss_mb");

    private Map<String, Object> document(Architecture arch, Loss lossFn, int k, int images, List<EpochMetrics> done) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("network", arch.name());
        doc.put("loss_function", lossFn.cliName());
        doc.put("backend", backend.backendName());
        doc.put("dataset", dataset);
        doc.put("train_images", images);
        doc.put("batch", batch);
        doc.put("lr_shift", k);
        if (lrSchedule != null) doc.put("lr_schedule", LrSchedule.parse(lrSchedule, k).describe());
        doc.put("seed", seed);
        if (momentumShift > 0) doc.put("momentum_shift", momentumShift);
        if (masterBits > 0) doc.put("master_bits", masterBits);
        List<Object> es = new ArrayList<>();
        for (EpochMetrics m : done) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", m.epoch());
            if (lrSchedule != null) e.put("lr_shift", LrSchedule.parse(lrSchedule, k).shiftAt(m.epoch()));
            e.put("loss", m.loss());
            e.put("train_accuracy", m.trainAccuracy());
            e.put("test_accuracy", m.testAccuracy());
            e.put("seconds", m.seconds());
            Map<String, Object> bytes = new LinkedHashMap<>();
            for (String p : List.of("P0", "P1", "P2")) bytes.put(p, m.counters().getOrDefault("bytes_" + p, 0));
            e.put("bytes", bytes);
            // per-party memory as {"P0": .., "P1": .., "P2": ..}, like bytes
            for (String name : PER_PARTY_MB) {
                if (!m.counters().containsKey(name + "_P0")) continue;
                Map<String, Object> per = new LinkedHashMap<>();
                for (String p : List.of("P0", "P1", "P2")) per.put(p, m.counters().get(name + "_" + p));
                e.put(name, per);
            }
            m.counters().forEach((key, v) -> {
                if (!key.startsWith("bytes_") && !PER_PARTY_MB.contains(key.replaceFirst("_P[0-2]$", ""))) e.put(key, v);
            });
            es.add(e);
        }
        doc.put("epochs", es);
        doc.put("test_accuracy", done.get(done.size() - 1).testAccuracy());
        return doc;
    }
}
