package io.securenn.serve;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The messages between a client and a serving party, over the client's TLS connection: a type byte, a 4-byte
 * big-endian length and the body. Shares travel as little-endian longs. Every length is checked before anything
 * is allocated; a malformed message ends the connection.
 */
final class Messages {
    private Messages() {}

    static final byte HELLO = 1, QUERY = 2, RESULT = 3, ERROR = 4, HEARTBEAT = 5;
    /** Largest body accepted (a query of many rows of a big input; far above any sensible batch). */
    static final int MAX_BODY = 1 << 28;
    static final int QID_BYTES = 16;

    /** One message as read. */
    record Msg(byte type, byte[] body) {}

    /** What a server says on connect: who it is and the public shape of the model it serves. */
    record Hello(int party, int inputSize, int classes, int output, String model, int maxRows) {}

    /** A query's share: opaque id, rows, what to reveal (0 logits, 1 label), this server's share of the rows. */
    record Query(byte[] qid, int rows, int reveal, long[] share) {}

    /** A result share: id, rows, reveal, metadata, this server's refreshed share of the outputs. */
    record Result(byte[] qid, int rows, int reveal, ReplyMeta meta, long[] share) {}

    /** A failed query (qid all zero: the connection as a whole). */
    record Error(byte[] qid, String message) {}

    static Msg read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int type = d.read();
        if (type < 0) throw new EOFException();
        int len = d.readInt();
        if (len < 0 || len > MAX_BODY) throw new IOException("message of " + len + " bytes (limit " + MAX_BODY + ")");
        byte[] b = new byte[len];
        d.readFully(b);
        return new Msg((byte) type, b);
    }

    /** Writes and flushes one message (callers serialise writes per connection). */
    static void write(OutputStream out, byte type, byte[] body) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeByte(type);
        d.writeInt(body.length);
        d.write(body);
        d.flush();
    }

    static byte[] hello(Hello h) {
        byte[] name = h.model().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(17 + name.length).put((byte) h.party()).putInt(h.inputSize()).putInt(h.classes())
                .putInt(h.output()).putInt(h.maxRows()).put(name).array();
    }

    static Hello hello(byte[] b) throws IOException {
        if (b.length < 17) throw new IOException("short hello");
        ByteBuffer bb = ByteBuffer.wrap(b);
        int party = bb.get(), in = bb.getInt(), k = bb.getInt(), out = bb.getInt(), max = bb.getInt();
        if (in <= 0 || k <= 0 || max <= 0) throw new IOException("hello with sizes " + in + ", " + k + ", " + max);
        return new Hello(party, in, k, out, new String(b, 17, b.length - 17, StandardCharsets.UTF_8), max);
    }

    static byte[] query(Query q) {
        ByteBuffer bb = ByteBuffer.allocate(QID_BYTES + 5 + 8 * q.share().length);
        bb.put(q.qid()).putInt(q.rows()).put((byte) q.reveal());
        bb.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(q.share());
        return bb.array();
    }

    /** A query whose share must hold rows × inputSize values. */
    static Query query(byte[] b, int inputSize) throws IOException {
        if (b.length < QID_BYTES + 5) throw new IOException("short query");
        ByteBuffer bb = ByteBuffer.wrap(b);
        byte[] qid = new byte[QID_BYTES];
        bb.get(qid);
        int rows = bb.getInt(), reveal = bb.get();
        if (rows <= 0 || reveal < 0 || reveal > 1) throw new IOException("query of " + rows + " rows, reveal " + reveal);
        long n = (long) rows * inputSize;
        if (b.length != QID_BYTES + 5 + 8 * n) {
            throw new IOException("query of " + rows + " rows holds " + (b.length - QID_BYTES - 5) + " bytes, not " + 8 * n);
        }
        long[] share = new long[(int) n];
        bb.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(share);
        return new Query(qid, rows, reveal, share);
    }

    static byte[] result(Result r) {
        ByteBuffer bb = ByteBuffer.allocate(QID_BYTES + 5 + 48 + 8 * r.share().length);
        ReplyMeta m = r.meta();
        bb.put(r.qid()).putInt(r.rows()).put((byte) r.reveal()).putInt(m.batchRows()).putInt(m.batchQueries())
                .putLong(m.bytes()).putLong(m.bytesP2()).putLong(m.peakKb()).putLong(m.peakKbP2());
        bb.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(r.share());
        return bb.array();
    }

    static Result result(byte[] b) throws IOException {
        if (b.length < QID_BYTES + 5 + 48 || (b.length - QID_BYTES - 5 - 48) % 8 != 0) throw new IOException("malformed result");
        ByteBuffer bb = ByteBuffer.wrap(b);
        byte[] qid = new byte[QID_BYTES];
        bb.get(qid);
        int rows = bb.getInt(), reveal = bb.get();
        ReplyMeta m = new ReplyMeta(bb.getInt(), bb.getInt(), bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
        long[] share = new long[(b.length - QID_BYTES - 5 - 48) / 8];
        bb.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(share);
        return new Result(qid, rows, reveal, m, share);
    }

    static byte[] error(Error e) {
        byte[] m = e.message().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(QID_BYTES + m.length).put(e.qid()).put(m).array();
    }

    static Error error(byte[] b) throws IOException {
        if (b.length < QID_BYTES) throw new IOException("short error");
        return new Error(java.util.Arrays.copyOf(b, QID_BYTES), new String(b, QID_BYTES, b.length - QID_BYTES, StandardCharsets.UTF_8));
    }
}
