package io.securenn.cli;

import io.securenn.Json;
import io.securenn.SecureNnException;
import io.securenn.data.Datasets;
import io.securenn.job.Execution;
import io.securenn.job.HeapPlan;
import io.securenn.job.TrainingJob;
import io.securenn.model.Architecture;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.nn.Loss;
import io.securenn.train.EpochMetrics;
import io.securenn.train.LrSchedule;
import io.securenn.train.Recipe;
import io.securenn.train.TrainConfig;
import io.securenn.train.Trainer;
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
import java.util.function.LongSupplier;

/**
 * {@code securenn train}: parses the options into a {@link TrainingJob} and prints what the model owner's proxy
 * learns (the metrics, the JSON and charts); the job does the rest.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train network A, B, C or D, or an imported ONNX model (--model FILE.onnx), on MNIST-like data.",
                "Learning rate 2^-K and 1/batch are applied by truncation; the last partial batch of an epoch is "
                        + "dropped. Metrics (per-epoch loss and accuracy) are aggregates revealed to the model owner."})
public final class TrainCommand implements Runnable, JvmPlan.Planned {
    @Spec
    CommandSpec spec;

    @Option(names = "--network", paramLabel = "A|B|C|D", description = "Network (SecureNN's letters); or --model.")
    String network;

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "Train an imported ONNX model (Conv, Gemm, "
            + "MatMul+Add, Relu, MaxPool, AveragePool, GlobalAveragePool, Flatten/Reshape, Add, Concat, Pad, "
            + "BatchNormalization as a trainable affine) from its initial weights; its input shape and outputs must fit "
            + "the dataset. Read where P0 runs (the model owner's proxy); P1 and P2 receive the public graph from P0.")
    Path model;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "mnist|fashion|DIR",
            description = "Dataset: mnist (data/mnist, see scripts/fetch-mnist.sh), fashion "
                    + "(/usr/share/datasets/fashion-mnist) or a directory of IDX or NPY files (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--epochs", defaultValue = "15", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size, a power of two (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr-shift", paramLabel = "K", description = "Learning rate 2^-K (default: "
            + "square loss 4 for A; asm: 7 for A, 5 otherwise, the paper's; B, C, D and imported models with the square "
            + "or hinge loss: the measured recipe, momentum 1-2^-3 with --lr-schedule " + Recipe.SCHEDULE + " (imported "
            + "models: " + Recipe.IMPORTED_SCHEDULE + ", a warm-up of " + Recipe.WARMUP_BATCHES + " batches), and for C "
            + "the hinge loss unless --loss is given; none of it when --lr-shift, --lr-schedule or --momentum-shift is given).")
    Integer lrShift;

    @Option(names = "--lr-schedule", paramLabel = "E[+B]:K[,…]",
            description = "Change the learning rate by epoch or batch: from epoch E on (or from its batch B, 0-based), "
                    + "2^-K (e.g. 1:5,2:4,11:5,14:6: a warm-up epoch, then 2^-4, then decay; 1:7,1+64:4: a warm-up of "
                    + "64 batches). Positions before the first entry use --lr-shift. Public, so free in a secure run "
                    + "(default: none, --lr-shift throughout).")
    String lrSchedule;

    @Option(names = "--momentum-shift", paramLabel = "M",
            description = "SGD with heavy-ball momentum μ = 1 − 2^-M (v ← μ·v + g, W ← W − 2^-K·v; steps settle at "
                    + "2^M times plain SGD's, so lower the rate by M bits for the same step); local in a secure run, "
                    + "one more weight-sized tensor per party in memory and checkpoints (default: 3 in the recipe, "
                    + "see --lr-shift; otherwise 0, plain SGD).")
    Integer momentumShiftOption;

    /** B's, C's and D's recipe ({@link Recipe}). */
    static final String RECIPE_SCHEDULE = Recipe.SCHEDULE;

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

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights (A-D), the batch order and "
            + "the twin's simulated truncation shares (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write per-epoch metrics as JSON (and the loss and "
            + "accuracy curves beside it as PNG).")
    Path json;

    @Option(names = "--save-model", paramLabel = "FILE", description = "Write the trained model where P0 runs: a model "
            + "file (docs/NETWORKS.md) for A-D; for --model FILE.onnx the original ONNX file with the trained weights "
            + "(docs/MODELS.md).")
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

    @Override
    public void run() {
        backend.validate();
        Execution ex = backend.execution();
        if (epochs < 1) throw SecureNnException.usage("--epochs must be at least 1");
        if ((network == null) == (model == null) && (network != null || ex.reporterProcess())) {
            throw SecureNnException.usage("give --network A|B|C|D or --model FILE.onnx (one of them)");
        }
        Architecture arch = network == null ? null : Architecture.parse(network);
        if (arch == null && modelShares != null) throw SecureNnException.usage("--model-shares works with --network A-D");
        if (testLimit != null && testLimit < 0) throw SecureNnException.usage("--test-limit must not be negative");
        if (testLimit != null && shares != null) {
            throw SecureNnException.usage("--test-limit works with --dataset, not with --shares");
        }
        if (!metrics && progress > 0) throw SecureNnException.usage("--progress needs metrics (drop --no-metrics)");
        TrainConfig base = TrainConfig.defaults().withEpochs(epochs).withBatch(batch).withSeed(seed).withMetrics(metrics)
                .withTestEachEpoch(testEveryEpoch).withProgressEvery(progress).withEvaluate(testLimit == null || testLimit > 0)
                .withMasterBits(masterBits);
        Recipe.Choice choice = Recipe.resolve(base, arch, loss, lrShift, lrSchedule, momentumShiftOption);
        TrainConfig cfg = choice.config();
        // the model (at P0's process only, for an ONNX file) and the data, read and checked before any party starts
        TrainingJob.Model m;
        if (arch != null) {
            m = new TrainingJob.Builtin(arch, null, modelShares);
        } else {
            if (model != null && !model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                throw SecureNnException.usage("--model " + model + ": an ONNX model ends in .onnx (a model file of A-D "
                        + "is trained further with --model-shares, or evaluated with infer --network)");
            }
            boolean owner = ex.reporterProcess();
            byte[] bytes = owner ? OnnxImporter.readFile(model) : null;
            String file = model == null ? "model.onnx" : model.toString();
            m = new TrainingJob.Imported(owner ? OnnxImporter.importModel(bytes, file) : null, bytes, file);
        }
        TrainingJob.Data data;
        int ownParty = Math.max(0, backend.parties.partyId());
        String dataName = shares != null ? "shares in " + shares : dataset;
        if (shares != null) {
            data = new TrainingJob.SharedData(shares);
        } else {
            Datasets.Split split = Datasets.load(dataset);
            data = new TrainingJob.PublicData(dataset, limit != null ? split.train().limit(limit) : split.train(),
                    testLimit != null && testLimit > 0 ? split.test().limit(testLimit) : split.test());
        }
        // every party must agree on the reveal at the end: P0 learns the trained model unless the servers keep it as
        // shares (whether P0 writes it, --save-model, is P0's own business)
        TrainingJob.Spec job = TrainingJob.Spec.of(m, data, cfg)
                .withCheckpoints(new TrainingJob.Checkpointing(checkpointDir, checkpointEvery, resume))
                .withRevealModel(saveModelShares == null)
                .withSaveModel(saveModel).withSaveModelShares(saveModelShares).withStopAfter(stopAfter);
        int trainCount = TrainingJob.trainImages(data, ownParty);
        String modelName = arch != null ? "network " + arch : "model " + (model == null ? "(from P0)" : model.getFileName());
        PrintWriter out = spec.commandLine().getOut();
        LrSchedule schedule = cfg.schedule();
        if (ex.reporterProcess()) {
            TrainingJob.check(ex, job);   // before any party starts
            out.printf(Locale.ROOT, "training %s (%s backend) on %s: %d images, batch %d, lr %s, loss %s, %d epochs, seed %d%n",
                    modelName, ex.backendName(), dataName, trainCount, batch,
                    schedule.isConstant() ? "2^-" + schedule.shiftAt(1) : "schedule " + schedule.describe(),
                    cfg.loss().cliName() + (cfg.momentumShift() > 0 ? ", momentum 1-2^-" + cfg.momentumShift() : "")
                            + (masterBits > 0 ? ", master weights +" + masterBits + " bits" : ""), epochs, seed);
            out.flush();
        }
        List<EpochMetrics> epochsDone = new ArrayList<>();
        String chartTitle = modelName + " (" + ex.backendName() + ")";
        TrainingJob.Result result = TrainingJob.run(ex, job, new TrainingJob.Listener() {
            TrainingProgress bar;

            @Override
            public void started(Trainer.Position<?> from, boolean resumed, String runId, long batches, LongSupplier bytesSent) {
                if (resumed) {
                    out.printf(Locale.ROOT, "resumed run %s from epoch %d batch %d%n", runId.substring(0, 8),
                            from.epoch(), from.nextBatch());
                    out.flush();
                }
                bar = TrainingProgress.open("train " + (arch != null ? arch : String.valueOf(model.getFileName())), batches, bytesSent);
            }

            @Override
            public void batchDone(Trainer.Position<?> next) {
                if (bar != null) bar.batchDone(next.nextBatch() == 0 ? next.epoch() - 1 : next.epoch());
            }

            @Override
            public void progress(int epoch, int b, int batches, double l, double acc) {
                if (bar != null) bar.loss(l);
                out.printf(Locale.ROOT, "  epoch %d batch %d/%d: loss %.4f, train %.2f %%%n", epoch, b, batches, l, 100 * acc);
                out.flush();
            }

            @Override
            public void epoch(EpochMetrics em) {
                if (bar != null) bar.loss(em.loss());
                epochsDone.add(em);
                out.println(formatEpoch(em, epochs));
                out.flush();
                if (json != null) {
                    Json.writeFile(json, document(arch, choice, trainCount, epochsDone, ex));
                    writeChart(chartTitle, epochsDone);
                }
            }

            @Override
            public void ended() {
                if (bar != null) bar.close();
            }
        });
        if (result == null) {
            out.println("party P" + backend.parties.partyId() + " done (results go to P0, the model owner's proxy)");
            out.flush();
            return;
        }
        EpochMetrics last = epochsDone.isEmpty() ? null : epochsDone.get(epochsDone.size() - 1);
        if (last == null) out.println("nothing left to train: the checkpoint is at the end of the run's " + epochs + " epochs");
        if (last != null && !Double.isNaN(last.testAccuracy())) {
            out.printf(Locale.ROOT, "test accuracy %.2f %% after %d epochs%s%n", 100 * last.testAccuracy(), epochs,
                    testLimit == null ? "" : " (first " + ((TrainingJob.PublicData) data).test().count() + " test images)");
        }
        if (saveModelShares != null) out.println("model shares written to " + saveModelShares
                + "/trained-P<N>.snns (the model owner reconstructs it with 'securenn reveal')");
        if (saveModel != null) out.println("model written to " + saveModel);
        out.flush();
    }

    /** The loss and accuracy curves beside the JSON metrics (FILE.json gives FILE.png). */
    private void writeChart(String title, List<EpochMetrics> done) {
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
            io.securenn.bench.Charts.curvesPng(png, title, xs, List.of(
                    new io.securenn.bench.Charts.Series("loss", loss),
                    new io.securenn.bench.Charts.Series("train accuracy", train),
                    new io.securenn.bench.Charts.Series("test accuracy", test)));
        } catch (java.io.IOException e) {
            throw SecureNnException.badInput("cannot write " + png + ": " + e.getMessage());
        }
    }

    @Override
    public long heapMb() {
        int parties = backend.plaintext || backend.parties.perProcess() ? 1 : 3;
        if (network == null) return HeapPlan.heapMbForTraining(model, batch, parties);
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

    private Map<String, Object> document(Architecture arch, Recipe.Choice choice, int images, List<EpochMetrics> done,
                                         Execution ex) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (arch != null) doc.put("network", arch.name());
        else doc.put("model", model.getFileName().toString());
        TrainConfig cfg = choice.config();
        doc.put("loss_function", cfg.loss().cliName());
        doc.put("backend", ex.backendName());
        doc.put("dataset", dataset);
        doc.put("train_images", images);
        doc.put("batch", batch);
        doc.put("lr_shift", choice.lrShift());
        if (choice.scheduled()) doc.put("lr_schedule", cfg.schedule().describe());
        doc.put("seed", seed);
        if (cfg.momentumShift() > 0) doc.put("momentum_shift", cfg.momentumShift());
        if (masterBits > 0) doc.put("master_bits", masterBits);
        List<Object> es = new ArrayList<>();
        for (EpochMetrics m : done) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", m.epoch());
            if (choice.scheduled()) e.put("lr_shift", cfg.schedule().shiftAt(m.epoch()));
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
