package io.securenn.bench;

import io.securenn.SecureNnException;
import io.securenn.model.Architecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the network benchmark: a network, inference or one training iteration, and a batch size; or the
 * inference of an ONNX model ({@code model}: then {@code network} is null). Text form {@code A:inference:128}, or
 * {@code model=PATH:inference:1} (what the coordinator passes to each party process).
 */
public record BenchCase(Architecture network, Mode mode, int batch, Path model) {

    public enum Mode {
        /** Forward pass, argmax over the classes and the predicted class revealed to P0 (the paper's inference). */
        INFERENCE,
        /** One SGD iteration: forward (training mode), ASM loss gradient, backward with the weight update. */
        TRAINING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BenchCase(Architecture network, Mode mode, int batch) {
        this(network, mode, batch, null);
    }

    /** Inference of the ONNX model in that file at this batch. */
    public static BenchCase ofModel(Path model, int batch) {
        return new BenchCase(null, Mode.INFERENCE, batch, model);
    }

    public BenchCase {
        if ((network == null) == (model == null)) throw new IllegalArgumentException("a row is a network or a model");
        if (model != null && mode != Mode.INFERENCE) throw SecureNnException.usage("a model's row is inference only");
        if (batch < 1) throw SecureNnException.usage("batch must be at least 1, got " + batch);
        if (mode == Mode.TRAINING && Integer.bitCount(batch) != 1) {
            throw SecureNnException.usage("a training batch must be a power of two, got " + batch);
        }
    }

    /** The rows: inference at batch 1 and 128 for A–D, one training iteration at batch 128 for A, B, C. */
    public static List<BenchCase> standard() {
        List<BenchCase> out = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            out.add(new BenchCase(a, Mode.INFERENCE, 1));
            out.add(new BenchCase(a, Mode.INFERENCE, 128));
        }
        for (Architecture a : List.of(Architecture.A, Architecture.B, Architecture.C)) {
            out.add(new BenchCase(a, Mode.TRAINING, 128));
        }
        return out;
    }

    /**
     * The standard rows matching any of the selectors: {@code A} (every row of A), {@code training},
     * {@code A:inference}, {@code C:training:128}, {@code inference:1}; or a case outside the standard list when
     * all three parts are given ({@code A:training:8}).
     */
    public static List<BenchCase> select(List<String> selectors) {
        if (selectors == null || selectors.isEmpty()) return standard();
        List<BenchCase> out = new ArrayList<>();
        for (String sel : selectors) {
            String s = sel.trim();
            if (s.isEmpty()) continue;
            boolean any = false;
            if (s.split(":").length == 3) {
                BenchCase c = parse(s);
                if (!out.contains(c)) out.add(c);
                continue;
            }
            for (BenchCase c : standard()) {
                if (c.matches(s)) {
                    any = true;
                    if (!out.contains(c)) out.add(c);
                }
            }
            if (!any) throw SecureNnException.usage("--only '" + s + "' matches no benchmark row (e.g. A, training, "
                    + "B:inference, C:training:128, inference:1)");
        }
        if (out.isEmpty()) throw SecureNnException.usage("--only selects no benchmark row");
        return out;
    }

    private boolean matches(String selector) {
        for (String part : selector.split(":")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            boolean ok = p.equalsIgnoreCase(network.name()) || p.equals(mode.label()) || p.equals(Integer.toString(batch));
            if (!ok) return false;
        }
        return true;
    }

    /** Parses {@code NETWORK:MODE:BATCH} or {@code model=PATH:inference:BATCH}. */
    public static BenchCase parse(String s) {
        if (s.trim().startsWith(MODEL_PREFIX)) {
            String t = s.trim();
            int b = t.lastIndexOf(':'), m = b < 0 ? -1 : t.lastIndexOf(':', b - 1);
            if (m <= MODEL_PREFIX.length()) throw SecureNnException.usage("a model's benchmark case is model=PATH:inference:BATCH, got '" + s + "'");
            BenchCase parsed = parse("A" + t.substring(m));
            if (parsed.mode() != Mode.INFERENCE) throw SecureNnException.usage("a model's row is inference only");
            return ofModel(Path.of(t.substring(MODEL_PREFIX.length(), m)), parsed.batch());
        }
        String[] p = s.trim().split(":");
        if (p.length != 3) throw SecureNnException.usage("a benchmark case is NETWORK:MODE:BATCH, got '" + s + "'");
        Mode mode = switch (p[1].trim().toLowerCase(Locale.ROOT)) {
            case "inference" -> Mode.INFERENCE;
            case "training" -> Mode.TRAINING;
            default -> throw SecureNnException.usage("mode must be inference or training, got '" + p[1] + "'");
        };
        int batch;
        try {
            batch = Integer.parseInt(p[2].trim());
        } catch (NumberFormatException e) {
            throw SecureNnException.usage("batch must be a number, got '" + p[2] + "'");
        }
        return new BenchCase(Architecture.parse(p[0]), mode, batch);
    }

    private static final String MODEL_PREFIX = "model=";

    @Override
    public String toString() {
        return (model != null ? MODEL_PREFIX + model : network.name()) + ":" + mode.label() + ":" + batch;
    }

    /** The row's network: A-D, or the model file's base name without ".onnx" (resnet50). */
    public String name() {
        if (network != null) return network.name();
        String f = model.getFileName() == null ? model.toString() : model.getFileName().toString();
        return f.toLowerCase(Locale.ROOT).endsWith(".onnx") && f.length() > 5 ? f.substring(0, f.length() - 5) : f;
    }

    /** Human label, e.g. "A inference b128", "resnet50 inference b1". */
    public String label() {
        return name() + " " + mode.label() + " b" + batch;
    }
}
