package io.securenn.model;

import io.securenn.SecureNnException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of a {@link ModelGraph} (public: what P0 sends P1 and P2 so that all three run the same
 * architecture). Big-endian: magic "SNMG", version 1, the name, input name, input shape, output name, output
 * function, then each node: name, operator tag and its fields, inputs, shape. Strings are UTF-8 with an int length.
 * {@link #decode} checks every length against the bytes left, so a damaged or hostile message ends in a one-line
 * {@link SecureNnException} (BAD_INPUT; a receiver may re-throw it as its peer's misbehaviour), never in an
 * allocation of what a length field claims.
 */
public final class ModelGraphCodec {
    private ModelGraphCodec() {}

    private static final int MAGIC = 0x534e4d47; // "SNMG"
    private static final int VERSION = 1;
    private static final int MAX_RANK = 8;

    private enum Tag { CONV, GEMM, RELU, MAX_POOL, AVERAGE_POOL, GLOBAL_AVERAGE_POOL, BATCH_NORM, FLATTEN, ADD, CONCAT, PAD }

    public static byte[] encode(ModelGraph g) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(bytes);
            o.writeInt(MAGIC);
            o.writeByte(VERSION);
            str(o, g.name());
            str(o, g.inputName());
            ints(o, g.inputShape());
            str(o, g.outputName());
            o.writeByte(g.output().ordinal());
            o.writeInt(g.nodes().size());
            for (Node n : g.nodes()) {
                str(o, n.name());
                op(o, n.op());
                ints(o, n.inputs());
                ints(o, n.shape());
            }
            o.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
    }

    private static void op(DataOutputStream o, Op op) throws IOException {
        switch (op) {
            case Op.Conv c -> {
                o.writeByte(Tag.CONV.ordinal());
                o.writeInt(c.outChannels());
                window(o, c.window());
                ref(o, c.weight());
                ref(o, c.bias());
            }
            case Op.Gemm g -> {
                o.writeByte(Tag.GEMM.ordinal());
                o.writeInt(g.in());
                o.writeInt(g.out());
                ref(o, g.weight());
                ref(o, g.bias());
                str(o, g.onnxType());
            }
            case Op.Relu r -> o.writeByte(Tag.RELU.ordinal());
            case Op.MaxPool m -> {
                o.writeByte(Tag.MAX_POOL.ordinal());
                window(o, m.window());
                o.writeBoolean(m.ceilMode());
            }
            case Op.AveragePool a -> {
                o.writeByte(Tag.AVERAGE_POOL.ordinal());
                window(o, a.window());
                o.writeBoolean(a.ceilMode());
                o.writeBoolean(a.countIncludePad());
            }
            case Op.GlobalAveragePool g -> o.writeByte(Tag.GLOBAL_AVERAGE_POOL.ordinal());
            case Op.BatchNorm b -> {
                o.writeByte(Tag.BATCH_NORM.ordinal());
                ref(o, b.scale());
                ref(o, b.shift());
            }
            case Op.Flatten f -> {
                o.writeByte(Tag.FLATTEN.ordinal());
                str(o, f.onnxType());
            }
            case Op.Add a -> o.writeByte(Tag.ADD.ordinal());
            case Op.Concat c -> o.writeByte(Tag.CONCAT.ordinal());
            case Op.Pad p -> {
                o.writeByte(Tag.PAD.ordinal());
                pads(o, p.pads());
            }
        }
    }

    private static void window(DataOutputStream o, Op.Window w) throws IOException {
        o.writeInt(w.kh());
        o.writeInt(w.kw());
        o.writeInt(w.sh());
        o.writeInt(w.sw());
        pads(o, w.pads());
    }

    private static void pads(DataOutputStream o, Op.Pads p) throws IOException {
        o.writeInt(p.top());
        o.writeInt(p.left());
        o.writeInt(p.bottom());
        o.writeInt(p.right());
    }

    private static void ref(DataOutputStream o, Op.ParamRef r) throws IOException {
        o.writeBoolean(r != null);
        if (r == null) return;
        str(o, r.name());
        o.writeInt(r.length());
    }

    private static void str(DataOutputStream o, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.writeInt(b.length);
        o.write(b);
    }

    private static void ints(DataOutputStream o, int[] v) throws IOException {
        o.writeInt(v.length);
        for (int x : v) o.writeInt(x);
    }

    /** The graph of {@link #encode}'s bytes; any damage is a BAD_INPUT "model graph: …" error. */
    public static ModelGraph decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            if (b.remaining() < 5 || b.getInt() != MAGIC) throw bad("not a model graph");
            int v = b.get();
            if (v != VERSION) throw bad("version " + v + " (this build reads version " + VERSION + ")");
            String name = str(b), inputName = str(b);
            int[] inputShape = ints(b);
            String outputName = str(b);
            int out = b.get();
            if (out < 0 || out >= ModelGraph.Output.values().length) throw bad("unknown output function " + out);
            int count = count(b, 1);
            List<Node> nodes = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                String n = str(b);
                Op op = op(b);
                nodes.add(new Node(n, op, ints(b), ints(b)));
            }
            if (b.hasRemaining()) throw bad(b.remaining() + " bytes after the last node");
            ModelGraph g = new ModelGraph(name, inputName, inputShape, outputName, nodes, ModelGraph.Output.values()[out]);
            for (Node n : g.nodes()) n.size(); // every shape within the limits
            return g;
        } catch (BufferUnderflowException e) {
            throw bad("truncated");
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static SecureNnException bad(String what) {
        return SecureNnException.badInput("model graph: " + what.replaceAll("[\\p{Cntrl}]", "?"));
    }

    private static int count(ByteBuffer b, int minBytesEach) {
        int n = b.getInt();
        if (n < 0 || (long) n * minBytesEach > b.remaining()) throw bad("a length of " + n + " runs past the end");
        return n;
    }

    private static Op op(ByteBuffer b) {
        int t = b.get();
        if (t < 0 || t >= Tag.values().length) throw bad("unknown operator tag " + t);
        return switch (Tag.values()[t]) {
            case CONV -> new Op.Conv(b.getInt(), window(b), ref(b, false), ref(b, true));
            case GEMM -> new Op.Gemm(b.getInt(), b.getInt(), ref(b, false), ref(b, true), str(b));
            case RELU -> new Op.Relu();
            case MAX_POOL -> new Op.MaxPool(window(b), bool(b));
            case AVERAGE_POOL -> new Op.AveragePool(window(b), bool(b), bool(b));
            case GLOBAL_AVERAGE_POOL -> new Op.GlobalAveragePool();
            case BATCH_NORM -> new Op.BatchNorm(ref(b, false), ref(b, false));
            case FLATTEN -> new Op.Flatten(str(b));
            case ADD -> new Op.Add();
            case CONCAT -> new Op.Concat();
            case PAD -> new Op.Pad(pads(b));
        };
    }

    private static boolean bool(ByteBuffer b) {
        int v = b.get();
        if (v != 0 && v != 1) throw bad("a flag is " + v);
        return v == 1;
    }

    private static Op.Window window(ByteBuffer b) {
        return new Op.Window(b.getInt(), b.getInt(), b.getInt(), b.getInt(), pads(b));
    }

    private static Op.Pads pads(ByteBuffer b) {
        return new Op.Pads(b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    private static Op.ParamRef ref(ByteBuffer b, boolean optional) {
        boolean present = bool(b);
        if (!present) {
            if (!optional) throw bad("a required parameter is missing");
            return null;
        }
        String name = str(b);
        int len = b.getInt();
        if (len <= 0) throw bad("parameter '" + name + "' has length " + len);
        return new Op.ParamRef(name, len);
    }

    private static String str(ByteBuffer b) {
        int n = count(b, 1);
        ByteBuffer s = b.slice(b.position(), n);
        b.position(b.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(s).toString();
        } catch (CharacterCodingException e) {
            throw bad("a name is not UTF-8");
        }
    }

    private static int[] ints(ByteBuffer b) {
        int n = count(b, 4);
        if (n > MAX_RANK && n * 4 > b.remaining()) throw bad("a list of " + n + " values runs past the end");
        int[] v = new int[n];
        for (int k = 0; k < n; k++) v[k] = b.getInt();
        return v;
    }
}
