package io.securenn.model;

import io.securenn.InputFiles;
import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model file: a trained (or initial) model in the clear, as the model owner holds it. Big-endian:
 * <pre>
 *   magic        4 bytes  "SNNM"
 *   version      u16      1
 *   frac bits    u8       13 (fixed-point scale 2^13)
 *   arch         u8 length + ASCII ("A" … "D")
 *   tensors      u16 count, then per tensor:
 *                  name   u8 length + ASCII ("fc1.W", "conv1.b", …)
 *                  rank   u8, then rank × u32 dimensions
 *                  values dims-product × i64 (fixed-point encodings, two's complement)
 *   checksum     32 bytes SHA-256 of every preceding byte
 * </pre>
 * Written atomically (temporary file in the same directory, then rename). Reading checks the structure, the
 * checksum, then the architecture and every tensor's name and shape against it; each defect is a one-line
 * BAD_INPUT error.
 */
public final class ModelFile {
    private ModelFile() {}

    static final byte[] MAGIC = {'S', 'N', 'N', 'M'};
    public static final int VERSION = 1;
    private static final int CHECKSUM_BYTES = 32;
    /** Longest model file read: far above networks A–D (C, the largest, is about 3.5 MB), far below a heap. */
    public static final int MAX_BYTES = 64 << 20;

    public static byte[] encode(ModelWeights w) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeShort(VERSION);
            out.writeByte(FixedPoint.FRAC_BITS);
            writeName(out, w.architecture().name());
            List<Architecture.ParamShape> shapes = w.architecture().parameterShapes();
            out.writeShort(shapes.size());
            for (int i = 0; i < shapes.size(); i++) {
                Architecture.ParamShape s = shapes.get(i);
                writeName(out, s.name());
                out.writeByte(s.shape().length);
                for (int d : s.shape()) out.writeInt(d);
                for (long v : w.tensors().get(i)) out.writeLong(v);
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            byte[] all = Arrays.copyOf(body, body.length + CHECKSUM_BYTES);
            System.arraycopy(io.securenn.Hashes.sha256(body, body.length), 0, all, body.length, CHECKSUM_BYTES);
            return all;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically (a temporary file beside it, then a rename: io.securenn.AtomicFiles). */
    public static void write(Path file, ModelWeights w) {
        io.securenn.AtomicFiles.write(file, encode(w));
    }

    /** Reads a model file of the expected architecture (null: any). */
    public static ModelWeights read(Path file, Architecture expected) {
        return decode(InputFiles.read(file, MAX_BYTES, "model file"), file.toString(), expected);
    }

    public static ModelWeights decode(byte[] data, String name, Architecture expected) {
        ByteBuffer in = ByteBuffer.wrap(data);
        String archName;
        List<String> names = new ArrayList<>();
        List<int[]> dims = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) throw bad(name, "not a securenn model file (wrong magic)");
            int version = in.getShort() & 0xffff;
            if (version != VERSION) throw bad(name, "unsupported model file version " + version + " (expected " + VERSION + ")");
            int frac = in.get() & 0xff;
            if (frac != FixedPoint.FRAC_BITS) {
                throw bad(name, "fixed-point scale 2^" + frac + " differs from this build's 2^" + FixedPoint.FRAC_BITS);
            }
            archName = readName(in);
            int count = in.getShort() & 0xffff;
            for (int t = 0; t < count; t++) {
                names.add(readName(in));
                int rank = in.get() & 0xff;
                int[] shape = new int[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = in.getInt();
                    if (shape[i] < 0) throw bad(name, "negative dimension");
                    size *= shape[i];
                    if (size > in.remaining() / 8) throw truncated(name);
                }
                long[] v = new long[(int) size];
                in.asLongBuffer().get(v);
                in.position(in.position() + 8 * v.length);
                dims.add(shape);
                values.add(v);
            }
            if (in.remaining() < CHECKSUM_BYTES) throw truncated(name);
        } catch (BufferUnderflowException e) {
            throw truncated(name);
        }
        int body = in.position();
        if (in.remaining() > CHECKSUM_BYTES) {
            throw bad(name, (in.remaining() - CHECKSUM_BYTES) + " unexpected bytes after the checksum");
        }
        byte[] stored = Arrays.copyOfRange(data, body, body + CHECKSUM_BYTES);
        if (!MessageDigest.isEqual(stored, io.securenn.Hashes.sha256(data, body))) throw bad(name, "checksum mismatch (file corrupted)");
        Architecture arch;
        try {
            arch = Architecture.valueOf(archName);
        } catch (IllegalArgumentException e) {
            throw bad(name, "unknown architecture '" + printable(archName) + "'");
        }
        if (expected != null && arch != expected) {
            throw bad(name, "holds network " + arch + ", but network " + expected + " was asked for");
        }
        List<Architecture.ParamShape> shapes = arch.parameterShapes();
        if (names.size() != shapes.size()) {
            throw bad(name, names.size() + " tensors, network " + arch + " has " + shapes.size());
        }
        for (int i = 0; i < shapes.size(); i++) {
            Architecture.ParamShape s = shapes.get(i);
            if (!names.get(i).equals(s.name()) || !Arrays.equals(dims.get(i), s.shape())) {
                throw bad(name, "tensor " + i + " is " + printable(names.get(i)) + Arrays.toString(dims.get(i)) + ", network "
                        + arch + " needs " + s.name() + Arrays.toString(s.shape()));
            }
        }
        return new ModelWeights(arch, values);
    }

    private static void writeName(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.writeByte(b.length);
        out.write(b);
    }

    private static String readName(ByteBuffer in) {
        int n = in.get() & 0xff;
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.US_ASCII);
    }


    /** A name read from a file, fit for a one-line message (control and non-ASCII characters as '?'). */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static SecureNnException bad(String name, String what) {
        return SecureNnException.badInput("model file " + name + ": " + what);
    }

    private static SecureNnException truncated(String name) {
        return bad(name, "truncated");
    }
}
