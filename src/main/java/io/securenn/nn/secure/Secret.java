package io.securenn.nn.secure;

import java.util.function.Supplier;

/**
 * A secret-shared vector as the layers see it: an opaque handle. P0 and P1 hold their additive share; P2 holds
 * none (share is null) but knows the length, which is public. A share can also be one that is not held but made
 * again each time it is read ({@link SecureBackend#importModel(int, java.util.function.Supplier)}: a weight's share
 * regenerated from a PRG seed, and at P0 from the model file).
 */
public final class Secret {
    private final long[] share;
    private final Supplier<long[]> regenerate;
    final int length;

    Secret(long[] share, int length) {
        if (share != null && share.length != length) {
            throw new IllegalArgumentException("share of " + share.length + " elements for a length of " + length);
        }
        this.share = share;
        this.regenerate = null;
        this.length = length;
    }

    /** A share made again by {@code regenerate} at each read (P0 and P1; never at P2). */
    Secret(Supplier<long[]> regenerate, int length) {
        this.share = null;
        this.regenerate = regenerate;
        this.length = length;
    }

    /** This party's share (null at P2), made anew when it is not held. */
    long[] share() {
        if (regenerate == null) return share;
        long[] s = regenerate.get();
        if (s.length != length) throw new IllegalStateException("regenerated share of " + s.length + " elements for " + length);
        return s;
    }

    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "Secret[" + length + "]";   // never the share
    }
}
