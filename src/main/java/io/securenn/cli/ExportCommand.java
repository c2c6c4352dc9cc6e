package io.securenn.cli;

import io.securenn.AtomicFiles;
import io.securenn.model.Architecture;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelParameters;
import io.securenn.model.ModelWeights;
import io.securenn.model.Op;
import io.securenn.model.onnx.OnnxExporter;
import io.securenn.ring.FixedPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code securenn export}: a model file of the networks A–D (from {@code train --save-model} or
 * {@code reveal}) as an ONNX file that any ONNX runtime runs (docs/MODELS.md).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model file of network A, B, C or D (train --save-model, reveal) as an ONNX model.",
                "Opset " + OnnxExporter.OPSET + "; input 'input' [N, 1, 28, 28] (N symbolic), output 'logits' [N, 10]; "
                        + "the fixed-point weights as float32. An imported model is given back as ONNX by "
                        + "train --model FILE.onnx --save-model OUT.onnx."})
public final class ExportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE.snn", description = "Model file to export.")
    Path model;

    @Option(names = "--network", paramLabel = "A|B|C|D", description = "Network of the model file (checked; "
            + "default: the one the file holds).")
    String network;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "ONNX file to write.")
    Path out;

    @Override
    public void run() {
        ModelWeights w = ModelFile.read(model, network == null ? null : Architecture.parse(network));
        ModelGraph g = w.architecture().graph();
        Map<String, double[]> ps = new LinkedHashMap<>();
        List<Op.ParamRef> refs = g.parameterRefs();
        for (int i = 0; i < refs.size(); i++) ps.put(refs.get(i).name(), FixedPoint.decode(w.tensors().get(i)));
        AtomicFiles.write(out, OnnxExporter.fromGraph(g, new ModelParameters(ps)));
        spec.commandLine().getOut().printf("network %s written to %s as ONNX (opset %d, input '%s' [N, 1, 28, 28], "
                + "output '%s' [N, %d])%n", w.architecture(), out, OnnxExporter.OPSET, g.inputName(), g.outputName(), g.classes());
        spec.commandLine().getOut().flush();
    }
}
