package io.securenn.protocol.sharing;

import io.securenn.SecureNnException;
import io.securenn.ring.OddRing;
import io.securenn.runtime.PartyContext;

/** Small checks and share manipulations shared by the non-linear protocols. */
public final class Shares {
    private Shares() {}

    /** P0/P1 must pass a share of exactly n elements; P2 passes null or anything (ignored). */
    public static void requireLength(PartyContext ctx, long[] share, long n, String what) {
        if (ctx.isHelper()) return;
        if (share == null || share.length != n) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, what + ": P" + ctx.id() + " passed "
                    + (share == null ? "no share" : share.length + " elements") + " where " + n + " were expected");
        }
    }

    public static void requireCount(long n, String what) {
        if (n < 0 || n > Integer.MAX_VALUE / 64) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, what + ": element count " + n
                    + " out of range");
        }
    }

    /** Adds a fresh Z_{L−1} zero-share (+z at P0, −z at P1) in place; no-op at P2. */
    public static void refreshOdd(PartyContext ctx, long[] share) {
        if (ctx.isHelper()) return;
        long[] z = ctx.common().oddRing(share.length);
        boolean p0 = ctx.id() == PartyContext.P0;
        for (int i = 0; i < share.length; i++) share[i] = p0 ? OddRing.add(share[i], z[i]) : OddRing.sub(share[i], z[i]);
    }

    /** Shares of the integer bit 1 − b: P0 holds 1 − ⟨b⟩0, P1 holds −⟨b⟩1. */
    public static long[] oneMinus(PartyContext ctx, long[] b) {
        if (ctx.isHelper()) return new long[0];
        long[] r = new long[b.length];
        boolean p0 = ctx.id() == PartyContext.P0;
        for (int i = 0; i < b.length; i++) r[i] = (p0 ? 1 : 0) - b[i];
        return r;
    }

    /** An empty result for P2 (which holds no shares). */
    public static long[] none() {
        return new long[0];
    }
}
