package io.securenn.protocol.sharing;

import io.securenn.random.Prg;
import io.securenn.runtime.PartyContext;

/**
 * Secret sharing over Z_{2^64} between P0 and P1, fresh zero-shares, and reconstruction by explicit call only.
 */
public final class Sharing {
    private Sharing() {}

    /** Who receives a reconstruction. */
    public enum Recipient { P0, P1, BOTH }

    /** Splits x into two uniformly random additive shares with a CSPRNG-keyed stream: returns {x0, x1}. */
    public static long[][] split(long[] x, Prg rng) {
        long[] s1 = rng.longs(x.length);
        long[] s0 = new long[x.length];
        for (int i = 0; i < x.length; i++) s0[i] = x[i] - s1[i];
        return new long[][] {s0, s1};
    }

    /**
     * The owner party (P0 or P1) holds plaintext x and deals shares of it to itself and the other share holder.
     * P1's share is drawn from the P0–P1 stream, so dealing costs no communication; the owner keeps x minus it.
     * Every party calls this with the same n; P2 gets an empty array.
     */
    public static long[] dealFrom(PartyContext ctx, int owner, long[] x, int n) {
        if (ctx.isHelper()) return new long[0];
        long[] r = ctx.common().longs(n);
        if (ctx.id() != owner) return r;
        if (x == null || x.length != n) throw new IllegalArgumentException("owner's input has the wrong length");
        long[] s = new long[n];
        for (int i = 0; i < n; i++) s[i] = x[i] - r[i];
        return s;
    }

    /**
     * As {@link #dealFrom}, for a value the owner can produce again ({@code x}, asked only at the owner) and that
     * neither holder keeps: P0 and P1 draw a seed from the P0–P1 stream now, and the returned supplier makes this
     * party's share whenever it is needed: the stream of that seed at the other holder, x less it at the owner. The
     * shares are distributed as {@link #dealFrom}'s (the other's share is a uniform stream unknown to P2; the owner's
     * is the value less it) and no message is sent. Not for P2 (it holds no share).
     */
    public static java.util.function.Supplier<long[]> dealRegenerated(PartyContext ctx, int owner, int n,
                                                                     java.util.function.Supplier<long[]> x) {
        if (ctx.isHelper()) throw new IllegalArgumentException("P2 holds no share");
        byte[] seed = ctx.common().bytes(Prg.SEED_BYTES);
        boolean mine = ctx.id() == owner;
        return () -> {
            long[] r = Prg.fromSeed(seed).longs(n);
            if (!mine) return r;
            long[] v = x.get();
            if (v == null || v.length != n) throw new IllegalArgumentException("owner's input has the wrong length");
            for (int i = 0; i < n; i++) r[i] = v[i] - r[i];
            return r;
        };
    }

    /** Adds a fresh zero-share from the P0–P1 stream (+z at P0, −z at P1), in place. */
    public static void refresh(PartyContext ctx, long[] share) {
        if (ctx.isHelper()) return;
        long[] z = ctx.common().longs(share.length);
        if (ctx.id() == PartyContext.P0) {
            for (int i = 0; i < share.length; i++) share[i] += z[i];
        } else {
            for (int i = 0; i < share.length; i++) share[i] -= z[i];
        }
    }

    /** Adds a public constant to the shared value: only P0 adds it. */
    public static void addPublic(PartyContext ctx, long[] share, long c) {
        if (ctx.id() == PartyContext.P0) for (int i = 0; i < share.length; i++) share[i] += c;
    }

    public static void addPublic(PartyContext ctx, long[] share, long[] c) {
        if (ctx.id() == PartyContext.P0) for (int i = 0; i < share.length; i++) share[i] += c[i];
    }

    /**
     * Reconstructs the shared value to the recipient(s); others get null. P2 takes no part and gets null.
     * One message per direction needed, in one round.
     */
    public static long[] reveal(PartyContext ctx, long[] share, Recipient to) {
        if (ctx.isHelper()) return null;
        int me = ctx.id(), other = ctx.other();
        boolean iGet = to == Recipient.BOTH || to.ordinal() == me;
        boolean theyGet = to == Recipient.BOTH || to.ordinal() == other;
        if (theyGet) ctx.sendLongs(other, share);
        if (!iGet) return null;
        long[] theirs = ctx.receiveLongs(other, share.length);
        long[] x = new long[share.length];
        for (int i = 0; i < x.length; i++) x[i] = share[i] + theirs[i];
        return x;
    }
}
