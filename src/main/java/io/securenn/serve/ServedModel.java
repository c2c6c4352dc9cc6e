package io.securenn.serve;

import io.securenn.SecureNnException;
import io.securenn.model.Architecture;
import io.securenn.model.Init;
import io.securenn.model.ModelGraph;
import io.securenn.model.Op;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.model.onnx.OnnxModel;
import io.securenn.ring.FixedPoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the model owner's proxy (P0) serves: the public graph and the secret initializers in fixed point, in the
 * graph's parameter order. From an ONNX file, or one of the networks A–D with weights drawn from a seed
 * (benchmarks).
 */
public record ServedModel(String name, ModelGraph graph, List<long[]> tensors) {

    /** FILE.onnx, or A|B|C|D with weights from seed. */
    public static ServedModel load(String spec, long seed) {
        if (spec.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            Path file = Path.of(spec);
            OnnxModel m = OnnxImporter.importModel(file);
            List<long[]> t = new ArrayList<>();
            for (Op.ParamRef ref : m.graph().parameterRefs()) t.add(FixedPoint.encode(m.parameters().get(ref.name())));
            return new ServedModel(file.getFileName().toString(), m.graph(), t);
        }
        if (spec.length() != 1) {
            throw SecureNnException.usage("--model " + spec + ": give FILE.onnx or one of the networks A, B, C, D");
        }
        Architecture arch = Architecture.parse(spec);
        return new ServedModel(arch.name(), arch.graph(), Init.draw(arch, seed).tensors());
    }
}
