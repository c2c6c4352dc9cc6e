package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.data.Datasets;
import io.securenn.model.Architecture;
import io.securenn.model.ModelFile;
import io.securenn.random.Seeds;
import io.securenn.train.SharedDataFeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code securenn share}: the data owner's or model owner's side. Splits a dataset or a model into one file per
 * server (DIR/data-P0.snns …, DIR/model-P0.snns …): P0's holds its shares, P1's only the seed of its shares, P2's
 * only public sizes. Give each server its own file only.
 */
@Command(name = "share", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Secret-share a dataset (as its owner) or a model (as its owner) into one file per server.",
                "Each server then runs train/infer with --shares DIR or --model-shares DIR and reads only its own "
                        + "file; hand each server its own file only (P1's holds a 32-byte seed, P2's public sizes)."})
public final class ShareCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "mnist|fashion|DIR", description = "Dataset to share (training and test sets).")
    String dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Share only the first N training images.")
    Integer limit;

    @Option(names = "--model", paramLabel = "FILE|FILE.onnx", description = "Model to share: a model file of the "
            + "networks A-D (needs --network), or an ONNX model (its graph is public: P2's file holds only the graph).")
    Path model;

    @Option(names = "--network", paramLabel = "A|B|C|D", description = "Network of a --model file that is not ONNX.")
    String network;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the three files.")
    Path out;

    @Override
    public void run() {
        if ((dataset == null) == (model == null)) throw SecureNnException.usage("give exactly one of --dataset and --model");
        PrintWriter w = spec.commandLine().getOut();
        List<Path> files;
        if (dataset != null) {
            Datasets.Split d = Datasets.load(dataset);
            var train = limit != null ? d.train().limit(limit) : d.train();
            files = SharedDataFeed.deal(out, train, d.test(), Seeds.fresh(32));
            w.printf("shared %d training and %d test images of %s%n", train.count(), d.test().count(), dataset);
        } else if (model.getFileName() != null && model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            if (network != null) throw SecureNnException.usage("--network is for model files of A-D, not for an ONNX model");
            if (limit != null) throw SecureNnException.usage("--limit is for --dataset");
            io.securenn.model.onnx.OnnxModel m = io.securenn.model.onnx.OnnxImporter.importModel(model);
            List<long[]> t = new java.util.ArrayList<>();
            for (var ref : m.graph().parameterRefs()) t.add(io.securenn.ring.FixedPoint.encode(m.parameters().get(ref.name())));
            files = io.securenn.job.ModelShareFiles.dealGraph(out, model.getFileName().toString(), m.graph(), t);
            w.printf("shared model %s (%d parameter tensors; the graph is public)%n", model, t.size());
        } else {
            if (network == null) throw SecureNnException.usage("--model needs --network (or give an ONNX model, FILE.onnx)");
            Architecture arch = Architecture.parse(network);
            files = io.securenn.job.ModelShareFiles.deal(out, ModelFile.read(model, arch), "model");
            w.printf("shared model %s (network %s)%n", model, arch);
        }
        for (Path f : files) w.println("  " + f);
        w.flush();
    }
}
