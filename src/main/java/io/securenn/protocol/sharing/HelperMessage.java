package io.securenn.protocol.sharing;

import io.securenn.random.Prg;
import io.securenn.ring.OddRing;
import io.securenn.ring.ZpKernels;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One message from the helper P2 to P1 carrying everything P2 deals in one round: Z_67 bit shares, Z_L and
 * Z_{L−1} shares, Beaver triples' ⟨Z⟩1. P0's share of every dealt value is drawn from the P0–P2 stream (by P2
 * and by P0 alike), so only P1's share travels and P0 never waits for P2.
 *
 * <p>All three parties call the same methods in the same order (SPMD): P2 passes the values it deals and gets
 * null back, P0 and P1 pass null and get their shares. The total size is declared when the message is opened.
 * The message travels in frames of {@link SessionParams#frameLongs()}·8 bytes (the last one shorter), sent as P2
 * writes them and all in one round, so neither P2 nor P1 ever holds the encoded message whole; P1 knows every
 * frame's size from the declared total and checks it exactly. P1 receives lazily, at its first read, so a party
 * can send its own messages of the same round before it blocks on P2's. A message of 0 bytes is not sent at all.
 * P2 computes its items {@link SessionParams#chunkElements()} at a time (drawing a stream in consecutive pieces gives the
 * same values as one draw), so dealing needs no whole-vector temporaries either.
 */
public final class HelperMessage {
    /** Z_67 values are encoded in groups of 8 (7 bytes packed): item lengths are multiples of 64 values. */
    private static final int GROUP = 8;

    private final PartyContext ctx;
    private final long size;
    private final int frameBytes;
    private final ZpWire wire;
    private final int groupBytes;
    private ByteBuffer frame;    // P2: the frame being written; P1: the frame being read
    private long framed;         // bytes of the frames allocated (P2) or received (P1) so far
    private boolean delivered;
    private boolean lastTaken;   // a bitsZ67Last item was taken: no item may follow

    private HelperMessage(PartyContext ctx, long size) {
        this.ctx = ctx;
        this.size = size;
        this.frameBytes = ctx.params().frameLongs() * 8;
        this.wire = ctx.params().zpWire();
        this.groupBytes = wire.bytes(GROUP);
    }

    /** Opens a message of exactly {@code bytes} payload bytes (the sum of the items' sizes below). */
    public static HelperMessage open(PartyContext ctx, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("helper message of " + bytes + " bytes");
        return new HelperMessage(ctx, bytes);
    }

    // ---- sizes of the items, for the declared total ----

    /** Bytes of the Z_67 shares of the 64 bits of count values, in the given wire format. */
    public static long bitsBytes(ZpWire wire, int count) {
        return wire.bytes(Math.multiplyExact(count, 64));
    }

    /** Bytes of count ring (Z_L or Z_{L−1}) shares. */
    public static long ringBytes(int count) {
        return 8L * count;
    }

    // ---- items ----

    /**
     * Z_67 shares of the bits of each of count values, MSB first (element e's bit k, k = 0 the MSB, at e·64 + k).
     * P2 passes the values.
     */
    public byte[] bitsZ67(long[] values, int count) {
        item();
        int len = Math.multiplyExact(count, 64);
        switch (ctx.id()) {
            case PartyContext.P2 -> {
                writeBitShares(ctx.pair(PartyContext.P0), values, count);
                return null;
            }
            case PartyContext.P0 -> {
                return ctx.pair(PartyContext.P2).modP(len);
            }
            default -> {
                byte[] s1 = new byte[len];
                if (!readZp(s1, len)) fail("a Z_67 share out of range");
                return s1;
            }
        }
    }

    /**
     * The message's last item: Z_67 shares of the bits of count values, as {@link #bitsZ67}, but handed out piece by
     * piece in element order ({@link BitShares#next}), so that no party holds them whole. P2 writes them all now and
     * sends the rest of the message (it returns null); P0 draws its shares from a stream forked now from the
     * P0–P2 stream, when it asks for them; P1 reads them from the message as it asks for them, and once it has read
     * the last one, checks that the message held nothing more. No item may follow.
     */
    public BitShares bitsZ67Last(long[] values, int count) {
        item();
        lastTaken = true;
        if (ctx.id() == PartyContext.P2) {
            writeBitShares(ctx.pair(PartyContext.P0).fork(), values, count);
            deliver();
            return null;
        }
        if (ctx.id() == PartyContext.P0) {
            Prg fork = ctx.pair(PartyContext.P2).fork();
            return new BitShares(count, (dst, c) -> fork.modP(dst, 0, 64 * c));
        }
        if (count == 0) deliver();
        return new BitShares(count, (dst, c) -> {
            if (!readZp(dst, 64 * c)) fail("a Z_67 share out of range");
        });
    }

    /** One holder's Z_67 bit shares of a {@link #bitsZ67Last} item, piece by piece. */
    public final class BitShares {
        private final int count;
        private final Source source;
        private int given;

        private interface Source {
            void fill(byte[] dst, int elements);
        }

        private BitShares(int count, Source source) {
            this.count = count;
            this.source = source;
        }

        /** The shares of the next elements (64 per element, MSB first); after the last, P1 checks the message. */
        public byte[] next(int elements) {
            if (elements < 0 || given + elements > count) {
                throw new IllegalStateException("asked for bit shares of " + elements + " more elements after "
                        + given + " of " + count);
            }
            byte[] b = new byte[64 * elements];
            source.fill(b, elements);
            given += elements;
            if (given == count && ctx.id() == PartyContext.P1) deliver();
            return b;
        }
    }

    /** P2: P1's shares of the bits of the values (P0's drawn from toP0), piece by piece into the frames. */
    private void writeBitShares(Prg toP0, long[] values, int count) {
        DealerTap.Listener tap = DealerTap.of(ctx);
        byte[] all1 = tap == null ? null : new byte[64 * count];
        int chunk = ctx.params().chunkElements();
        byte[] s0 = new byte[Math.min(count, chunk) * 64];
        for (int e0 = 0; e0 < count; e0 += chunk) {
            int c = Math.min(chunk, count - e0);
            toP0.modP(s0, 0, 64 * c);
            ZpKernels.bitSharesMinusInPlace(values, e0, s0, c);   // P1's share, in place of P0's
            if (all1 != null) System.arraycopy(s0, 0, all1, 64 * e0, 64 * c);
            writeZp(s0, 64 * c);
        }
        if (tap != null) tap.bits(java.util.Arrays.copyOf(values, count), all1);
    }

    /** Z_L shares of count values (P2 passes them). */
    public long[] ring(long[] values, int count) {
        item();
        switch (ctx.id()) {
            case PartyContext.P2 -> {
                DealerTap.Listener tap = DealerTap.of(ctx);
                long[] all0 = tap == null ? null : new long[count];
                Prg toP0 = ctx.pair(PartyContext.P0);
                long[] s0 = new long[Math.min(count, ctx.params().chunkElements())];
                for (int i0 = 0; i0 < count; i0 += s0.length) {
                    int c = Math.min(s0.length, count - i0);
                    toP0.fill(s0, 0, c);
                    if (all0 != null) System.arraycopy(s0, 0, all0, i0, c);
                    for (int i = 0; i < c; i++) putLong(values[i0 + i] - s0[i]);
                }
                if (tap != null) tap.ring(java.util.Arrays.copyOf(values, count), all0);
                return null;
            }
            case PartyContext.P0 -> {
                return ctx.pair(PartyContext.P2).longs(count);
            }
            default -> {
                return readLongs(count);
            }
        }
    }

    /** Z_{L−1} shares (canonical) of count values in [0, 2^64 − 2] (P2 passes them). */
    public long[] oddRing(long[] values, int count) {
        item();
        switch (ctx.id()) {
            case PartyContext.P2 -> {
                DealerTap.Listener tap = DealerTap.of(ctx);
                long[] all0 = tap == null ? null : new long[count];
                Prg toP0 = ctx.pair(PartyContext.P0);
                long[] s0 = new long[Math.min(count, ctx.params().chunkElements())];
                for (int i0 = 0; i0 < count; i0 += s0.length) {
                    int c = Math.min(s0.length, count - i0);
                    toP0.oddRing(s0, 0, c);
                    if (all0 != null) System.arraycopy(s0, 0, all0, i0, c);
                    for (int i = 0; i < c; i++) putLong(OddRing.sub(values[i0 + i], s0[i]));
                }
                if (tap != null) tap.oddRing(java.util.Arrays.copyOf(values, count), all0);
                return null;
            }
            case PartyContext.P0 -> {
                return ctx.pair(PartyContext.P2).oddRing(count);
            }
            default -> {
                long[] s = readLongs(count);
                for (long v : s) if (v == -1L) fail("a non-canonical Z_(2^64-1) share");
                return s;
            }
        }
    }

    /**
     * A uniformly random x in Z_{L−1} known to P2, shared without communication: ⟨x⟩0 from the P0–P2 stream and
     * ⟨x⟩1 from the P1–P2 stream. P2 gets x, P0 and P1 their shares.
     */
    public long[] randomOddRing(int count) {
        if (ctx.id() == PartyContext.P2) {
            long[] x0 = ctx.pair(PartyContext.P0).oddRing(count);
            DealerTap.Listener tap = DealerTap.of(ctx);
            long[] share0 = tap == null ? null : x0.clone(), all1 = tap == null ? null : new long[count];
            Prg toP1 = ctx.pair(PartyContext.P1);
            long[] x1 = new long[Math.min(count, ctx.params().chunkElements())];
            for (int i0 = 0; i0 < count; i0 += x1.length) {
                int c = Math.min(x1.length, count - i0);
                toP1.oddRing(x1, 0, c);
                if (all1 != null) System.arraycopy(x1, 0, all1, i0, c);
                for (int i = 0; i < c; i++) x0[i0 + i] = OddRing.add(x0[i0 + i], x1[i]);
            }
            if (tap != null) tap.randomOddRing(share0, all1);
            return x0;
        }
        return ctx.pair(PartyContext.P2).oddRing(count);
    }

    private void item() {
        if (lastTaken) throw new IllegalStateException("helper message layout: an item after the last one");
    }

    /** Sends the last frame (P2); checks every byte was read (P1). */
    public void deliver() {
        if (delivered) throw new IllegalStateException("helper message delivered twice");
        delivered = true;
        if (size == 0) return;
        if (ctx.id() == PartyContext.P2) {
            if (framed != size || frame == null || frame.hasRemaining()) {
                throw new IllegalStateException("helper message layout: wrote " + written() + " of " + size
                        + " declared bytes");
            }
            ctx.sendBytes(PartyContext.P1, frame.array());
        } else if (ctx.id() == PartyContext.P1) {
            long left = size - framed + (frame == null ? 0 : frame.remaining());
            if (left != 0) throw new IllegalStateException("helper message layout: " + left + " bytes left unread");
        }
    }

    // ---- P2: writing frames

    private long written() {
        return frame == null ? 0 : framed - frame.remaining();
    }

    /** The frame to write into, sending the full one first. */
    private ByteBuffer out() {
        if (frame != null && frame.hasRemaining()) return frame;
        if (framed == size) {
            throw new IllegalStateException("helper message layout: more than the " + size + " declared bytes");
        }
        if (frame != null) ctx.sendBytes(PartyContext.P1, frame.array());
        int len = (int) Math.min(frameBytes, size - framed);
        framed += len;
        return frame = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void putLong(long v) {
        ByteBuffer b = out();
        if (b.remaining() >= 8) {
            b.putLong(v);
        } else {
            for (int k = 0; k < 8; k++) out().put((byte) (v >>> (8 * k)));
        }
    }

    /** Encodes count (a multiple of 8) Z_67 values of src into the frames, a group split between two if need be. */
    private void writeZp(byte[] src, int count) {
        int off = 0;
        ByteBuffer scratch = null;
        while (off < count) {
            ByteBuffer b = out();
            int groups = Math.min(b.remaining() / groupBytes, (count - off) / GROUP);
            if (groups > 0) {
                wire.encode(src, off, groups * GROUP, b);
                off += groups * GROUP;
            } else {
                if (scratch == null) scratch = ByteBuffer.allocate(groupBytes);
                scratch.clear();
                wire.encode(src, off, GROUP, scratch);
                for (int k = 0; k < groupBytes; k++) out().put(scratch.get(k));
                off += GROUP;
            }
        }
    }

    // ---- P1: reading frames

    /** The frame to read from, receiving the next one (of exactly the size the declared total implies). */
    private ByteBuffer in() {
        if (frame != null && frame.hasRemaining()) return frame;
        if (framed == size) throw new IllegalStateException("helper message layout: reading past the declared " + size + " bytes");
        int len = (int) Math.min(frameBytes, size - framed);
        framed += len;
        return frame = ByteBuffer.wrap(ctx.receiveBytes(PartyContext.P2, len)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long getLong() {
        ByteBuffer b = in();
        if (b.remaining() >= 8) return b.getLong();
        long v = 0;
        for (int k = 0; k < 8; k++) v |= (long) (in().get() & 0xff) << (8 * k);
        return v;
    }

    private long[] readLongs(int count) {
        long[] r = new long[count];
        int at = 0;
        while (at < count) {
            ByteBuffer b = in();
            int k = Math.min(count - at, b.remaining() / 8);
            if (k == 0) {
                r[at++] = getLong();
                continue;
            }
            b.asLongBuffer().get(r, at, k);
            b.position(b.position() + 8 * k);
            at += k;
        }
        return r;
    }

    /** Decodes count (a multiple of 8) Z_67 values into dst; false if any is out of range. */
    private boolean readZp(byte[] dst, int count) {
        int off = 0;
        boolean ok = true;
        ByteBuffer scratch = null;
        while (off < count) {
            ByteBuffer b = in();
            int groups = Math.min(b.remaining() / groupBytes, (count - off) / GROUP);
            if (groups > 0) {
                ok &= wire.decode(b, groups * GROUP, dst, off);
                off += groups * GROUP;
            } else {
                if (scratch == null) scratch = ByteBuffer.allocate(groupBytes);
                scratch.clear();
                for (int k = 0; k < groupBytes; k++) scratch.put(in().get());
                scratch.flip();
                ok &= wire.decode(scratch, GROUP, dst, off);
                off += GROUP;
            }
        }
        return ok;
    }

    private void fail(String what) {
        throw ctx.peerMisbehaved(PartyContext.P2, "it sent " + what);
    }
}
