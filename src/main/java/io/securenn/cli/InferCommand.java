package io.securenn.cli;

import io.securenn.Json;
import io.securenn.data.Datasets;
import io.securenn.job.HeapPlan;
import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.train.Evaluator;
import io.securenn.train.OwnedDataFeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code securenn infer}: accuracy and confusion matrix of a model over the whole test set. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Secure inference with a model: an ONNX file (--model FILE.onnx) on the rows of --input X.npy, "
                + "or on a test set (accuracy and confusion matrix); or one of the networks A-D (--network, with a "
                + "model file from train --save-model).",
                "Predictions are argmax of the model's output (ties to the lower class)."})
public final class InferCommand implements Runnable, JvmPlan.Planned {
    @Spec
    CommandSpec spec;

    @Option(names = "--network", paramLabel = "A|B|C|D", description = "Network (SecureNN's letters) of a model file "
            + "from train --save-model; not needed with an ONNX model.")
    String network;

    @Option(names = "--model", paramLabel = "FILE", description = "An ONNX model (FILE.onnx), or a model file of "
            + "--network (from train --save-model); required where P0 runs (the model owner's proxy), not read by "
            + "P1 and P2 (they receive the public graph from P0).")
    Path model;

    @Option(names = "--input", paramLabel = "X.npy", description = "With an ONNX model: rows to classify, NumPy .npy "
            + "of shape [N, ...] matching the model's input (float32/float64 as given, uint8 scaled by 1/255); read "
            + "by P0 (the input owner's proxy) only.")
    Path input;

    @Option(names = "--output", paramLabel = "Y.npy", description = "With --input: write the model's outputs (float32 "
            + "[N, K], rows in input order; after the model's Softmax/LogSoftmax if it ends with one) where P0 runs.")
    Path output;

    @Option(names = "--reveal", defaultValue = "logits", paramLabel = "logits|label", description = "With --input: "
            + "what P0 learns, the output vectors or only the classes (default: ${DEFAULT-VALUE}).")
    String reveal;

    @Option(names = "--dataset", paramLabel = "mnist|fashion|DIR",
            description = "Dataset whose test set is classified (default: mnist, unless --input is given).")
    String dataset;

    @Option(names = "--batch", defaultValue = "128", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", paramLabel = "N", description = "Classify only the first N test images.")
    Integer limit;

    @Option(names = "--json", paramLabel = "FILE", description = "Write accuracy and confusion matrix as JSON.")
    Path json;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Override
    public long heapMb() {
        int parties = backend.plaintext || backend.parties.perProcess() ? 1 : 3;
        if (network == null) {
            // --input: the weights are streamed and their shares made again per pass; a test set: held
            // (and the stationary weight masks of a run of several batches, where the budget admits them)
            long budget = PartyOptions.sessionParams().weightMaskBudget();
            long mb = input != null ? HeapPlan.heapMbForStreamedInference(model, batch, parties, budget)
                    : HeapPlan.heapMbForModel(model, batch, parties, budget);
            // and what the process reads besides the model: the dataset, or the input (parsed, scaled, encoded)
            return mb == 0 ? 0 : mb + (input == null ? HeapPlan.DATASET_MB : HeapPlan.inputMb(input));
        }
        Architecture a = Architecture.parse(network);
        return HeapPlan.heapMb(a, batch, false, parties, true)
                + parties * HeapPlan.weightMasksMb(a.graph().parameterCount(), PartyOptions.sessionParams().weightMaskBudget());
    }

    /** --reveal: true for label (only the class), false for logits. */
    static boolean parseReveal(String s) {
        return switch (s) {
            case "logits" -> false;
            case "label" -> true;
            default -> throw io.securenn.SecureNnException.usage("--reveal must be logits or label, not '" + s + "'");
        };
    }

    private static boolean isOnnx(Path p) {
        return p != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public void run() {
        backend.validate();
        if (batch <= 0) throw io.securenn.SecureNnException.usage("--batch must be positive");
        boolean labelsOnly = parseReveal(reveal);
        if (network == null) {
            if (model == null && backend.reporterProcess()) {
                throw io.securenn.SecureNnException.usage("--model FILE.onnx (or --network A|B|C|D with a model file) is required");
            }
            if (model != null && !isOnnx(model)) {
                throw io.securenn.SecureNnException.usage("--model " + model + ": an ONNX model ends in .onnx; a model file of "
                        + "A-D needs --network");
            }
            new GraphInference(spec.commandLine().getOut(), backend.execution()).run(model, input, output, labelsOnly,
                    dataset, batch, limit, json);
            return;
        }
        if (input != null || output != null) throw io.securenn.SecureNnException.usage("--input/--output need an ONNX model (--model FILE.onnx)");
        if (dataset == null) dataset = "mnist";
        Architecture arch = Architecture.parse(network);
        if (model == null && backend.reporterProcess()) throw io.securenn.SecureNnException.usage("--model FILE is required");
        // in a per-process run only P0, the model owner's proxy, reads the model; the others follow with shapes
        ModelWeights weights = backend.reporterProcess() ? ModelFile.read(model, arch) : ModelWeights.placeholder(arch);
        Datasets.Split data = Datasets.load(dataset);
        var test = limit != null ? data.test().limit(limit) : data.test();
        long t0 = System.nanoTime();
        String params = String.join(" ", "network=" + arch, "dataset=" + dataset, "images=" + test.count(),
                "batch=" + batch);
        record Outcome(Evaluator.Predictions predictions, java.util.Map<String, Number> counters) {}
        Outcome outcome = backend.with(0, "infer", params, new BackendOptions.BackendUser<>() {
            @Override
            public <V> Outcome run(Backend<V> be, boolean reporter) {
                be.takeCounters();
                if (test.count() > batch) be.stationaryWeights(arch.graph().parameterCount());   // several batches
                Network<V> net = Network.build(be, weights);
                Evaluator.Predictions pr = Evaluator.predict(net, new OwnedDataFeed<>(be, data.train(), test), batch);
                return new Outcome(pr, be.takeCounters());
            }
        });
        Evaluator.Predictions p = outcome == null ? null : outcome.predictions();
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (p == null) {
            out.println("party P" + backend.parties.partyId() + " done (predictions go to P0, the model owner's proxy)");
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "network %s (%s backend), %d test images of %s: accuracy %.2f %% (%d correct), %.1f s%n",
                arch, backend.backendName(), p.predicted().length, dataset, 100 * p.accuracy(), p.correct(), seconds);
        long sent = 0;
        for (int q = 0; q < 3; q++) sent += outcome.counters().getOrDefault("bytes_P" + q, 0).longValue();
        if (sent > 0) {
            out.printf(Locale.ROOT, "sent: P0 %,.1f MB, P1 %,.1f MB, P2 %,.1f MB; %d rounds%n",
                    outcome.counters().get("bytes_P0").longValue() / 1e6, outcome.counters().get("bytes_P1").longValue() / 1e6,
                    outcome.counters().get("bytes_P2").longValue() / 1e6, outcome.counters().get("rounds").longValue());
        }
        printConfusion(out, p);
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("network", arch.name());
            doc.put("backend", backend.backendName());
            doc.put("images", p.predicted().length);
            doc.put("accuracy", p.accuracy());
            doc.put("seconds", seconds);
            Map<String, Object> bytes = new LinkedHashMap<>();
            for (String party : new String[] {"P0", "P1", "P2"}) {
                bytes.put(party, outcome.counters().getOrDefault("bytes_" + party, 0));   // plaintext: 0
            }
            doc.put("bytes", bytes);
            doc.put("confusion", p.confusion());
            Json.writeFile(json, doc);
        }
    }

    static void printConfusion(PrintWriter out, Evaluator.Predictions p) {
        out.println("confusion matrix (rows: label, columns: predicted):");
        StringBuilder head = new StringBuilder("      ");
        for (int c = 0; c < p.confusion().length; c++) head.append(String.format(Locale.ROOT, "%6d", c));
        out.println(head);
        for (int r = 0; r < p.confusion().length; r++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", r));
            for (long v : p.confusion()[r]) row.append(String.format(Locale.ROOT, "%6d", v));
            out.println(row);
        }
        out.flush();
    }
}
