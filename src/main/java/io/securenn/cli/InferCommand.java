package io.securenn.cli;

import io.securenn.data.Datasets;
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
        description = {"Classify the test set with a trained model: accuracy and confusion matrix.",
                "Predictions are argmax of the last layer's output (ties to the lower class)."})
public final class InferCommand implements Runnable, JvmPlan.Planned {
    @Spec
    CommandSpec spec;

    @Option(names = "--network", required = true, paramLabel = "A|B|C|D", description = "Network (SecureNN's letters).")
    String network;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (from train --save-model); "
            + "required where P0 runs (the model owner's proxy), not read by P1 and P2.")
    Path model;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "mnist|fashion|DIR",
            description = "Dataset whose test set is classified (default: ${DEFAULT-VALUE}).")
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
        return JvmPlan.heapMb(Architecture.parse(network), batch, false, parties, true);
    }

    @Override
    public void run() {
        backend.validate();
        if (batch <= 0) throw io.securenn.SecureNnException.usage("--batch must be positive");
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
}
