package io.securenn.model.onnx;

import io.securenn.model.onnx.proto.Onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor known at load time: an initializer, a Constant node's value, or the result of folding a shape
 * computation. Initializers are checked when the model is read (storage, declared size against the bytes present)
 * but decoded only when used: a graph-only import never decodes a weight. Integer tensors may hold {@link #BATCH},
 * the symbolic batch size (what {@code Shape} gives for dimension 0 of an activation).
 */
final class Const implements OnnxImporter.Value {
    /** The symbolic batch size in folded integer tensors. */
    static final long BATCH = Long.MIN_VALUE;

    // ONNX TensorProto.DataType values
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8, BOOL = 9,
            FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    final long[] dims;
    final boolean integer;
    /** The ONNX initializer this is (for ParamRef names and the export map), or null. */
    final String initializer;
    private final TensorProto proto;
    /** Reads the tensor again from the file when it is not held ({@link #reloadable}); else null. */
    private final java.util.function.Supplier<TensorProto> reload;
    private double[] f;
    private long[] i;

    private Const(long[] dims, boolean integer, String initializer, TensorProto proto, double[] f, long[] i) {
        this(dims, integer, initializer, proto, null, f, i);
    }

    private Const(long[] dims, boolean integer, String initializer, TensorProto proto,
                  java.util.function.Supplier<TensorProto> reload, double[] f, long[] i) {
        this.dims = dims;
        this.integer = integer;
        this.initializer = initializer;
        this.proto = proto;
        this.reload = reload;
        this.f = f;
        this.i = i;
    }

    /**
     * The same checked tensor without its values: they are read again through {@code reload} each time they are
     * decoded, and never cached (a streamed import holds one weight at a time: {@link OnnxStream}).
     */
    static Const reloadable(Const c, java.util.function.Supplier<TensorProto> reload) {
        return new Const(c.dims, c.integer, c.initializer, null, reload, null, null);
    }

    private TensorProto tensor() {
        return proto != null ? proto : reload.get();
    }

    static Const ofInts(long[] dims, long[] values) {
        return new Const(dims, true, null, null, null, values);
    }

    static Const ofFloats(long[] dims, double[] values) {
        return new Const(dims, false, null, null, values, null);
    }

    /** The same tensor, named (a Constant node's output, for ParamRef names and sources). */
    static Const withName(Const c, String name) {
        return new Const(c.dims, c.integer, name, c.proto, c.reload, c.f, c.i);
    }

    /**
     * Checks a stored tensor without decoding it: a supported element type, no external data, and exactly as many
     * stored values as its dimensions declare (compared before anything is allocated).
     *
     * @param initializer its name when it is a graph initializer, else null
     * @param what        names it in messages, e.g. "initializer 'fc.weight'"
     */
    static Const of(TensorProto t, String initializer, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new OnnxImporter.Refusal(what + " is stored in an external file (external data is not supported: "
                    + "save the model with every tensor inside it)");
        }
        if (t.hasSegment()) throw new OnnxImporter.Refusal(what + " is segmented (not supported)");
        int type = t.getDataType();
        int width = width(type);
        if (width == 0) throw new OnnxImporter.Refusal(what + " has element type " + typeName(type) + " (supported: float, double, float16, bfloat16 and integer tensors)");
        long[] dims = new long[t.getDimsCount()];
        long n = 1;
        for (int k = 0; k < dims.length; k++) {
            dims[k] = t.getDims(k);
            if (dims[k] < 0) throw new OnnxImporter.Refusal(what + " has a negative dimension " + dims[k]);
            n = dims[k] == 0 || n == 0 ? 0 : (n > Long.MAX_VALUE / dims[k] ? Long.MAX_VALUE : n * dims[k]);
        }
        long stored;
        if (t.hasRawData()) {
            stored = t.getRawData().size() / width;
            if (t.getRawData().size() % width != 0) stored = -1;
        } else {
            stored = switch (type) {
                case FLOAT -> t.getFloatDataCount();
                case DOUBLE -> t.getDoubleDataCount();
                case INT64 -> t.getInt64DataCount();
                case UINT32, UINT64 -> t.getUint64DataCount();
                default -> t.getInt32DataCount();
            };
        }
        if (stored != n) {
            throw new OnnxImporter.Refusal(what + " declares dimensions " + Arrays.toString(dims) + " (" + (n == Long.MAX_VALUE ? "too many" : n)
                    + " values) but holds " + (stored < 0 ? t.getRawData().size() + " raw bytes" : stored + " values"));
        }
        boolean integer = type != FLOAT && type != DOUBLE && type != FLOAT16 && type != BFLOAT16;
        return new Const(dims, integer, initializer, t, null, null);
    }

    long count() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    int rank() {
        return dims.length;
    }

    /** The values as doubles (integer tensors converted; {@link #BATCH} is not a number and is refused by callers). */
    double[] floats() {
        if (f != null) return f;
        double[] v;
        if (integer) {
            long[] iv = ints();
            v = new double[iv.length];
            for (int k = 0; k < iv.length; k++) v[k] = iv[k];
        } else {
            v = decodeFloats(tensor());
        }
        if (reload == null) f = v;
        return v;
    }

    long[] ints() {
        if (i != null) return i;
        long[] v;
        if (!integer) {
            double[] fv = floats();
            v = new long[fv.length];
            for (int k = 0; k < fv.length; k++) v[k] = (long) fv[k];
        } else {
            v = decodeInts(tensor());
        }
        if (reload == null) i = v;
        return v;
    }

    boolean hasBatch() {
        if (!integer) return false;
        for (long v : ints()) if (v == BATCH) return true;
        return false;
    }

    private static int width(int type) {
        return switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> 0;
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case FLOAT -> "float";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case UINT16 -> "uint16";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case STRING -> "string";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            case DOUBLE -> "double";
            case UINT32 -> "uint32";
            case UINT64 -> "uint64";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case BFLOAT16 -> "bfloat16";
            default -> "#" + type;
        };
    }

    private static double[] decodeFloats(TensorProto t) {
        int type = t.getDataType();
        int n;
        double[] out;
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            n = b.remaining() / width(type);
            out = new double[n];
            for (int k = 0; k < n; k++) {
                out[k] = switch (type) {
                    case FLOAT -> b.getFloat();
                    case DOUBLE -> b.getDouble();
                    case FLOAT16 -> Float.float16ToFloat(b.getShort());
                    default -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16); // BFLOAT16
                };
            }
        } else {
            switch (type) {
                case FLOAT -> {
                    n = t.getFloatDataCount();
                    out = new double[n];
                    for (int k = 0; k < n; k++) out[k] = t.getFloatData(k);
                }
                case DOUBLE -> {
                    n = t.getDoubleDataCount();
                    out = new double[n];
                    for (int k = 0; k < n; k++) out[k] = t.getDoubleData(k);
                }
                case FLOAT16 -> {
                    n = t.getInt32DataCount();
                    out = new double[n];
                    for (int k = 0; k < n; k++) out[k] = Float.float16ToFloat((short) t.getInt32Data(k));
                }
                default -> { // BFLOAT16
                    n = t.getInt32DataCount();
                    out = new double[n];
                    for (int k = 0; k < n; k++) out[k] = Float.intBitsToFloat((t.getInt32Data(k) & 0xffff) << 16);
                }
            }
        }
        return out;
    }

    private static long[] decodeInts(TensorProto t) {
        int type = t.getDataType();
        long[] out;
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int n = b.remaining() / width(type);
            out = new long[n];
            for (int k = 0; k < n; k++) {
                out[k] = switch (type) {
                    case INT64, UINT64 -> b.getLong();
                    case INT32 -> b.getInt();
                    case UINT32 -> b.getInt() & 0xffffffffL;
                    case INT16 -> b.getShort();
                    case UINT16 -> b.getShort() & 0xffff;
                    case INT8 -> b.get();
                    default -> b.get() & 0xff; // UINT8, BOOL
                };
            }
        } else if (type == INT64) {
            out = new long[t.getInt64DataCount()];
            for (int k = 0; k < out.length; k++) out[k] = t.getInt64Data(k);
        } else if (type == UINT32 || type == UINT64) {
            out = new long[t.getUint64DataCount()];
            for (int k = 0; k < out.length; k++) out[k] = t.getUint64Data(k);
        } else {
            out = new long[t.getInt32DataCount()];
            for (int k = 0; k < out.length; k++) out[k] = t.getInt32Data(k);
        }
        return out;
    }
}
