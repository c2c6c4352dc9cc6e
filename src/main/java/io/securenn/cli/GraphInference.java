package io.securenn.cli;

import io.securenn.Json;
import io.securenn.SecureNnException;
import io.securenn.data.Datasets;
import io.securenn.job.Execution;
import io.securenn.job.InferenceJob;
import io.securenn.model.ModelGraph;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.model.onnx.OnnxModel;
import io.securenn.model.onnx.StreamedModel;
import io.securenn.train.Evaluator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code securenn infer --model FILE.onnx}: reads what P0's process owns (the model, the input), checks it all
 * before any party starts, runs the inference job and prints (or writes) what P0 learns.
 */
final class GraphInference {
    private final PrintWriter out;
    private final Execution ex;

    GraphInference(PrintWriter out, Execution ex) {
        this.out = out;
        this.ex = ex;
    }

    void run(Path model, Path input, Path output, boolean labelsOnly, String dataset, int batch, Integer limit, Path json) {
        boolean owner = ex.reporterProcess();
        if (input == null && output != null) throw SecureNnException.usage("--output needs --input");
        if (input != null && dataset != null) throw SecureNnException.usage("--input and --dataset exclude each other");
        if (labelsOnly && output != null) throw SecureNnException.usage("--output writes the model's outputs: drop --reveal label");
        // the whole model and the input are read and checked before any party starts
        if (input != null) {
            // the model is streamed: its tensors are read from the file one at a time as they are shared
            StreamedModel sm = owner ? OnnxImporter.streamModel(model) : null;
            InferenceJob.Owner o = null;
            if (owner) {
                NpyInput x = NpyInput.read(input, sm.graph());
                o = new InferenceJob.Owner(sm.graph(), sm.parameters(), x.values(), x.rows());
            }
            // no server holds the weights' shares: each is made again per pass (P0 reads the file again)
            InferenceJob.Result r = InferenceJob.run(ex, o, batch, labelsOnly ? InferenceJob.Reveal.LABEL : InferenceJob.Reveal.LOGITS, true);
            if (r == null) {
                out.println("party P" + ex.parties().partyId() + " done (outputs go to P0, the input owner's proxy)");
                out.flush();
                return;
            }
            report(model, r);
            if (output != null) NpyInput.writeOutputs(output, r.outputs(), r.rows(), r.graph().classes());
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("model", model.getFileName().toString());
                doc.put("backend", ex.backendName());
                doc.put("rows", r.rows());
                doc.put("labels", r.labels());
                doc.put("seconds", r.seconds());
                doc.put("total_seconds", r.totalSeconds());
                doc.put("counters", r.counters());
                Json.writeFile(json, doc);
            }
            return;
        }
        OnnxModel m = owner ? OnnxImporter.importModel(model) : null;
        Datasets.Split data = Datasets.load(dataset == null ? "mnist" : dataset);
        var test = limit != null ? data.test().limit(limit) : data.test();
        if (m != null && m.graph().inputSize() != test.imageSize()) {
            throw SecureNnException.badInput(model.getFileName() + ": the model's input " + InspectCommand.shape(m.graph().inputShape())
                    + " does not match the images of " + dataset + " (" + test.rows() + "×" + test.cols() + ")");
        }
        if (m != null && m.graph().classes() < test.classes()) {
            throw SecureNnException.badInput(model.getFileName() + ": the model has " + m.graph().classes() + " outputs, "
                    + "the labels of " + (dataset == null ? "mnist" : dataset) + " go up to " + (test.classes() - 1));
        }
        long t0 = System.nanoTime();
        Evaluator.Predictions p = InferenceJob.evaluate(ex, m, data.train(), test, batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p == null) {
            out.println("party P" + ex.parties().partyId() + " done (predictions go to P0, the model owner's proxy)");
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "model %s (%s backend), %d test images of %s: accuracy %.2f %% (%d correct), %.1f s%n",
                model.getFileName(), ex.backendName(), p.predicted().length, dataset == null ? "mnist" : dataset,
                100 * p.accuracy(), p.correct(), seconds);
        InferCommand.printConfusion(out, p);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model.getFileName().toString());
            doc.put("backend", ex.backendName());
            doc.put("images", p.predicted().length);
            doc.put("accuracy", p.accuracy());
            doc.put("seconds", seconds);
            doc.put("confusion", p.confusion());
            Json.writeFile(json, doc);
        }
    }

    private void report(Path model, InferenceJob.Result r) {
        int show = Math.min(r.rows(), 20);
        out.printf(Locale.ROOT, "model %s (%s backend), %d rows: predicted classes %s%s%n", model.getFileName(), ex.backendName(),
                r.rows(), Arrays.toString(Arrays.copyOf(r.labels(), show)).replace("[", "").replace("]", ""),
                r.rows() > show ? ", …" : "");
        long sent = 0;
        for (int q = 0; q < 3; q++) sent += r.counters().getOrDefault("bytes_P" + q, 0).longValue();
        if (sent > 0) {
            out.printf(Locale.ROOT, "sent: P0 %,d B, P1 %,d B, P2 %,d B (%.2f MB together); %d rounds%n",
                    r.counters().get("bytes_P0").longValue(), r.counters().get("bytes_P1").longValue(),
                    r.counters().get("bytes_P2").longValue(), sent / 1e6, r.counters().get("rounds").longValue());
        }
        if (ex.secure()) {
            out.printf(Locale.ROOT, "inference %.3f s (input shared to outputs revealed); %.3f s with connecting the parties and sharing the model%n",
                    r.seconds(), r.totalSeconds());
        } else {
            out.printf(Locale.ROOT, "inference %.3f s%n", r.seconds());
        }
        out.flush();
    }
}
