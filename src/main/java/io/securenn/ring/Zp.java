package io.securenn.ring;

/** Z_p with p = 67, the field of PrivateCompare's bit shares. Elements are held in {@code byte}s, 0..66. */
public final class Zp {
    private Zp() {}

    public static final int P = 67;

    /** v mod 67 for 0 ≤ v < {@link #SMALL_LIMIT} by lookup: the hot loops of PrivateCompare avoid a division. */
    public static final int SMALL_LIMIT = 66 * 66 + 2 * P;
    private static final byte[] SMALL = new byte[SMALL_LIMIT];

    static {
        for (int v = 0; v < SMALL_LIMIT; v++) SMALL[v] = (byte) (v % P);
    }

    public static int reduceSmall(int v) {
        return SMALL[v];
    }

    public static int mod(int v) {
        int r = v % P;
        return r < 0 ? r + P : r;
    }

    public static int add(int a, int b) {
        int s = a + b;
        return s >= P ? s - P : s;
    }

    public static int sub(int a, int b) {
        int s = a - b;
        return s < 0 ? s + P : s;
    }

    public static int mul(int a, int b) {
        return (a * b) % P;
    }
}
