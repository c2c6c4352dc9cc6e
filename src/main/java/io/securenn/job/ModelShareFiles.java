package io.securenn.job;

import io.securenn.SecureNnException;
import io.securenn.data.ShareFile;
import io.securenn.model.Architecture;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.ModelWeights;
import io.securenn.model.Op;
import io.securenn.random.Seeds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as share files (made by the model owner with {@code securenn share --model}, or by the servers with
 * {@code train --save-model-shares}): one file per server. Of the networks A–D: tensors named as in
 * {@link Architecture#parameterShapes()}, the network in the public integer "architecture". Of any graph (an
 * imported ONNX model): the public graph ({@link ModelGraphCodec}) as the public bytes "graph" in every file (P2's
 * holds only that), tensors named as in {@link ModelGraph#parameterRefs()}, and a public random "sharing" number
 * that tells the servers they load shares of one dealing.
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

    /** The model owner's side for any graph: DIR/model-P0.snns (its shares), -P1 (a seed), -P2 (the graph only). */
    public static List<Path> dealGraph(Path dir, String name, ModelGraph graph, List<long[]> tensors) {
        List<Op.ParamRef> refs = graph.parameterRefs();
        if (refs.size() != tensors.size()) throw new IllegalArgumentException("tensors do not match the graph's parameters");
        Map<String, long[]> ts = new LinkedHashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            if (ts.put(refs.get(i).name(), tensors.get(i)) != null) throw new IllegalArgumentException("parameter names repeat");
        }
        long sharing = new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
        return ShareFile.deal(dir, "model", Map.of("sharing", sharing), Map.of("graph", ModelGraphCodec.encode(graph),
                "name", name.getBytes(java.nio.charset.StandardCharsets.UTF_8)), ts,
                Seeds.fresh(32));
    }

    /**
     * A server's share of a model the owner shared (either form): the graph, this party's tensors in the graph's
     * parameter order (P2: empty), and a public name of the dealing (the same at all three servers, so a mix of two
     * dealings' files is refused when the servers meet).
     */
    public record Loaded(String name, ModelGraph graph, List<long[]> shares, String dealing) {}

    public static Loaded load(Path dir, int party) {
        Path file = ShareFile.path(dir, "model", party);
        ShareFile f = ShareFile.read(file, "model", party);
        if (!f.publicBytes().containsKey("graph")) {
            long a = f.publicInt("architecture");
            if (a < 0 || a >= Architecture.values().length) throw SecureNnException.badInput("share file " + file.getFileName()
                    + ": unknown network " + a);
            Architecture arch = Architecture.values()[(int) a];
            return new Loaded(arch.name(), arch.graph(), read(dir, "model", party, arch), "network " + arch.name());
        }
        ModelGraph g;
        try {
            g = ModelGraphCodec.decode(f.publicBytes("graph"));
        } catch (SecureNnException e) {
            throw SecureNnException.badInput("share file " + file.getFileName() + ": " + e.getMessage());
        }
        Map<String, long[]> s = f.shares();
        List<long[]> out = new ArrayList<>();
        for (Op.ParamRef ref : g.parameterRefs()) {
            Integer len = f.lengths().get(ref.name());
            if (len == null || len != ref.length()) {
                throw SecureNnException.badInput("share file " + file.getFileName() + ": parameter '" + ref.name() + "' of "
                        + ref.length() + " values is " + (len == null ? "missing" : "of " + len));
            }
            long[] t = s.get(ref.name());
            out.add(t != null ? t : new long[0]);
        }
        byte[] h = io.securenn.Hashes.sha256(f.publicBytes("graph"), f.publicBytes("graph").length);
        String name = f.publicBytes().containsKey("name")
                ? new String(f.publicBytes("name"), java.nio.charset.StandardCharsets.UTF_8) : g.name();
        return new Loaded(name, g, out, "sharing " + f.publicInt("sharing") + " graph " + java.util.HexFormat.of().formatHex(h, 0, 8));
    }
}
