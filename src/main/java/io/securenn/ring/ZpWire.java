package io.securenn.ring;


import java.nio.ByteBuffer;

/**
 * How Z_67 elements (PrivateCompare's bit shares and masked d vectors) travel on the wire.
 * {@link #PACKED7} (the default): 7 bits each, every 8 values in 7 bytes, 12.5% fewer Z_67 bytes (DReLU 440 instead
 * of 488 bytes per element) at no measurable CPU cost. {@link #BYTE}: one byte each, as the paper and its
 * reference code count them (the command line's system property {@code securenn.zpWire=byte}), for byte counts
 * comparable with the paper's. The format is a session parameter ({@code runtime.SessionParams}, read by the
 * protocols from their party's context): all three parties must use the same one. The session's job hash covers
 * it ({@code runtime.Session}), so parties with different formats refuse each other at set-up with a clear message
 * instead of failing on the first frame of an unexpected size.
 */
public enum ZpWire {
    BYTE {
        @Override
        public int bytes(int count) {
            return count;
        }

        @Override
        public void encode(byte[] src, int off, int count, ByteBuffer out) {
            out.put(src, off, count);
        }

        @Override
        public boolean decode(ByteBuffer in, int count, byte[] dst, int off) {
            in.get(dst, off, count);
            int bad = 0;
            for (int i = off; i < off + count; i++) bad |= (dst[i] & 0xff) >= Zp.P ? 1 : 0;
            return bad == 0;
        }
    },
    PACKED7 {
        @Override
        public int bytes(int count) {
            return (int) ((7L * count + 7) / 8);
        }

        @Override
        public void encode(byte[] src, int off, int count, ByteBuffer out) {
            int i = 0;
            if (out.hasArray()) {   // the buffer's byte order does not matter: bytes are written as such
                // Eight values are one little-endian long with one value per byte; PEXT (Long.compress) packs their
                // low 7 bits into 56, written as 7 bytes (the 8-byte store overlaps the next group's start, so
                // groups run while 8 bytes fit and the last group goes through the byte loop below)
                byte[] a = out.array();
                int o = out.arrayOffset() + out.position(), start = o;
                int room = out.remaining();
                for (; i + 8 <= count && (o - start) + 8 <= room; i += 8, o += 7) {
                    long w = Long.compress((long) LE.get(src, off + i), LOW7);
                    LE.set(a, o, w);
                }
                out.position(out.position() + (o - start));
            }
            for (; i + 8 <= count; i += 8) {
                long w = 0;
                for (int k = 0; k < 8; k++) w |= (long) (src[off + i + k] & 0x7f) << (7 * k);
                for (int b = 0; b < 7; b++) out.put((byte) (w >>> (8 * b)));
            }
            int rest = count - i;
            if (rest > 0) {
                long w = 0;
                for (int k = 0; k < rest; k++) w |= (long) (src[off + i + k] & 0x7f) << (7 * k);
                int nb = (7 * rest + 7) / 8;
                for (int b = 0; b < nb; b++) out.put((byte) (w >>> (8 * b)));
            }
        }

        @Override
        public boolean decode(ByteBuffer in, int count, byte[] dst, int off) {
            int bad = 0;
            int i = 0;
            if (in.hasArray()) {
                // the inverse of encode's fast path: 8 bytes read (7 used), PDEP (Long.expand) spreads them to one
                // value per byte; a value ≥ 67 sets bit 7 of its byte once 61 is added (no carry crosses bytes)
                byte[] a = in.array();
                int o = in.arrayOffset() + in.position(), start = o;
                int avail = in.remaining();
                long badBits = 0;
                for (; i + 8 <= count && (o - start) + 8 <= avail; i += 8, o += 7) {
                    long w = Long.expand((long) LE.get(a, o) & 0x00FF_FFFF_FFFF_FFFFL, LOW7);
                    badBits |= w + 0x3D3D_3D3D_3D3D_3D3DL;
                    LE.set(dst, off + i, w);
                }
                bad |= (badBits & 0x8080_8080_8080_8080L) != 0 ? 1 : 0;
                in.position(in.position() + (o - start));
            }
            for (; i + 8 <= count; i += 8) {
                long w = 0;
                for (int b = 0; b < 7; b++) w |= (long) (in.get() & 0xff) << (8 * b);
                for (int k = 0; k < 8; k++) {
                    int v = (int) ((w >>> (7 * k)) & 0x7f);
                    bad |= v >= Zp.P ? 1 : 0;
                    dst[off + i + k] = (byte) v;
                }
            }
            int rest = count - i;
            if (rest > 0) {
                int nb = (7 * rest + 7) / 8;
                long w = 0;
                for (int b = 0; b < nb; b++) w |= (long) (in.get() & 0xff) << (8 * b);
                for (int k = 0; k < rest; k++) {
                    int v = (int) ((w >>> (7 * k)) & 0x7f);
                    bad |= v >= Zp.P ? 1 : 0;
                    dst[off + i + k] = (byte) v;
                }
                // unused high bits of the last byte must be zero: one encoding per vector
                bad |= (w >>> (7 * rest)) != 0 ? 1 : 0;
            }
            return bad == 0;
        }
    };

    private static final java.lang.invoke.VarHandle LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F_7F7F_7F7F_7F7FL;

    /** Wire bytes of count Z_67 elements. */
    public abstract int bytes(int count);

    /** Appends count elements (each 0..66) of src from off. */
    public abstract void encode(byte[] src, int off, int count, ByteBuffer out);

    /** Reads count elements into dst from off; false if any is not a canonical Z_67 element. */
    public abstract boolean decode(ByteBuffer in, int count, byte[] dst, int off);

    /** The system property with which the command line selects the format ({@code byte} or {@code packed7}). */
    public static final String PROPERTY = "securenn.zpWire";

    /** Parses a value of the system property {@value #PROPERTY} (null or blank: the default, {@link #PACKED7}). */
    public static ZpWire fromProperty(String v) {
        if (v == null || v.isBlank() || v.equalsIgnoreCase("packed7")) return PACKED7;
        if (v.equalsIgnoreCase("byte")) return BYTE;
        throw new IllegalArgumentException("-D" + PROPERTY + " must be 'byte' or 'packed7', got '" + v + "'");
    }
}
