package io.securenn.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Decodes the frames one peer sends over a byte stream (the wire format of {@link Frame}). The only ways out are a
 * frame, {@code null} at an end of stream between frames, a {@link PeerFailure} naming the peer (misbehaviour: an
 * unknown type or a length above the limit, checked before any payload is read; or the stream ending inside a
 * frame), or an {@link IOException} of the underlying stream.
 *
 * <p>The payload buffer grows with the bytes that actually arrive (doubling from {@link #FIRST_CHUNK}), so a
 * header announcing a huge length costs memory only once the peer really sends that much.
 */
public final class FrameReader {
    /** Payloads up to this size are allocated at once; longer ones grow as their bytes arrive. */
    static final int FIRST_CHUNK = 1 << 20;

    private final InputStream in;
    private final int peer;
    private final int maxFrame;
    private final Runnable onProgress;
    private final byte[] header = new byte[Frame.HEADER_BYTES];

    /**
     * @param in         the stream (buffered by the caller)
     * @param peer       the sending party, named in failures
     * @param maxFrame   the largest payload accepted
     * @param onProgress called after each chunk of a payload arrives (the peer is alive), may be a no-op
     */
    public FrameReader(InputStream in, int peer, int maxFrame, Runnable onProgress) {
        this.in = in;
        this.peer = peer;
        this.maxFrame = maxFrame;
        this.onProgress = onProgress;
    }

    /** The next frame, or null if the stream ended cleanly between two frames. */
    public Frame next() throws IOException {
        int first = in.read();
        if (first < 0) return null;
        header[0] = (byte) first;
        readFully(header, 1, Frame.HEADER_BYTES - 1);
        byte type = header[0];
        int seq = intAt(1), depth = intAt(5), len = intAt(9);
        if (!Frame.knownType(type)) throw PeerFailure.misbehaved(peer, "frame of unknown type " + (type & 0xff));
        if (len < 0 || len > maxFrame) {
            throw PeerFailure.misbehaved(peer, "frame of " + Integer.toUnsignedString(len)
                    + " bytes exceeds the limit of " + maxFrame);
        }
        byte[] payload = new byte[Math.min(len, FIRST_CHUNK)];
        int off = 0;
        while (off < len) {
            if (off == payload.length) payload = Arrays.copyOf(payload, (int) Math.min(len, 2L * payload.length));
            int n = in.read(payload, off, payload.length - off);
            if (n < 0) throw truncated();
            off += n;
            onProgress.run();
        }
        return new Frame(type, seq, depth, payload);
    }

    /** Writes the 13-byte header of a frame into dst (big-endian: type, seq, depth, payload length). */
    public static void encodeHeader(Frame f, byte[] dst) {
        dst[0] = f.type();
        putInt(dst, 1, f.seq());
        putInt(dst, 5, f.depth());
        putInt(dst, 9, f.payload().length);
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) throw truncated();
            off += n;
            len -= n;
        }
    }

    private PeerFailure truncated() {
        return PeerFailure.lost(peer, "connection closed in the middle of a frame");
    }

    private int intAt(int o) {
        return (header[o] & 0xff) << 24 | (header[o + 1] & 0xff) << 16 | (header[o + 2] & 0xff) << 8 | header[o + 3] & 0xff;
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
