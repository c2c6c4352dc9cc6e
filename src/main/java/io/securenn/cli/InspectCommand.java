package io.securenn.cli;

import io.securenn.Json;
import io.securenn.bench.CostingBackend;
import io.securenn.bench.Formulas;
import io.securenn.bench.GraphCost;
import io.securenn.model.ModelGraph;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.SessionParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code securenn inspect FILE.onnx}: the model as securenn runs it (one line per layer with its output shape and
 * parameter count), what is public and what is secret, and the secure cost of one inference per layer and in
 * total as the protocols' formulas predict it (the figures a secure run measures).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show an ONNX model's layers, shapes and parameters, what is public and what is secret, and "
                + "the bytes and rounds of one secure inference per layer (predicted by the protocols' formulas, "
                + "which secure runs measure exactly), and for serve and infer of several batches, whose weights are "
                + "masked once per session, the first and every later batch's bytes. Reads the whole model and "
                + "validates it; computes nothing."})
public final class InspectCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.onnx", description = "The model.")
    Path file;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Rows per inference (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reveal", defaultValue = "logits", paramLabel = "logits|label",
            description = "What the input owner learns: the output vector, or only the class (adds a secure argmax) "
                    + "(default: ${DEFAULT-VALUE}).")
    String reveal;

    @Option(names = "--maxpool", defaultValue = "tournament", paramLabel = "tournament|sequential",
            description = "Secure MaxPool form (default: ${DEFAULT-VALUE}).")
    String maxpool;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the table as JSON.")
    Path json;

    @Override
    public void run() {
        if (batch <= 0) throw io.securenn.SecureNnException.usage("--batch must be positive");
        boolean labels = InferCommand.parseReveal(reveal);
        MaxPool.Form form = BackendOptions.parseMaxPool(maxpool);
        ModelGraph g = OnnxImporter.importGraph(file);
        SessionParams session = PartyOptions.sessionParams();
        GraphCost.Prediction p = GraphCost.inference(g, batch, labels, Formulas.implemented(form, session));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: input '%s' %s per row, output '%s' %d values per row (%s)%n", file.getFileName(),
                g.inputName(), shape(g.inputShape()), g.outputName(), g.classes(),
                switch (g.output()) {
                    case LOGITS -> "logits";
                    case SOFTMAX -> "Softmax applied by the input owner after reconstruction";
                    case LOG_SOFTMAX -> "LogSoftmax applied by the input owner after reconstruction";
                });
        out.printf(Locale.ROOT, "public: the architecture (operators, shapes, kernels, strides, pads, 1/k of averages); "
                + "secret (the model owner's, shared to the servers): %,d parameters in %d tensors; the input and the "
                + "output are the input owner's.%n", g.parameterCount(), g.parameterRefs().size());
        out.printf(Locale.ROOT, "secure inference, batch %d (bytes of all three parties; MB = 10^6 bytes; Z_67 wire %s, "
                + "DReLU %s):%n", batch, session.zpWire(), session.dreluForm().option());
        out.printf(Locale.ROOT, "  %-4s %-24s %-18s %-16s %12s %14s %7s%n", "#", "node", "operator", "output", "parameters", "bytes", "rounds");
        int i = 0;
        for (GraphCost.Entry e : p.nodes()) {
            out.printf(Locale.ROOT, "  %-4d %-24s %-18s %-16s %12s %14d %7d%n", i++, clip(e.name(), 24), e.op(), shape(e.shape()),
                    e.parameters() == 0 ? "-" : String.format(Locale.ROOT, "%,d", e.parameters()), e.cost().bytes(), e.cost().rounds());
        }
        if (labels) out.printf(Locale.ROOT, "  %-4s %-24s %-18s %-16s %12s %14d %7d%n", "", "(argmax)", "", "", "", p.argmax().bytes(), p.argmax().rounds());
        out.printf(Locale.ROOT, "  %-4s %-24s %-18s %-16s %12s %14d %7d%n", "", "(reveal to the input owner)", "", "", "", p.reveal().bytes(), p.reveal().rounds());
        out.printf(Locale.ROOT, "  total: %,d bytes (%.2f MB), %d rounds%n", p.total().bytes(), p.total().bytes() / 1e6, p.total().rounds());
        // serve, and infer of more than one batch: each weight masked once per session where the budget admits it
        boolean once = session.masksWeightsOnce(g.parameterCount());
        Formulas f = Formulas.implemented(form, session);
        GraphCost.Prediction first = once ? GraphCost.inference(g, batch, labels, f, CostingBackend.Weights.FIRST_BATCH) : p;
        GraphCost.Prediction later = once ? GraphCost.inference(g, batch, labels, f, CostingBackend.Weights.LATER_BATCH) : p;
        if (once) {
            out.printf(Locale.ROOT, "serve, and infer of more than one batch (each weight masked once per session, F = W - V "
                    + "opened by the first batch; docs/PROTOCOLS.md): first batch %,d bytes (%.2f MB), every later batch %,d "
                    + "bytes (%.2f MB), %d rounds each%n", first.total().bytes(), first.total().bytes() / 1e6,
                    later.total().bytes(), later.total().bytes() / 1e6, later.total().rounds());
        } else {
            out.printf(Locale.ROOT, "serve, and infer of more than one batch: weights masked per batch, as above (the model's "
                    + "%,d parameters exceed the weight mask budget of %,d bytes per party)%n", g.parameterCount(),
                    session.weightMaskBudget());
        }
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", file.getFileName().toString());
            doc.put("input", Map.of("name", g.inputName(), "shape", g.inputShape()));
            doc.put("output", Map.of("name", g.outputName(), "classes", g.classes(), "transform", g.output().name().toLowerCase(Locale.ROOT)));
            doc.put("batch", batch);
            doc.put("reveal", labels ? "label" : "logits");
            doc.put("secret_parameters", g.parameterCount());
            List<Object> nodes = new ArrayList<>();
            for (GraphCost.Entry e : p.nodes()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("name", e.name());
                n.put("op", e.op());
                n.put("layer", e.layer());
                n.put("shape", e.shape());
                n.put("parameters", e.parameters());
                n.put("bytes", e.cost().bytes());
                n.put("rounds", e.cost().rounds());
                n.put("bytes_later_batches", later.nodes().get(nodes.size()).cost().bytes());
                nodes.add(n);
            }
            doc.put("nodes", nodes);
            doc.put("argmax", Map.of("bytes", p.argmax().bytes(), "rounds", p.argmax().rounds()));
            doc.put("reveal_cost", Map.of("bytes", p.reveal().bytes(), "rounds", p.reveal().rounds()));
            doc.put("total", Map.of("bytes", p.total().bytes(), "rounds", p.total().rounds()));
            Map<String, Object> masks = new LinkedHashMap<>();
            masks.put("once_per_session", once);
            masks.put("budget_bytes", session.weightMaskBudget());
            masks.put("first_batch", Map.of("bytes", first.total().bytes(), "rounds", first.total().rounds()));
            masks.put("later_batches", Map.of("bytes", later.total().bytes(), "rounds", later.total().rounds()));
            doc.put("weight_masks", masks);
            Json.writeFile(json, doc);
        }
    }

    static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : "×").append(s[i]);
        return b.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
