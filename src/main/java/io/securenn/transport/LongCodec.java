package io.securenn.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Ring elements on the wire: 8 bytes each, little-endian, packed back to back (one bulk copy each way). */
public final class LongCodec {
    private LongCodec() {}

    /** The parts, in order, as one payload. */
    public static byte[] encode(long[]... parts) {
        int n = 0;
        for (long[] p : parts) n += p.length;
        ByteBuffer bb = ByteBuffer.allocate(Math.multiplyExact(n, 8)).order(ByteOrder.LITTLE_ENDIAN);
        var view = bb.asLongBuffer();
        for (long[] p : parts) view.put(p);
        return bb.array();
    }

    /** The payload's values; its length must be a multiple of 8. */
    public static long[] decode(byte[] payload) {
        if (payload.length % 8 != 0) throw new IllegalArgumentException("payload of " + payload.length + " bytes is not whole longs");
        long[] r = new long[payload.length / 8];
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(r);
        return r;
    }
}
