package io.securenn.runtime;

import io.securenn.SecureNnException;
import io.securenn.random.Prg;
import io.securenn.transport.CommStats;
import io.securenn.transport.LongCodec;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.Transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;


/**
 * Everything one party needs to run protocols: who it is, its messages to the two peers, its random streams
 * (one per pair it belongs to, plus a private one) and its session's protocol settings ({@link #params()}: the
 * Z_67 wire format and the chunk sizes, the same at all three parties). Protocols are written once, SPMD-style,
 * and branch on {@link #id()}; they never see sockets.
 */
public final class PartyContext implements AutoCloseable {
    public static final int P0 = 0, P1 = 1, P2 = 2;

    private final int id;
    private final Transport transport;
    private final Prg[] pair = new Prg[3];
    private final Prg local;
    private final Ledger ledger;
    private final SessionParams params;
    private TestHook testHook;

    PartyContext(int id, Transport transport, Prg pairLow, Prg pairHigh, Prg local, SessionParams params) {
        this.id = id;
        this.transport = transport;
        this.params = java.util.Objects.requireNonNull(params, "params");
        int[] peers = peersOf(id);
        pair[peers[0]] = pairLow;
        pair[peers[1]] = pairHigh;
        this.local = local;
        this.ledger = new Ledger(id, transport.stats());
    }

    static int[] peersOf(int id) {
        return switch (id) {
            case 0 -> new int[] {1, 2};
            case 1 -> new int[] {0, 2};
            case 2 -> new int[] {0, 1};
            default -> throw new IllegalArgumentException("unknown party id " + id);
        };
    }

    public int id() {
        return id;
    }

    public boolean isHelper() {
        return id == P2;
    }

    /** The other share holder of P0/P1 (P1 for P0, P0 for P1). */
    public int other() {
        if (id == P2) throw new IllegalStateException("P2 holds no shares");
        return 1 - id;
    }

    /** The stream this party shares with peer (P0–P1, P0–P2 or P1–P2). */
    public Prg pair(int peer) {
        Prg p = pair[peer];
        if (p == null) throw new IllegalStateException("P" + id + " shares no stream with P" + peer);
        return p;
    }

    /** The common randomness of P0 and P1 (the masks P2 must never know). */
    public Prg common() {
        if (id == P2) throw new IllegalStateException("P2 must never hold P0–P1 common randomness");
        return pair[1 - id];
    }

    /** This party's private stream. */
    public Prg local() {
        return local;
    }

    /** The session's protocol settings: Z_67 wire format and chunk sizes (identical at the three parties). */
    public SessionParams params() {
        return params;
    }

    /**
     * A test's observer of this party's protocol code (e.g. {@code protocol.sharing.DealerTap}'s listener, which sees
     * what P2 deals). Production code never sets one. The hook's own type lives with the protocol code that calls
     * it, above this layer, hence this marker.
     */
    public interface TestHook {}

    /** The hook a test set on this context, or null (always, in production). */
    public TestHook testHook() {
        return testHook;
    }

    /** Test code: sets (or, with null, removes) this context's hook, from the party's own thread. */
    public void testHook(TestHook hook) {
        this.testHook = hook;
    }

    public Transport transport() {
        return transport;
    }

    public CommStats stats() {
        return transport.stats();
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Opens a protocol scope: bytes and rounds spent inside it are added to the ledger under label. */
    public Ledger.Scope meter(String label) {
        return ledger.open(label);
    }

    /** Opens an aggregate scope (layer, pass): sums the bytes and rounds of the protocols run inside it. */
    public Ledger.Scope account(String label) {
        return ledger.openAggregate(label);
    }

    // ---- messages ----

    /**
     * Sends the parts, in order, as one message of longs. It travels in frames of at most
     * {@link SessionParams#frameLongs()} values (at least one frame, so an empty message is still a message), sent one
     * after another in the same round; the receiver, which knows the length, reassembles them
     * ({@link #receiveLongs}). So no copy of the whole vector is made on either side.
     */
    public void sendLongs(int peer, long[]... parts) {
        long total = 0;
        for (long[] p : parts) total += p.length;
        int frame = params.frameLongs();
        int part = 0, at = 0;
        long left = total;
        do {
            int len = (int) Math.min(frame, left);
            ByteBuffer bb = ByteBuffer.allocate(len * 8).order(ByteOrder.LITTLE_ENDIAN);
            LongBuffer view = bb.asLongBuffer();
            while (view.hasRemaining()) {
                while (at == parts[part].length) {
                    part++;
                    at = 0;
                }
                int k = Math.min(view.remaining(), parts[part].length - at);
                view.put(parts[part], at, k);
                at += k;
            }
            transport.send(peer, bb.array());
            left -= len;
        } while (left > 0);
    }

    /** Receives exactly n longs from peer (one message of longs); a frame of another size is a protocol violation. */
    public long[] receiveLongs(int peer, int n) {
        long[] r = new long[n];
        receiveLongs(peer, false, r);
        return r;
    }

    /** Receives a message of longs into the parts, in order, filling each completely. */
    public void receiveLongsInto(int peer, long[]... parts) {
        receiveLongs(peer, false, parts);
    }

    /**
     * Receives a message of longs and adds it element-wise into the parts, in order (e.g. the other party's half of
     * a reconstruction onto one's own), without materialising the message as an array.
     */
    public void receiveLongsAdding(int peer, long[]... parts) {
        receiveLongs(peer, true, parts);
    }

    private void receiveLongs(int peer, boolean add, long[]... parts) {
        long total = 0;
        for (long[] p : parts) total += p.length;
        int frame = params.frameLongs();
        int part = 0, at = 0;
        long left = total;
        do {
            int len = (int) Math.min(frame, left);
            byte[] b = receiveFrame(peer, len);
            int done = 0;
            while (done < len) {
                while (at == parts[part].length) {
                    part++;
                    at = 0;
                }
                int k = Math.min(len - done, parts[part].length - at);
                if (add) {
                    LongCodec.addInto(b, 8 * done, parts[part], at, k);
                } else {
                    LongCodec.decodeInto(b, 8 * done, parts[part], at, k);
                }
                at += k;
                done += k;
            }
            left -= len;
        } while (left > 0);
    }

    /** Produces the values of a message of longs, in order. */
    @FunctionalInterface
    public interface LongSource {
        /** Puts the next count values into buf[0, count). */
        void next(long[] buf, int count);
    }

    /** Consumes the values of a message of longs, in order. */
    @FunctionalInterface
    public interface LongSink {
        /** Takes the next count values, buf[0, count) (the buffer is reused afterwards). */
        void accept(long[] buf, int count);
    }

    /**
     * Sends a message of total longs that the source produces as the frames go out (as {@link #sendLongs(int,
     * long[]...)}, but the message never exists whole on this side).
     */
    public void sendLongs(int peer, long total, LongSource source) {
        int frame = params.frameLongs();
        long[] buf = new long[(int) Math.min(frame, total)];
        long left = total;
        do {
            int len = (int) Math.min(frame, left);
            source.next(buf, len);
            ByteBuffer bb = ByteBuffer.allocate(len * 8).order(ByteOrder.LITTLE_ENDIAN);
            bb.asLongBuffer().put(buf, 0, len);
            transport.send(peer, bb.array());
            left -= len;
        } while (left > 0);
    }

    /** Receives a message of total longs, handing its values to the sink frame by frame, in order. */
    public void receiveLongs(int peer, long total, LongSink sink) {
        int frame = params.frameLongs();
        long[] buf = new long[(int) Math.min(frame, total)];
        long left = total;
        do {
            int len = (int) Math.min(frame, left);
            LongCodec.decodeInto(receiveFrame(peer, len), 0, buf, 0, len);
            sink.accept(buf, len);
            left -= len;
        } while (left > 0);
    }

    /** The next frame from peer, which must hold exactly len longs. */
    private byte[] receiveFrame(int peer, int len) {
        byte[] b = transport.receive(peer);
        if (b.length != (long) len * 8) {
            PeerFailure f = PeerFailure.misbehaved(peer, "frame of " + b.length + " bytes where " + (long) len * 8
                    + " were expected");
            transport.abort(f);
            throw f;
        }
        return b;
    }

    /** Sends payload as one message; the transport owns the array afterwards (do not modify it). */
    public void sendBytes(int peer, byte[] payload) {
        transport.send(peer, payload);
    }

    public byte[] receiveBytes(int peer, int n) {
        byte[] b = transport.receive(peer);
        if (b.length != n) {
            PeerFailure f = PeerFailure.misbehaved(peer, "frame of " + b.length + " bytes where " + n
                    + " were expected");
            transport.abort(f);
            throw f;
        }
        return b;
    }

    /**
     * Reports that {@code peer} broke the protocol (a message of the wrong size or value): aborts the session
     * (the other survivor learns which party failed) and returns the failure to throw. Protocol code reports a
     * misbehaving peer here, never by reaching into the transport.
     */
    public PeerFailure peerMisbehaved(int peer, String what) {
        PeerFailure f = PeerFailure.misbehaved(peer, what);
        transport.abort(f);
        return f;
    }

    public void requireShareHolder(String what) {
        if (id == P2) throw new SecureNnException(SecureNnException.Kind.INTERNAL, what + " runs at P0 and P1 only");
    }

    @Override
    public void close() {
        transport.close();
    }
}
