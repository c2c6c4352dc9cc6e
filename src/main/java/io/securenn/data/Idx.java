package io.securenn.data;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
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
    /**
     * Most data bytes a file may announce: 2^30 (1 GiB, over 20 times MNIST's training images). Memory is only
     * ever taken for bytes that are really in the file, whatever its header claims.
     */
    public static final long MAX_ELEMENTS = 1L << 30;

    /** An IDX array of unsigned bytes. */
    public record Array(int[] dims, byte[] data) {
        public int dim(int i) {
            return dims[i];
        }
    }

    /** Reads an unsigned-byte IDX file (raw or gzip) and checks it has {@code expectedRank} dimensions. */
    public static Array read(Path file, int expectedRank) {
        String name = file.toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return parse(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, name, expectedRank);
        } catch (NoSuchFileException e) {
            throw bad(name, "no such file");
        } catch (java.io.EOFException e) {
            throw bad(name, "truncated gzip stream");
        } catch (ZipException e) {
            throw bad(name, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw bad(name, "cannot be read (" + AtomicFiles.describe(e) + ")");
        }
    }

    /** Parses the bytes of an uncompressed IDX file (the same checks as {@link #read}). */
    public static Array parse(byte[] b, String name, int expectedRank) {
        try {
            return parse(new ByteArrayInputStream(b), name, expectedRank);
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
    }

    private static Array parse(InputStream in, String name, int expectedRank) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) throw bad(name, "too short for an IDX header (" + b.length + " bytes)");
        if (b[0] != 0 || b[1] != 0) {
            throw bad(name, String.format("not an IDX file (magic %02x %02x, expected 00 00)", b[0] & 0xff, b[1] & 0xff));
        }
        int type = b[2] & 0xff;
        if (type != TYPE_UBYTE) throw bad(name, String.format("IDX element type 0x%02x is not supported (only 0x08, unsigned byte)", type));
        int rank = b[3] & 0xff;
        if (rank != expectedRank) throw bad(name, "has " + rank + " dimensions, expected " + expectedRank);
        int header = 4 + 4 * rank;
        byte[] d = in.readNBytes(4 * rank);
        if (d.length < 4 * rank) throw bad(name, "truncated header (" + (4 + d.length) + " bytes, needs " + header + ")");
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            long v = ((d[4 * i] & 0xffL) << 24) | ((d[4 * i + 1] & 0xffL) << 16) | ((d[4 * i + 2] & 0xffL) << 8)
                    | (d[4 * i + 3] & 0xffL);
            if (v > Integer.MAX_VALUE) throw bad(name, "dimension " + i + " is " + v + ", too large");
            dims[i] = (int) v;
            n *= v;
            if (n > MAX_ELEMENTS) throw bad(name, "header announces more than 2^30 data bytes");
        }
        byte[] data = in.readNBytes((int) n); // grows with what arrives: a lying header costs no memory
        if (data.length < n) {
            throw bad(name, "truncated: the header " + Arrays.toString(dims) + " needs " + n + " data bytes, the file has "
                    + data.length);
        }
        long extra = 0;
        byte[] buf = new byte[1 << 13];
        for (int r; extra <= MAX_ELEMENTS && (r = in.read(buf)) > 0; ) extra += r;
        if (extra > 0) {
            throw bad(name, "has " + (extra > MAX_ELEMENTS ? "more than 2^30" : Long.toString(extra))
                    + " unexpected bytes after the " + n + " data bytes");
        }
        return new Array(dims, data);
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
