package io.securenn.ring;

/** Z_p with p = 67, the field of PrivateCompare's bit shares. Elements are held in {@code byte}s, 0..66. */
public final class Zp {
    private Zp() {}

    public static final int P = 67;

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
