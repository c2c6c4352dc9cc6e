package io.securenn.nn.secure;

/**
 * A secret-shared vector as the layers see it: an opaque handle. P0 and P1 hold their additive share; P2 holds
 * none (share is null) but knows the length, which is public.
 */
public final class Secret {
    final long[] share;
    final int length;

    Secret(long[] share, int length) {
        if (share != null && share.length != length) {
            throw new IllegalArgumentException("share of " + share.length + " elements for a length of " + length);
        }
        this.share = share;
        this.length = length;
    }

    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "Secret[" + length + "]";   // never the share
    }
}
