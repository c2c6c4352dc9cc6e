package io.securenn.data;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;
import io.securenn.random.Prg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server's share of what a data owner or model owner secret-shared: named tensors of public lengths, plus
 * public integers (counts, dimensions). P0's file holds its shares x − r; P1's holds only the 32-byte seed of the
 * AES-CTR stream that generates r, tensor after tensor in file order (so P1's file is small whatever the data);
 * P2's holds the public integers only. The sharing is made with the owner's CSPRNG (a fresh seed per sharing).
 * Shares computed by the servers (a trained model) are stored as values by both P0 and P1.
 *
 * <p>File: magic "SNNS", version, party, kind (ASCII), public integers (name, value), in version 2 public byte
 * strings (name, length, bytes: e.g. a model's graph), tensors (name, length), a content mode (0 none, 1 seed, 2
 * values) and the seed or the values, then a SHA-256 of all that. Version 1 (no byte strings) is written when there
 * are none. Written atomically, owner-only.
 */
public record ShareFile(int party, String kind, Map<String, Long> publicInts, Map<String, Integer> lengths,
                        byte[] seed, Map<String, long[]> values, Map<String, byte[]> publicBytes) {
    static final byte[] MAGIC = {'S', 'N', 'N', 'S'};
    static final int VERSION = 1;
    /** The version with public byte strings. */
    static final int VERSION_BYTES = 2;
    /** Largest public byte string (a model graph is tens of kilobytes). */
    static final int MAX_PUBLIC_BYTES = 64 << 20;

    public ShareFile(int party, String kind, Map<String, Long> publicInts, Map<String, Integer> lengths, byte[] seed,
                     Map<String, long[]> values) {
        this(party, kind, publicInts, lengths, seed, values, Map.of());
    }

    /** A public byte string of the file, e.g. a model's graph. */
    public byte[] publicBytes(String name) {
        byte[] v = publicBytes.get(name);
        if (v == null) throw SecureNnException.badInput("share file of kind " + kind + " lacks '" + name + "'");
        return v;
    }
    /** Most values a share file may declare: 2^28 (2 GiB of shares; MNIST's training and test sets are 2^25.7). */
    public static final long MAX_ELEMENTS = 1L << 28;

    /** This party's share of tensor name (P0: stored; P1: regenerated from the seed; P2: none). */
    public Map<String, long[]> shares() {
        if (values != null) return values;
        Map<String, long[]> out = new LinkedHashMap<>();
        if (seed != null) {
            Prg g = prg(seed);
            for (var e : lengths.entrySet()) out.put(e.getKey(), g.longs(e.getValue()));
        }
        return out;
    }

    public long publicInt(String name) {
        Long v = publicInts.get(name);
        if (v == null) throw SecureNnException.badInput("share file of kind " + kind + " lacks '" + name + "'");
        return v;
    }

    private static Prg prg(byte[] seed) {
        return new Prg(Arrays.copyOfRange(seed, 0, 16), Arrays.copyOfRange(seed, 16, 32));
    }

    /**
     * Splits the owner's tensors into the three parties' files dir/&lt;kind&gt;-P0/1/2.snns with a fresh seed.
     * Returns the paths.
     */
    public static List<Path> deal(Path dir, String kind, Map<String, Long> publicInts, Map<String, long[]> tensors,
                                  byte[] seed32) {
        return deal(dir, kind, publicInts, Map.of(), tensors, seed32);
    }

    /** As {@link #deal(Path, String, Map, Map, byte[])}, with public byte strings in every party's file. */
    public static List<Path> deal(Path dir, String kind, Map<String, Long> publicInts, Map<String, byte[]> publicBytes,
                                  Map<String, long[]> tensors, byte[] seed32) {
        Prg g = prg(seed32);
        Map<String, long[]> p0 = new LinkedHashMap<>();
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) {
            long[] x = e.getValue(), r = g.longs(x.length);
            for (int i = 0; i < x.length; i++) r[i] = x[i] - r[i];
            p0.put(e.getKey(), r);
            lengths.put(e.getKey(), x.length);
        }
        List<Path> out = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            ShareFile f = new ShareFile(p, kind, publicInts, lengths, p == 1 ? seed32 : null, p == 0 ? p0 : null, publicBytes);
            Path path = dir.resolve(kind + "-P" + p + ".snns");
            AtomicFiles.write(path, f.encode(), true, true);
            out.add(path);
        }
        Arrays.fill(seed32, (byte) 0);
        return out;
    }

    /** A server's own shares (e.g. of a trained model), stored as values. */
    public static void writeValues(Path file, int party, String kind, Map<String, Long> publicInts,
                                   Map<String, long[]> shares) {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (var e : shares.entrySet()) lengths.put(e.getKey(), e.getValue().length);
        AtomicFiles.write(file, new ShareFile(party, kind, publicInts, lengths, null, party == 2 ? null : shares).encode(),
                true, true);
    }

    /** The file of party p of kind in dir. */
    public static Path path(Path dir, String kind, int party) {
        return dir.resolve(kind + "-P" + party + ".snns");
    }

    public byte[] encode() {
        try (var bos = new java.io.ByteArrayOutputStream(); var out = new java.io.DataOutputStream(bos)) {
            out.write(MAGIC);
            out.writeInt(publicBytes.isEmpty() ? VERSION : VERSION_BYTES);
            out.writeInt(party);
            out.writeUTF(kind);
            out.writeInt(publicInts.size());
            for (var e : publicInts.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            if (!publicBytes.isEmpty()) {
                out.writeInt(publicBytes.size());
                for (var e : publicBytes.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().length);
                    out.write(e.getValue());
                }
            }
            out.writeInt(lengths.size());
            for (var e : lengths.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue());
            }
            out.writeByte(values != null ? 2 : seed != null ? 1 : 0);
            if (seed != null && values == null) out.write(seed);
            if (values != null) {
                for (var e : lengths.entrySet()) {
                    long[] v = values.get(e.getKey());
                    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    b.asLongBuffer().put(v);
                    out.write(b.array());
                }
            }
            out.flush();
            byte[] body = bos.toByteArray();
            byte[] all = Arrays.copyOf(body, body.length + 32);
            System.arraycopy(io.securenn.Hashes.sha256(body, body.length), 0, all, body.length, 32);
            return all;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ShareFile read(Path file, String expectedKind, int expectedParty) {
        byte[] data;
        try {
            if (Files.size(file) > (1L << 31) - 64) throw bad(file, "too large");
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw SecureNnException.badInput("cannot read share file " + file + ": " + AtomicFiles.describe(e));
        }
        return decode(data, file, expectedKind, expectedParty);
    }

    /** Parses the bytes of a share file (named in errors by file's name), with the checks of {@link #read}. */
    static ShareFile decode(byte[] data, Path file, String expectedKind, int expectedParty) {
        if (data.length < 40 || !Arrays.equals(Arrays.copyOf(data, 4), MAGIC)) throw bad(file, "not a securenn share file");
        int body = data.length - 32;
        if (!Arrays.equals(io.securenn.Hashes.sha256(data, body), Arrays.copyOfRange(data, body, data.length))) {
            throw bad(file, "checksum mismatch (truncated or corrupted)");
        }
        try (var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(data, 4, body - 4))) {
            int version = in.readInt();
            if (version != VERSION && version != VERSION_BYTES) {
                throw bad(file, "version " + version + ", this build reads " + VERSION + " and " + VERSION_BYTES);
            }
            int party = in.readInt();
            String kind = in.readUTF();
            if (!kind.equals(expectedKind)) throw bad(file, "holds " + kind + " shares, " + expectedKind + " expected");
            if (party != expectedParty) throw bad(file, "is party P" + party + "'s share, this is P" + expectedParty);
            int ni = in.readInt();
            if (ni < 0 || ni > 64) throw bad(file, "malformed header");
            Map<String, Long> ints = new LinkedHashMap<>();
            for (int i = 0; i < ni; i++) ints.put(in.readUTF(), in.readLong());
            Map<String, byte[]> blobs = new LinkedHashMap<>();
            if (version == VERSION_BYTES) {
                int nb = in.readInt();
                if (nb < 0 || nb > 64) throw bad(file, "malformed header");
                for (int i = 0; i < nb; i++) {
                    String name = in.readUTF();
                    int len = in.readInt();
                    if (len < 0 || len > MAX_PUBLIC_BYTES || len > in.available()) throw bad(file, "malformed public bytes");
                    blobs.put(name, in.readNBytes(len));
                }
            }
            int nt = in.readInt();
            if (nt < 0 || nt > 1024) throw bad(file, "malformed header");
            Map<String, Integer> lengths = new LinkedHashMap<>();
            long total = 0;
            for (int i = 0; i < nt; i++) {
                String name = in.readUTF();
                int len = in.readInt();
                if (len < 0) throw bad(file, "negative tensor length");
                total += len;
                // P1's shares are regenerated from the seed at the declared lengths: bound what a header can ask for
                if (total > MAX_ELEMENTS) throw bad(file, "declares more than 2^28 values in all");
                lengths.put(name, len);
            }
            byte[] seed = null;
            Map<String, long[]> values = null;
            int mode = in.readUnsignedByte();
            if (mode > 2) throw bad(file, "malformed content mode");
            if (mode == 1) {
                seed = in.readNBytes(32);
                if (seed.length != 32) throw bad(file, "truncated");
            } else if (mode == 2) {
                values = new LinkedHashMap<>();
                for (var e : lengths.entrySet()) {
                    byte[] raw = in.readNBytes(Math.multiplyExact(e.getValue(), 8));
                    if (raw.length != e.getValue() * 8) throw bad(file, "truncated");
                    long[] v = new long[e.getValue()];
                    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                    values.put(e.getKey(), v);
                }
            }
            if (in.available() != 0) throw bad(file, "trailing bytes");
            return new ShareFile(party, kind, ints, lengths, seed, values, blobs);
        } catch (IOException | ArithmeticException e) {
            throw bad(file, "truncated or malformed");
        }
    }


    private static SecureNnException bad(Path file, String what) {
        return SecureNnException.badInput("share file " + file.getFileName() + ": " + what);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
