package io.securenn.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Ring elements on the wire: 8 bytes each, little-endian, packed back to back (one bulk copy each way). */
public final class LongCodec {
    private LongCodec() {}

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        decodeInto(payload, r, 0);
        return r;
    }

    /** Copies the payload's payload.length / 8 values into dst from off. */
    public static void decodeInto(byte[] payload, long[] dst, int off) {
        decodeInto(payload, 0, dst, off, payload.length / 8);
    }

    /** Copies n values of the payload, from byte offset from, into dst from off. */
    public static void decodeInto(byte[] payload, int from, long[] dst, int off, int n) {
        ByteBuffer.wrap(payload, from, 8 * n).slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dst, off, n);
    }

    /** Adds n values of the payload, from byte offset from, into dst from off (element-wise, mod 2^64). */
    public static void addInto(byte[] payload, int from, long[] dst, int off, int n) {
        for (int i = 0; i < n; i++) dst[off + i] += (long) LE_LONG.get(payload, from + 8 * i);
    }
}
