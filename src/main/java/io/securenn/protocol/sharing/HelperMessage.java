package io.securenn.protocol.sharing;

import io.securenn.ring.OddRing;
import io.securenn.ring.ZpKernels;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;
import io.securenn.transport.PeerFailure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One message from the helper P2 to P1 carrying everything P2 deals in one round: Z_67 bit shares, Z_L and
 * Z_{L−1} shares, Beaver triples' ⟨Z⟩1. P0's share of every dealt value is drawn from the P0–P2 stream (by P2
 * and by P0 alike), so only P1's share travels and P0 never waits for P2.
 *
 * <p>All three parties call the same methods in the same order (SPMD): P2 passes the values it deals and gets
 * null back, P0 and P1 pass null and get their shares. The total size is declared when the message is opened, so
 * P1 checks the frame exactly; P1 receives lazily, at its first read, so a party can send its own messages of the
 * same round before it blocks on P2's. A message of 0 bytes is not sent at all.
 */
public final class HelperMessage {
    private final PartyContext ctx;
    private final int size;
    private final ZpWire wire = ZpWire.current();
    private ByteBuffer out;  // at P2
    private ByteBuffer in;   // at P1, once received
    private boolean delivered;

    private HelperMessage(PartyContext ctx, int size) {
        this.ctx = ctx;
        this.size = size;
        if (ctx.id() == PartyContext.P2) out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Opens a message of exactly {@code bytes} payload bytes (the sum of the items' sizes below). */
    public static HelperMessage open(PartyContext ctx, long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("helper message of " + bytes + " bytes does not fit one frame");
        }
        return new HelperMessage(ctx, (int) bytes);
    }

    // ---- sizes of the items, for the declared total ----

    /** Bytes of the Z_67 shares of the 64 bits of count values. */
    public static long bitsBytes(int count) {
        return ZpWire.current().bytes(Math.multiplyExact(count, 64));
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
        int len = Math.multiplyExact(count, 64);
        switch (ctx.id()) {
            case PartyContext.P2 -> {
                byte[] s0 = ctx.pair(PartyContext.P0).modP(len);
                wire.encode(ZpKernels.bitSharesMinus(values, s0, count), 0, len, out);
                return null;
            }
            case PartyContext.P0 -> {
                return ctx.pair(PartyContext.P2).modP(len);
            }
            default -> {
                byte[] s1 = new byte[len];
                if (!wire.decode(input(), len, s1, 0)) fail("a Z_67 share out of range");
                return s1;
            }
        }
    }

    /** Z_L shares of count values (P2 passes them). */
    public long[] ring(long[] values, int count) {
        switch (ctx.id()) {
            case PartyContext.P2 -> {
                long[] s0 = ctx.pair(PartyContext.P0).longs(count);
                for (int i = 0; i < count; i++) out.putLong(values[i] - s0[i]);
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
        switch (ctx.id()) {
            case PartyContext.P2 -> {
                long[] s0 = ctx.pair(PartyContext.P0).oddRing(count);
                for (int i = 0; i < count; i++) out.putLong(OddRing.sub(values[i], s0[i]));
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
            long[] x1 = ctx.pair(PartyContext.P1).oddRing(count);
            for (int i = 0; i < count; i++) x0[i] = OddRing.add(x0[i], x1[i]);
            return x0;
        }
        return ctx.pair(PartyContext.P2).oddRing(count);
    }

    /** Sends the message (P2); checks every byte was read (P1). */
    public void deliver() {
        if (delivered) throw new IllegalStateException("helper message delivered twice");
        delivered = true;
        if (size == 0) return;
        if (ctx.id() == PartyContext.P2) {
            if (out.position() != size) {
                throw new IllegalStateException("helper message layout: wrote " + out.position() + " of " + size
                        + " declared bytes");
            }
            ctx.sendBytes(PartyContext.P1, out.array());
        } else if (ctx.id() == PartyContext.P1) {
            ByteBuffer b = input();
            if (b.hasRemaining()) {
                throw new IllegalStateException("helper message layout: " + b.remaining() + " bytes left unread");
            }
        }
    }

    private ByteBuffer input() {
        if (in == null) {
            if (size == 0) return in = ByteBuffer.allocate(0);
            in = ByteBuffer.wrap(ctx.receiveBytes(PartyContext.P2, size)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return in;
    }

    private long[] readLongs(int count) {
        ByteBuffer b = input();
        long[] r = new long[count];
        b.asLongBuffer().get(r);
        b.position(b.position() + 8 * count);
        return r;
    }

    private void fail(String what) {
        PeerFailure f = PeerFailure.misbehaved(PartyContext.P2, "it sent " + what);
        ctx.transport().abort(f);
        throw f;
    }
}
