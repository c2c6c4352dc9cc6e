package io.securenn.data;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy's .npy files (format versions 1.0, 2.0 and 3.0): inputs and labels for ONNX models, and their outputs.
 * Reads little-endian float32 ({@code <f4}), float64 ({@code <f8}), int64 ({@code <i8}, labels) and uint8
 * ({@code |u1}, images) arrays in C order; anything else (big-endian, Fortran order, other types, object arrays)
 * is one BAD_INPUT line naming the file. Writes float32 arrays atomically (a temporary file renamed over the
 * target).
 */
public final class Npy {
    private Npy() {}

    /** The largest file read (a Java array's bound). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;

    public enum Dtype {
        FLOAT32("<f4", 4), FLOAT64("<f8", 8), UINT8("|u1", 1), INT64("<i8", 8);

        public final String descr;
        public final int width;

        Dtype(String descr, int width) {
            this.descr = descr;
            this.width = width;
        }
    }

    /** An array: its shape (C order), its element type and its values as stored (uint8 as 0..255). */
    public record Array(int[] shape, Dtype dtype, double[] raw) {
        public Array {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int count() {
            return raw.length;
        }

        /** The values as images: uint8 scaled by 1/255 into [0, 1]; other types as stored. */
        public double[] scaled() {
            if (dtype != Dtype.UINT8) return raw.clone();
            double[] v = new double[raw.length];
            for (int k = 0; k < v.length; k++) v[k] = raw[k] / 255.0;
            return v;
        }

        /** The values as integers (labels): each must be a whole number in the int range. */
        public int[] ints(String what) {
            int[] v = new int[raw.length];
            for (int k = 0; k < v.length; k++) {
                double x = raw[k];
                if (x != Math.rint(x) || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                    throw SecureNnException.badInput(what + ": value " + k + " is " + x + ", not an integer");
                }
                v[k] = (int) x;
            }
            return v;
        }
    }

    public static Array read(Path file) {
        byte[] b;
        try {
            if (Files.isDirectory(file)) throw SecureNnException.badInput(file + ": is a directory, not a .npy file");
            if (Files.exists(file) && !Files.isRegularFile(file)) throw SecureNnException.badInput(file + ": is not a regular file");
            if (Files.size(file) > MAX_FILE_BYTES) throw SecureNnException.badInput(file + ": is larger than 2 GiB");
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw SecureNnException.badInput(file + ": cannot read: " + AtomicFiles.describe(e));
        }
        return parse(b, file.toString());
    }

    /** Parses a .npy file's bytes; name names it in messages. */
    public static Array parse(byte[] b, String name) {
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) throw bad(name, "not a NumPy .npy file");
        int major = b[6] & 0xff, minor = b[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) throw bad(name, ".npy format version " + major + "." + minor + " is not supported (1.0, 2.0, 3.0)");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else {
            if (b.length < 12) throw bad(name, "truncated header");
            headerLen = bb.getInt(8) & 0xffffffffL;
            start = 12;
        }
        if (headerLen > MAX_HEADER || start + headerLen > b.length) throw bad(name, "the header runs past the end of the file (truncated?)");
        String header = new String(b, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> h = new HeaderParser(header, name).dict();
        Object descr = h.get("descr"), fortran = h.get("fortran_order"), shapeObj = h.get("shape");
        if (!(descr instanceof String d)) throw bad(name, "the header has no 'descr' string");
        if (!(fortran instanceof Boolean f)) throw bad(name, "the header has no 'fortran_order' flag");
        if (!(shapeObj instanceof long[] dims)) throw bad(name, "the header has no 'shape' tuple");
        Dtype dtype = null;
        for (Dtype t : Dtype.values()) if (t.descr.equals(d) || (t == Dtype.UINT8 && d.equals("<u1"))) dtype = t;
        if (dtype == null) {
            throw bad(name, "dtype '" + clean(d) + "' is not supported (<f4, <f8, |u1 or <i8: little-endian float32, float64, uint8, int64)");
        }
        if (f) throw bad(name, "fortran_order True is not supported (C order only)");
        long n = 1;
        int[] shape = new int[dims.length];
        for (int k = 0; k < dims.length; k++) {
            if (dims[k] < 0 || dims[k] > Integer.MAX_VALUE) throw bad(name, "shape " + tuple(dims) + " is not valid");
            shape[k] = (int) dims[k];
            n = Math.multiplyHigh(n, dims[k]) != 0 || n * dims[k] < 0 ? Long.MAX_VALUE : n * dims[k];
        }
        long dataStart = start + headerLen;
        long have = b.length - dataStart;
        if (n == Long.MAX_VALUE || n > have / dtype.width || n * dtype.width != have) {
            throw bad(name, "shape " + tuple(dims) + " of " + dtype.descr + " needs " + (n == Long.MAX_VALUE ? "too many" : String.valueOf(n * dtype.width))
                    + " data bytes, the file has " + have);
        }
        double[] v = new double[(int) n];
        bb.position((int) dataStart);
        for (int k = 0; k < v.length; k++) {
            v[k] = switch (dtype) {
                case FLOAT32 -> bb.getFloat();
                case FLOAT64 -> bb.getDouble();
                case UINT8 -> bb.get() & 0xff;
                case INT64 -> bb.getLong();
            };
        }
        return new Array(shape, dtype, v);
    }

    /** Writes values (row-major, of the given shape) as a float32 .npy file, atomically. */
    public static void writeFloat32(Path file, int[] shape, double[] values) {
        AtomicFiles.write(file, encode(shape, Dtype.FLOAT32, values));
    }

    /** A version 1.0 .npy file of the given type (uint8 and int64 values are rounded). */
    public static byte[] encode(int[] shape, Dtype dtype, double[] values) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n != values.length) throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        StringBuilder t = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) t.append(k > 0 ? ", " : "").append(shape[k]);
        if (shape.length == 1) t.append(',');
        t.append(')');
        String dict = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': " + t + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * dtype.width).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double x : values) {
            switch (dtype) {
                case FLOAT32 -> b.putFloat((float) x);
                case FLOAT64 -> b.putDouble(x);
                case UINT8 -> b.put((byte) Math.round(x));
                case INT64 -> b.putLong(Math.round(x));
            }
        }
        return b.array();
    }

    private static SecureNnException bad(String name, String what) {
        return SecureNnException.badInput(clean(name) + ": " + what);
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length() && k < 200; k++) {
            char c = s.charAt(k);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static String tuple(long[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < v.length && k < 8; k++) b.append(k > 0 ? ", " : "").append(v[k]);
        return b.append(v.length > 8 ? ", ...)" : ")").toString();
    }

    /** The header's Python dict literal: string keys; string, True/False and int-tuple values. */
    private static final class HeaderParser {
        private final String s;
        private final String name;
        private int at;

        HeaderParser(String s, String name) {
            this.s = s;
            this.name = name;
        }

        private SecureNnException malformed() {
            return bad(name, "malformed .npy header");
        }

        private void ws() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }

        private boolean eat(char c) {
            ws();
            if (at < s.length() && s.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!eat(c)) throw malformed();
        }

        Map<String, Object> dict() {
            Map<String, Object> m = new HashMap<>();
            expect('{');
            while (!eat('}')) {
                String k = string();
                expect(':');
                if (m.put(k, value()) != null) throw malformed();
                if (!eat(',')) {
                    expect('}');
                    break;
                }
            }
            ws();
            if (at != s.length()) throw malformed();
            return m;
        }

        private String string() {
            ws();
            if (at >= s.length()) throw malformed();
            char q = s.charAt(at);
            if (q != '\'' && q != '"') throw malformed();
            int end = s.indexOf(q, at + 1);
            if (end < 0) throw malformed();
            String v = s.substring(at + 1, end);
            at = end + 1;
            return v;
        }

        private Object value() {
            ws();
            if (at >= s.length()) throw malformed();
            char c = s.charAt(at);
            if (c == '\'' || c == '"') return string();
            if (s.startsWith("True", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                at++;
                List<Long> v = new ArrayList<>();
                while (!eat(')')) {
                    v.add(integer());
                    if (v.size() > 32) throw malformed();
                    if (!eat(',')) {
                        expect(')');
                        break;
                    }
                }
                return v.stream().mapToLong(Long::longValue).toArray();
            }
            throw malformed();
        }

        private long integer() {
            ws();
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at)) && at - start < 19) at++;
            if (at == start) throw malformed();
            if (at < s.length() && Character.isDigit(s.charAt(at))) throw malformed();
            // a Python 2 long ("3L")
            long v = Long.parseLong(s.substring(start, at));
            if (at < s.length() && s.charAt(at) == 'L') at++;
            return v;
        }
    }
}
