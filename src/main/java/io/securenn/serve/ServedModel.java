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
 * What a server serves: the public graph and, in the graph's parameter order, either the secret initializers in
 * fixed point (P0, the model owner's proxy, deals them each session: {@code dealing} null) or this party's shares of
 * them from the owner's share files ({@code securenn share --model}; every party loads its own; {@code dealing}
 * names the owner's dealing, the same at all three). From an ONNX file, one of the networks A–D with weights drawn
 * from a seed (benchmarks), or a share directory.
 */
public record ServedModel(String name, ModelGraph graph, List<long[]> tensors, String dealing) {

    public ServedModel(String name, ModelGraph graph, List<long[]> tensors) {
        this(name, graph, tensors, null);
    }

    /** True if the tensors are this party's shares (loaded from share files), not the plaintext weights. */
    public boolean held() {
        return dealing != null;
    }

    /** Party's share of a model the owner shared into dir (DIR/model-PN.snns). */
    public static ServedModel fromShares(Path dir, int party) {
        io.securenn.job.ModelShareFiles.Loaded m = io.securenn.job.ModelShareFiles.load(dir, party);
        return new ServedModel(m.name(), m.graph(), m.shares(), m.dealing());
    }

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
