package io.securenn.job;

import io.securenn.SecureNnException;
import io.securenn.data.Dataset;
import io.securenn.data.ShareFile;
import io.securenn.model.Architecture;
import io.securenn.model.GraphModel;
import io.securenn.model.Init;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.ModelParameters;
import io.securenn.model.ModelWeights;
import io.securenn.model.Op;
import io.securenn.model.onnx.OnnxExporter;
import io.securenn.model.onnx.OnnxModel;
import io.securenn.nn.Backend;
import io.securenn.nn.Parameter;
import io.securenn.nn.secure.SecureBackend;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;
import io.securenn.train.Checkpoints;
import io.securenn.train.DataFeed;
import io.securenn.train.EpochMetrics;
import io.securenn.train.OwnedDataFeed;
import io.securenn.train.SharedDataFeed;
import io.securenn.train.TrainConfig;
import io.securenn.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Training of a model, written once against {@link Backend} and run through an {@link Execution}: one of the
 * networks A–D (initial weights drawn from the seed by the model owner, or a model owner's share files) or an
 * imported model (ONNX: P0's process alone reads the file; it sends the public graph to P1 and P2 and shares the
 * initial weights), on a public dataset (P0 deals it) or a data owner's share files. Around the
 * {@link Trainer}: checkpoints and resume, progress, and at the end the trained model revealed to P0 (the model
 * owner's proxy: a model file, or the original ONNX file with the trained initializers) or kept as each server's
 * share.
 *
 * <p>Everything that can be checked before the parties start is checked by {@link #run} first, where P0 runs:
 * the dataset against the model's input and outputs, an imported model's trainability and, with an ONNX
 * output, that every trained tensor can be written back.
 */
public final class TrainingJob {
    private TrainingJob() {}

    /** What is trained. */
    public sealed interface Model permits Builtin, Imported {}

    /**
     * One of A–D. {@code initial}: the model owner's starting weights (null: {@link Init#draw} from the seed);
     * {@code modelShares}: a directory of the model owner's share files to start from instead (secure only).
     */
    public record Builtin(Architecture architecture, ModelWeights initial, Path modelShares) implements Model {
        public Builtin(Architecture architecture) {
            this(architecture, null, null);
        }
    }

    /**
     * An imported ONNX model: {@code model} (the graph, the weights and their sources) and {@code onnx} (the file's
     * bytes, for exporting) where P0 runs, both null in a process that plays only P1 or P2 (they receive the graph);
     * {@code fileName} names the file in messages.
     */
    public record Imported(OnnxModel model, byte[] onnx, String fileName) implements Model {}

    /** Where the training and test images come from. */
    public sealed interface Data permits PublicData, SharedData {}

    /** A public dataset that every process loads and P0 deals (the test set: the images evaluated, if any). */
    public record PublicData(String name, Dataset train, Dataset test) implements Data {}

    /** A data owner's share files: each party reads DIR/data-P&lt;N&gt;.snns (secure only). */
    public record SharedData(Path dir) implements Data {}

    /** Checkpoints every {@code every} batches into DIR/P&lt;N&gt;; {@code resume}: from the newest all parties hold. */
    public record Checkpointing(Path dir, int every, boolean resume) {}

    /**
     * One training run. Start from {@link #of} and add what differs.
     *
     * @param checkpoints     null: none
     * @param revealModel     reveal the trained model to P0 at the end (as {@link Result#weights()} or
     *                        {@link Result#parameters()}); implied by {@code saveModel}. Every party must be given
     *                        the same (it is part of the job's parameters); {@code saveModel} is P0's alone, so a
     *                        run whose parties are started apart reveals whether P0 saves or not
     * @param saveModel       where P0 writes the trained model (a model file of A–D, or the ONNX file), or null
     * @param saveModelShares where each server writes its share of the trained model instead (A–D, secure), or null
     * @param stopAfter       testing aid: end the process abruptly after that many batches (null: never)
     */
    public record Spec(Model model, Data data, TrainConfig config, Checkpointing checkpoints, boolean revealModel,
                       Path saveModel, Path saveModelShares, Integer stopAfter) {
        public Spec {
            if (model == null || data == null || config == null) throw new IllegalArgumentException("model, data and config are required");
            if (saveModel != null && saveModelShares != null) {
                throw SecureNnException.usage("--save-model reveals the model to P0: use it or --save-model-shares, not both");
            }
            if (model instanceof Imported && saveModelShares != null) {
                throw SecureNnException.usage("--save-model-shares works with --network A-D; an imported model is "
                        + "given back with --save-model FILE.onnx");
            }
            if (model instanceof Builtin b && b.modelShares() != null && b.initial() != null) {
                throw new IllegalArgumentException("initial weights and model shares exclude each other");
            }
            revealModel |= saveModel != null;
        }

        /** Training of {@code model} on {@code data}: no checkpoints, nothing revealed or written at the end. */
        public static Spec of(Model model, Data data, TrainConfig config) {
            return new Spec(model, data, config, null, false, null, null, null);
        }

        public Spec withCheckpoints(Checkpointing c) {
            return new Spec(model, data, config, c, revealModel, saveModel, saveModelShares, stopAfter);
        }

        public Spec withRevealModel(boolean v) {
            return new Spec(model, data, config, checkpoints, v, saveModel, saveModelShares, stopAfter);
        }

        public Spec withSaveModel(Path p) {
            return new Spec(model, data, config, checkpoints, revealModel, p, saveModelShares, stopAfter);
        }

        public Spec withSaveModelShares(Path p) {
            return new Spec(model, data, config, checkpoints, revealModel, saveModel, p, stopAfter);
        }

        public Spec withStopAfter(Integer n) {
            return new Spec(model, data, config, checkpoints, revealModel, saveModel, saveModelShares, n);
        }

        /** The model's name: a network's letter, or the ONNX file's base name. */
        public String modelName() {
            return switch (model) {
                case Builtin b -> b.architecture().name();
                case Imported i -> i.model() != null ? i.model().graph().name() : "onnx";
            };
        }
    }

    /** What the reporter (P0, or the plaintext run) hears while the job runs. */
    public interface Listener {
        /**
         * Training starts at {@code from} (a resumed run: where its checkpoint stands) with {@code batches} batches
         * still to run; {@code runId} is the checkpoints' run (null without checkpoints); {@code bytesSent}: this
         * party's bytes so far.
         */
        default void started(Trainer.Position<?> from, boolean resumed, String runId, long batches, LongSupplier bytesSent) {}

        /** After every batch: the position the run continues from. */
        default void batchDone(Trainer.Position<?> next) {}

        default void progress(int epoch, int batch, int batches, double loss, double trainAccuracy) {}

        default void epoch(EpochMetrics m) {}

        /** Training ended (normally or not); called after {@link #started}. */
        default void ended() {}
    }

    /**
     * What a party ends with.
     *
     * @param epochs          the epochs' metrics (the reporter's; null elsewhere)
     * @param weights         the trained weights of A–D revealed to P0 (null elsewhere, or when kept as shares)
     * @param parameters      the trained parameters of an imported model revealed to P0 (float64, by ParamRef name)
     * @param bytesSent       this party's bytes sent over the whole job (0 in plaintext)
     * @param rounds          this party's rounds over the whole job (0 in plaintext)
     */
    public record Result(List<EpochMetrics> epochs, ModelWeights weights, ModelParameters parameters, long bytesSent,
                         long rounds) {}

    /** Images in the training set (a share file's public count where the data are shared). */
    public static int trainImages(Data data, int party) {
        return switch (data) {
            case PublicData p -> p.train().count();
            case SharedData s -> (int) ShareFile.read(ShareFile.path(s.dir(), "data", party), "data", party).publicInt("train.count");
        };
    }

    /**
     * Checks what can be checked before any party starts, where P0 runs (the model owner's and, for public data, the
     * data owner's proxy): the options against the execution, the configuration, and for an imported model its
     * trainability, the dataset's image shape and labels against the graph's input and outputs, and with
     * {@code saveModel} that the trained tensors can be written back into the ONNX file.
     */
    public static void check(Execution ex, Spec spec) {
        spec.config().validated();
        boolean shares = spec.data() instanceof SharedData || spec.saveModelShares() != null
                || (spec.model() instanceof Builtin b && b.modelShares() != null);
        if (shares && !ex.secure()) {
            throw SecureNnException.usage("--shares, --model-shares and --save-model-shares need a secure run");
        }
        if (spec.checkpoints() != null && spec.checkpoints().resume() && ex.kind() == Execution.Kind.PLAIN_FLOAT) {
            throw SecureNnException.usage("--resume is not supported with --float64");
        }
        if (spec.checkpoints() != null && spec.checkpoints().every() < 1) {
            throw SecureNnException.usage("--checkpoint-every must be at least 1");
        }
        if (spec.data() instanceof PublicData p && p.train().count() < spec.config().batch()) {
            throw SecureNnException.usage("batch size " + spec.config().batch() + " exceeds the " + p.train().count()
                    + " training images");
        }
        if (spec.model() instanceof Builtin b && spec.data() instanceof PublicData p) {
            checkLabels(p, b.architecture().classes(), "network " + b.architecture() + " has " + b.architecture().classes() + " outputs");
        }
        if (!ex.reporterProcess() || !(spec.model() instanceof Imported imp)) return;
        if (imp.model() == null) throw new IllegalArgumentException("P0 needs the model");
        ModelGraph g = imp.model().graph();
        String file = imp.fileName();
        checkTrainable(imp);
        int[] shape;
        String dataName;
        switch (spec.data()) {
            case PublicData p -> {
                shape = p.train().imageShape();
                dataName = p.name();
            }
            case SharedData s -> {
                ShareFile f = ShareFile.read(ShareFile.path(s.dir(), "data", 0), "data", 0);
                shape = new int[] {1, (int) f.publicInt("rows"), (int) f.publicInt("cols")};
                dataName = "the shares in " + s.dir();
                // the labels themselves are secret: the data owner's declared classes must fit
                if (f.publicInt("classes") > g.classes()) {
                    throw SecureNnException.badInput(file + ": the model has " + g.classes() + " outputs, " + dataName
                            + " hold labels of " + f.publicInt("classes") + " classes");
                }
            }
        }
        if (!fits(g, shape)) {
            throw SecureNnException.badInput(file + ": the model's input " + dims(g.inputShape())
                    + " does not match the images of " + dataName + " (" + dims(shape) + ")");
        }
        if (spec.data() instanceof PublicData p) checkLabels(p, g.classes(), "the model " + file + " has " + g.classes() + " outputs");
        if (spec.saveModel() != null) OnnxExporter.checkExportable(imp.onnx(), file, imp.model());
    }

    /** Every label of the public dataset is a class of the model's {@code k} outputs. */
    private static void checkLabels(PublicData p, int k, String why) {
        for (Dataset d : List.of(p.train(), p.test())) {
            int i = d.firstLabelAtLeast(k);
            if (i >= 0) {
                throw SecureNnException.badInput(d.name() + ": label " + d.label(i) + " of image " + i
                        + " is not a class 0.." + (k - 1) + " (" + why + ")");
            }
        }
    }

    /** Images of this shape fit the model: the same C×H×W, or as many values for a model that reads vectors. */
    static boolean fits(ModelGraph g, int[] imageShape) {
        if (g.inputShape().length == 1) return g.inputSize() == ModelGraph.size(imageShape);
        return Arrays.equals(g.inputShape(), imageShape);
    }

    static String dims(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int d : s) b.append(b.isEmpty() ? "" : "×").append(d);
        return b.toString();
    }

    /**
     * An imported model can be trained when it has trainable tensors and no tensor is read by two nodes (tied
     * weights would be trained apart and could not be written back as one).
     */
    static void checkTrainable(Imported imp) {
        OnnxModel m = imp.model();
        if (m.graph().parameterRefs().isEmpty()) {
            throw SecureNnException.badInput(imp.fileName() + ": nothing to train: the model has no Conv, Gemm, MatMul "
                    + "or BatchNormalization with weights");
        }
        Map<String, String> readBy = new LinkedHashMap<>();
        for (var n : m.graph().nodes()) {
            for (Op.ParamRef r : refs(n.op())) {
                String init = m.sources().get(r.name()).initializer();
                if (init == null) continue;
                String first = readBy.putIfAbsent(init, n.name());
                if (first != null && !first.equals(n.name())) {
                    throw SecureNnException.badInput(imp.fileName() + ": node '" + n.name() + "' (" + n.op().onnxType()
                            + "): its tensor '" + init + "' is also read by node '" + first + "'; tied weights cannot be "
                            + "trained (training would untie them)");
                }
            }
        }
    }

    private static List<Op.ParamRef> refs(Op op) {
        return switch (op) {
            case Op.Conv c -> c.bias() == null ? List.of(c.weight()) : List.of(c.weight(), c.bias());
            case Op.Gemm g -> g.bias() == null ? List.of(g.weight()) : List.of(g.weight(), g.bias());
            case Op.BatchNorm b -> List.of(b.scale(), b.shift());
            default -> List.of();
        };
    }

    /**
     * Runs the job: checks it ({@link #check}), trains, and where P0 runs writes {@code saveModel}. Returns the
     * reporter's result (P0's in a secure run), null in a process that plays only P1 or P2.
     */
    public static Result run(Execution ex, Spec spec, Listener listener) {
        List<Result> all = runEach(ex, spec, listener);
        for (Result r : all) if (r != null && r.epochs() != null) return r;
        return null;
    }

    /** As {@link #run}, with every party's result that this process plays, by party id ({@link Execution#runEach}). */
    public static List<Result> runEach(Execution ex, Spec spec, Listener listener) {
        check(ex, spec);
        Listener l = listener != null ? listener : new Listener() {};
        List<Result> results = ex.runEach(spec.config().seed(), "train", params(spec, ex), new Execution.Job<>() {
            @Override
            public <V> Result run(Backend<V> be, boolean reporter) {
                return runParty(be, reporter, spec, reporter ? l : new Listener() {});
            }
        });
        Result mine = null;
        for (Result r : results) if (r != null && r.epochs() != null) mine = r;
        if (mine != null && spec.saveModel() != null) {
            switch (spec.model()) {
                case Builtin b -> ModelFile.write(spec.saveModel(), mine.weights());
                case Imported i -> OnnxExporter.writeTrained(spec.saveModel(), i.onnx(), i.fileName(), i.model(), mine.parameters());
            }
        }
        return results;
    }

    /** The job parameters every party must agree on (the session's job hash). */
    static String params(Spec spec, Execution ex) {
        TrainConfig c = spec.config();
        String model = switch (spec.model()) {
            case Builtin b -> "network=" + b.architecture() + " model=" + (b.modelShares() != null ? "shares" : "seeded");
            case Imported i -> "model=onnx";
        };
        String data = switch (spec.data()) {
            case PublicData p -> "dataset=" + p.name() + " images=" + p.train().count() + " test=" + p.test().count();
            case SharedData s -> "dataset=shares";
        };
        return String.join(" ", model, data, "epochs=" + c.epochs(), "batch=" + c.batch(), "lr=" + c.schedule().describe(),
                "loss=" + c.loss().cliName(), "seed=" + c.seed(), "momentum=" + c.momentumShift(),
                "master-bits=" + c.masterBits(), "metrics=" + c.metrics(), "test-every-epoch=" + c.testEachEpoch(),
                "evaluate=" + c.evaluate(), "progress=" + c.progressEvery(),
                "end=" + (spec.saveModelShares() != null ? "shares" : spec.revealModel() ? "reveal" : "none"),
                "checkpoints=" + (spec.checkpoints() == null ? "none" : spec.checkpoints().every() + (spec.checkpoints().resume() ? " resume" : "")));
    }

    private static PartyContext contextOf(Backend<?> be) {
        return be instanceof SecureBackend sb ? sb.context() : null;
    }

    /** One party's part (SPMD). */
    static <V> Result runParty(Backend<V> be, boolean reporter, Spec spec, Listener l) {
        PartyContext ctx = contextOf(be);
        int party = ctx == null ? 0 : ctx.id();
        TrainConfig cfg = spec.config();
        // the model: built from the owner's weights (placeholders elsewhere)
        GraphModel<V> model;
        String modelId;
        switch (spec.model()) {
            case Builtin b -> {
                Architecture arch = b.architecture();
                ModelWeights w = b.modelShares() != null ? ModelWeights.placeholder(arch)
                        : b.initial() != null ? b.initial() : Init.draw(arch, cfg.seed());
                model = GraphModel.build(be, arch.graph(), w.tensors());
                modelId = arch.name();
            }
            case Imported i -> {
                OnnxModel mine = party == 0 ? i.model() : null;
                byte[] g = be.publicFromOwner(mine == null ? null : ModelGraphCodec.encode(mine.graph()));
                ModelGraph graph = mine != null ? mine.graph() : ModelGraphCodec.decode(g);
                List<long[]> tensors = new ArrayList<>();
                for (Op.ParamRef ref : graph.parameterRefs()) {
                    tensors.add(mine == null ? new long[ref.length()] : FixedPoint.encode(mine.parameters().get(ref.name())));
                }
                model = GraphModel.build(be, graph, tensors);
                modelId = Checkpoints.modelId(graph);
            }
        }
        // before a resume loads them
        if (cfg.momentumShift() > 0) model.enableMomentum();
        if (cfg.masterBits() > 0) model.enableMasterWeights(cfg.masterBits());
        Backend.ShareCodec<V> codec = be.shareCodec();
        if (spec.model() instanceof Builtin b && b.modelShares() != null) {
            List<long[]> mine = ModelShareFiles.read(b.modelShares(), "model", party, b.architecture());
            var ps = model.parameters();
            for (int i = 0; i < ps.size(); i++) ps.get(i).set(codec.load(mine.get(i), ps.get(i).size()));
        }
        DataFeed<V> feed = feed(be, spec.data(), model.graph(), party, spec.model() instanceof Imported);
        Checkpoints<V> ckpt = spec.checkpoints() == null || codec == null ? null : new Checkpoints<>(
                spec.checkpoints().dir().resolve("P" + party), spec.checkpoints().every(), ctx, model, modelId);
        Trainer.Position<V> from = Trainer.Position.start();
        boolean resumed = false;
        if (ckpt != null) {
            if (spec.checkpoints().resume()) {
                from = ckpt.resume();
                resumed = true;
            } else {
                ckpt.startNewRun();
            }
        }
        Trainer.BatchHook<V> save = ckpt == null ? (p, n) -> { } : ckpt.hook();
        int batchesPerEpoch = feed.trainCount() / cfg.batch();
        List<EpochMetrics> done = new ArrayList<>();
        Trainer<V> trainer = new Trainer<>(model, feed, cfg, new Trainer.Listener() {
            @Override
            public void onProgress(int epoch, int b, int batches, double loss, double acc) {
                l.progress(epoch, b, batches, loss, acc);
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                done.add(m);
                l.epoch(m);
            }
        });
        int[] count = {0};
        Integer stopAfter = spec.stopAfter();
        trainer.resumeFrom(from).onBatch((next, n) -> {
            save.afterBatch(next, n);
            l.batchDone(next);
            if (stopAfter != null && ++count[0] >= stopAfter) Runtime.getRuntime().halt(99);
        });
        l.started(from, resumed, ckpt == null ? null : ckpt.runIdHex(),
                (long) batchesPerEpoch * (cfg.epochs() - from.epoch() + 1) - from.nextBatch(),
                () -> ctx == null ? 0 : ctx.stats().bytesSent());
        try {
            trainer.run();
        } finally {
            l.ended();
        }
        ModelWeights weights = null;
        ModelParameters parameters = null;
        if (spec.saveModelShares() != null) {
            Architecture arch = ((Builtin) spec.model()).architecture();
            List<long[]> mine = new ArrayList<>();
            for (Parameter<V> p : model.parameters()) mine.add(codec.export(p.value()));
            ModelShareFiles.write(spec.saveModelShares(), party, arch, mine);
        } else if (spec.revealModel()) {
            List<long[]> revealed = model.revealParameters();
            if (revealed != null) {
                switch (spec.model()) {
                    case Builtin b -> weights = new ModelWeights(b.architecture(), revealed);
                    case Imported i -> {
                        Map<String, double[]> ts = new LinkedHashMap<>();
                        List<Op.ParamRef> refs = model.graph().parameterRefs();
                        for (int k = 0; k < refs.size(); k++) ts.put(refs.get(k).name(), FixedPoint.decode(revealed.get(k)));
                        parameters = new ModelParameters(ts);
                    }
                }
            }
        }
        return new Result(reporter ? done : null, weights, parameters, ctx == null ? 0 : ctx.stats().bytesSent(),
                ctx == null ? 0 : ctx.ledger().totalRounds());
    }

    @SuppressWarnings("unchecked")
    private static <V> DataFeed<V> feed(Backend<V> be, Data data, ModelGraph g, int party, boolean imported) {
        return switch (data) {
            case PublicData p -> {
                // P1 and P2 learn an imported graph only now: the same checks as P0's before the start (a built-in
                // network's are the trainer's)
                if (imported && !fits(g, p.train().imageShape())) {
                    throw SecureNnException.badInput("the model's input " + dims(g.inputShape()) + " does not match the images of "
                            + p.name() + " (" + dims(p.train().imageShape()) + ")");
                }
                // an imported model's classes are its outputs (its labels were checked against them before the start;
                // a label outside them is refused here too); a built-in network checks its classes in the trainer
                int k = imported ? g.classes() : Math.max(p.train().classes(), p.test().classes());
                yield new OwnedDataFeed<>(be, p.train().withClasses(k), p.test().withClasses(k));
            }
            case SharedData s -> {
                if (!(be instanceof SecureBackend sb)) throw SecureNnException.usage("--shares needs a secure run");
                var file = ShareFile.read(ShareFile.path(s.dir(), "data", party), "data", party);
                yield (DataFeed<V>) new SharedDataFeed(sb, file);
            }
        };
    }
}
