package io.securenn.data;

import io.securenn.SecureNnException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of IDX files (the MNIST format): magic 0x00 0x00, type byte (only 0x08 = unsigned byte is used here),
 * number of dimensions, then each dimension as a big-endian u32, then the data row-major. Files may be raw or
 * gzip-compressed (detected by the gzip magic 0x1f 0x8b, not by the name). Every defect is a one-line
 * {@link SecureNnException} of kind BAD_INPUT naming the file.
 */
public final class Idx {
    private Idx() {}

    public static final int TYPE_UBYTE = 0x08;
    /** Larger than any real MNIST-like file; guards against a corrupt header asking for gigabytes. */
    private static final long MAX_BYTES = 1L << 31;

    /** An IDX array of unsigned bytes. */
    public record Array(int[] dims, byte[] data) {
        public int dim(int i) {
            return dims[i];
        }
    }

    /** Reads an unsigned-byte IDX file and checks it has {@code expectedRank} dimensions. */
    public static Array read(Path file, int expectedRank) {
        byte[] raw = readAll(file);
        return parse(raw, file.toString(), expectedRank);
    }

    static Array parse(byte[] b, String name, int expectedRank) {
        if (b.length < 4) throw bad(name, "too short for an IDX header (" + b.length + " bytes)");
        if (b[0] != 0 || b[1] != 0) {
            throw bad(name, String.format("not an IDX file (magic %02x %02x, expected 00 00)", b[0] & 0xff, b[1] & 0xff));
        }
        int type = b[2] & 0xff;
        if (type != TYPE_UBYTE) throw bad(name, String.format("IDX element type 0x%02x is not supported (only 0x08, unsigned byte)", type));
        int rank = b[3] & 0xff;
        if (rank != expectedRank) throw bad(name, "has " + rank + " dimensions, expected " + expectedRank);
        int header = 4 + 4 * rank;
        if (b.length < header) throw bad(name, "truncated header (" + b.length + " bytes, needs " + header + ")");
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            long d = ((b[4 + 4 * i] & 0xffL) << 24) | ((b[5 + 4 * i] & 0xffL) << 16) | ((b[6 + 4 * i] & 0xffL) << 8)
                    | (b[7 + 4 * i] & 0xffL);
            if (d > Integer.MAX_VALUE) throw bad(name, "dimension " + i + " is " + d + ", too large");
            dims[i] = (int) d;
            n *= d;
            if (n > MAX_BYTES) throw bad(name, "header announces more than 2^31 elements");
        }
        long have = b.length - header;
        if (have < n) {
            throw bad(name, "truncated: the header " + Arrays.toString(dims) + " needs " + n + " data bytes, the file has " + have);
        }
        if (have > n) throw bad(name, "has " + (have - n) + " unexpected bytes after the " + n + " data bytes");
        return new Array(dims, Arrays.copyOfRange(b, header, b.length));
    }

    private static byte[] readAll(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (!gzip) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(head);
                in.transferTo(out);
                return out.toByteArray();
            }
            try (InputStream all = Files.newInputStream(file); GZIPInputStream gz = new GZIPInputStream(all, 1 << 16)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int r; (r = gz.read(buf)) > 0; ) {
                    total += r;
                    if (total > MAX_BYTES) throw bad(file.toString(), "decompresses to more than 2 GiB");
                    out.write(buf, 0, r);
                }
                return out.toByteArray();
            }
        } catch (NoSuchFileException e) {
            throw bad(file.toString(), "no such file");
        } catch (java.io.EOFException e) {
            throw bad(file.toString(), "truncated gzip stream");
        } catch (ZipException e) {
            throw bad(file.toString(), "corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw bad(file.toString(), "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static SecureNnException bad(String name, String what) {
        return SecureNnException.badInput(name + ": " + what);
    }

    /** Writes an unsigned-byte IDX file (raw), for tests and tools. */
    public static byte[] encode(int[] dims, byte[] data) {
        byte[] out = new byte[4 + 4 * dims.length + data.length];
        out[2] = TYPE_UBYTE;
        out[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            out[4 + 4 * i] = (byte) (dims[i] >>> 24);
            out[5 + 4 * i] = (byte) (dims[i] >>> 16);
            out[6 + 4 * i] = (byte) (dims[i] >>> 8);
            out[7 + 4 * i] = (byte) dims[i];
        }
        System.arraycopy(data, 0, out, 4 + 4 * dims.length, data.length);
        return out;
    }
}
