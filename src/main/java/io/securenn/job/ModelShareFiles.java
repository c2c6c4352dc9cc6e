package io.securenn.job;

import io.securenn.SecureNnException;
import io.securenn.data.ShareFile;
import io.securenn.model.Architecture;
import io.securenn.model.ModelWeights;
import io.securenn.random.Seeds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of the networks A–D as share files (made by the model owner with {@code securenn share --model}, or by
 * the servers with {@code train --save-model-shares}): one file per server, tensors named as in
 * {@link Architecture#parameterShapes()}, the network in the public integer "architecture".
 */
public final class ModelShareFiles {
    private ModelShareFiles() {}

    /** The model owner's side: splits the weights into DIR/KIND-P0.snns, -P1, -P2. */
    public static List<Path> deal(Path dir, ModelWeights weights, String kind) {
        Map<String, long[]> ts = new LinkedHashMap<>();
        var shapes = weights.architecture().parameterShapes();
        for (int i = 0; i < shapes.size(); i++) ts.put(shapes.get(i).name(), weights.tensors().get(i));
        return ShareFile.deal(dir, kind, Map.of("architecture", (long) weights.architecture().ordinal()), ts, Seeds.fresh(32));
    }

    /** A server's share of a model (kind "model" or "trained") as tensors in parameter order (P2: empty ones). */
    public static List<long[]> read(Path dir, String kind, int party, Architecture arch) {
        ShareFile f = ShareFile.read(ShareFile.path(dir, kind, party), kind, party);
        if (f.publicInt("architecture") != arch.ordinal()) {
            throw SecureNnException.badInput("model shares in " + dir + " are of network "
                    + Architecture.values()[(int) f.publicInt("architecture")] + ", not " + arch);
        }
        Map<String, long[]> s = f.shares();
        List<long[]> out = new ArrayList<>();
        for (var shape : arch.parameterShapes()) {
            long[] t = s.get(shape.name());
            out.add(t != null ? t : new long[0]);   // P2 holds none
        }
        return out;
    }

    /** A server writes its share of the trained model to DIR/trained-P&lt;party&gt;.snns. */
    public static void write(Path dir, int party, Architecture arch, List<long[]> mine) {
        Map<String, long[]> named = new LinkedHashMap<>();
        var shapes = arch.parameterShapes();
        for (int i = 0; i < shapes.size(); i++) named.put(shapes.get(i).name(), mine.get(i));
        ShareFile.writeValues(ShareFile.path(dir, "trained", party), party, "trained",
                Map.of("architecture", (long) arch.ordinal()), named);
    }
}
