package io.securenn.train;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One party's training state at a batch boundary: its shares of every parameter and of the epoch's running metric
 * sums, where training stands (epoch, next batch, global step), the run it belongs to, and its random streams'
 * positions (for the record: a resumed run agrees fresh pair keys, keys are never written to disk). P2 holds no
 * shares and writes an empty list, so all three parties can show they reached the same step.
 *
 * <p>File: magic "SNNC", version, party, run id (16 bytes), architecture name, epoch, next batch, step, stream
 * positions, then the tensors (count, each length + little-endian longs), then a SHA-256 of everything before it.
 * Written atomically (temp file + rename), owner-only: shares are secrets.
 */
public record Checkpoint(int party, byte[] runId, String architecture, int epoch, int nextBatch, long step,
                         long[] streamPositions, List<long[]> tensors) {
    static final byte[] MAGIC = {'S', 'N', 'N', 'C'};
    static final int VERSION = 1;
    static final String PREFIX = "checkpoint-", SUFFIX = ".snnc";

    public String runIdHex() {
        return HexFormat.of().formatHex(runId);
    }

    public byte[] encode() {
        int size = 4 + 4 + 4 + 16 + 4 + architecture.length() + 4 + 4 + 8 + 4 + 8 * streamPositions.length + 4;
        for (long[] t : tensors) size += 4 + 8 * t.length;
        ByteBuffer b = ByteBuffer.allocate(size + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(party).put(runId);
        byte[] name = architecture.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.putInt(name.length).put(name).putInt(epoch).putInt(nextBatch).putLong(step);
        b.putInt(streamPositions.length);
        for (long p : streamPositions) b.putLong(p);
        b.putInt(tensors.size());
        for (long[] t : tensors) {
            b.putInt(t.length);
            b.asLongBuffer().put(t);
            b.position(b.position() + 8 * t.length);
        }
        b.put(io.securenn.Hashes.sha256(b.array(), size));
        return b.array();
    }

    public static Checkpoint decode(byte[] data, String fileName) {
        if (data.length < 4 + 4 + 32 || !Arrays.equals(Arrays.copyOf(data, 4), MAGIC)) {
            throw bad(fileName, "not a securenn checkpoint (wrong magic)");
        }
        int body = data.length - 32;
        if (!Arrays.equals(io.securenn.Hashes.sha256(data, body), Arrays.copyOfRange(data, body, data.length))) {
            throw bad(fileName, "checksum mismatch (truncated or corrupted)");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data, 0, body).order(ByteOrder.LITTLE_ENDIAN);
            b.position(4);
            int version = b.getInt();
            if (version != VERSION) throw bad(fileName, "version " + version + ", this build reads " + VERSION);
            int party = b.getInt();
            byte[] runId = new byte[16];
            b.get(runId);
            int nameLen = b.getInt();
            if (nameLen < 0 || nameLen > 16) throw bad(fileName, "malformed architecture name");
            byte[] name = new byte[nameLen];
            b.get(name);
            int epoch = b.getInt(), nextBatch = b.getInt();
            long step = b.getLong();
            int np = b.getInt();
            if (np < 0 || np > 16) throw bad(fileName, "malformed stream positions");
            long[] pos = new long[np];
            for (int i = 0; i < np; i++) pos[i] = b.getLong();
            int nt = b.getInt();
            if (nt < 0 || nt > 1024) throw bad(fileName, "malformed tensor count");
            List<long[]> ts = new ArrayList<>();
            for (int i = 0; i < nt; i++) {
                int len = b.getInt();
                if (len < 0 || (long) len * 8 > b.remaining()) throw bad(fileName, "truncated tensor");
                long[] t = new long[len];
                b.asLongBuffer().get(t);
                b.position(b.position() + 8 * len);
                ts.add(t);
            }
            if (b.hasRemaining()) throw bad(fileName, "trailing bytes");
            return new Checkpoint(party, runId, new String(name, java.nio.charset.StandardCharsets.US_ASCII), epoch,
                    nextBatch, step, pos, ts);
        } catch (java.nio.BufferUnderflowException e) {
            throw bad(fileName, "truncated");
        }
    }

    /** Writes this checkpoint into dir atomically and keeps only the newest keep files there. */
    public Path writeTo(Path dir, int keep) {
        Path f = dir.resolve(String.format("%s%012d%s", PREFIX, step, SUFFIX));
        AtomicFiles.write(f, encode(), true, true);
        List<Path> all = list(dir);
        for (int i = 0; i + keep < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException ignored) {
                // an old checkpoint left behind costs disk, not correctness
            }
        }
        return f;
    }

    /** The checkpoint files in dir, oldest step first. */
    public static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : ds) out.add(p);
        } catch (IOException e) {
            throw SecureNnException.badInput("cannot list checkpoint directory " + dir + ": " + AtomicFiles.describe(e));
        }
        out.sort(null);
        return out;
    }

    public static Checkpoint read(Path file) {
        try {
            long size = Files.size(file);
            if (size > (1L << 31) - 16) throw bad(file.getFileName().toString(), "too large");
            return decode(Files.readAllBytes(file), file.getFileName().toString());
        } catch (IOException e) {
            throw SecureNnException.badInput("cannot read checkpoint " + file + ": " + AtomicFiles.describe(e));
        }
    }


    private static SecureNnException bad(String name, String what) {
        return SecureNnException.badInput("checkpoint " + name + ": " + what);
    }
}
