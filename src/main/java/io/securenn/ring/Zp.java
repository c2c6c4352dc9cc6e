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

    /**
     * The smallest generator of Z_67^* (its order is 66): s = g^a for a uniform in Z_66 is uniform in Z_67^*, so
     * PrivateCompare can draw the exponent a and multiply by adding logarithms (table lookups that vectorise).
     */
    public static final int GENERATOR;
    /** EXP[a] = g^a mod 67 for a in 0..65. */
    private static final byte[] EXP = new byte[P - 1];
    /** LOG[c] = log_g c for c in 1..66 (LOG[0] = 0: callers treat c = 0 apart). */
    private static final byte[] LOG = new byte[P];

    static {
        int g = 2;
        while (order(g) != P - 1) g++;
        GENERATOR = g;
        int v = 1;
        for (int a = 0; a < P - 1; a++) {
            EXP[a] = (byte) v;
            LOG[v] = (byte) a;
            v = v * g % P;
        }
    }

    private static int order(int g) {
        int v = g, k = 1;
        while (v != 1) {
            v = v * g % P;
            k++;
        }
        return k;
    }

    /** g^a for 0 ≤ a < 66. */
    public static int exp(int a) {
        return EXP[a];
    }

    /** log_g c for 1 ≤ c < 67. */
    public static int log(int c) {
        if (c <= 0 || c >= P) throw new IllegalArgumentException("log of a non-unit");
        return LOG[c];
    }

    /** A copy of the tables, padded with zeros to {@code length} entries (vector lookup tables). */
    public static byte[] expTable(int length) {
        return java.util.Arrays.copyOf(EXP, length);
    }

    public static byte[] logTable(int length) {
        return java.util.Arrays.copyOf(LOG, length);
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
