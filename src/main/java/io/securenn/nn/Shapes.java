package io.securenn.nn;

/** Length checks shared by the layers: a wrong shape is a programming error, reported with what it was. */
final class Shapes {
    private Shapes() {}

    static <V> void check(Backend<V> be, V v, long expected, String what) {
        int n = be.length(v);
        if (n != expected) throw new IllegalArgumentException(what + " has " + n + " elements, expected " + expected);
    }
}
