package io.securenn.nn;

/** Length checks shared by the layers: a wrong shape is a programming error, reported with what it was. */
final class Shapes {
    private Shapes() {}

    static <V> void check(Backend<V> be, V v, long expected, String what) {
        int n = be.length(v);
        if (n != expected) throw new IllegalArgumentException(what + " has " + n + " elements, expected " + expected);
    }

    /** v repeated {@code times} times end to end (a per-example vector over a batch). */
    static double[] repeat(double[] v, int times) {
        double[] r = new double[Math.multiplyExact(v.length, times)];
        for (int i = 0; i < times; i++) System.arraycopy(v, 0, r, i * v.length, v.length);
        return r;
    }
}
