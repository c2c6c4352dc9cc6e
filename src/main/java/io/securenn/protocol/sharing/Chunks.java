package io.securenn.protocol.sharing;

import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

/**
 * Element-wise work in pieces of {@link SessionParams#chunkElements()} elements (the party's session's), so that
 * a step over a whole batch never needs temporaries of the batch's size. A step that sends one message per piece sends them one after another
 * without receiving in between: they all travel in the step's round, and their bytes add up to the whole
 * vector's.
 */
public final class Chunks {
    private Chunks() {}

    /** Work on the elements [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** A piece of a result: the values of the elements [from, to), to - from of them. */
    @FunctionalInterface
    public interface Piece {
        long[] compute(int from, int to);
    }

    /** Runs the work over [0, n) piece by piece, in order (nothing for n = 0). */
    public static void forEach(PartyContext ctx, int n, Range work) {
        int size = ctx.params().chunkElements();
        for (int from = 0; from < n; from += size) work.run(from, Math.min(n, from + size));
    }

    /** The pieces' results, in order, as one vector of n values. */
    public static long[] gather(PartyContext ctx, int n, Piece piece) {
        long[] out = new long[n];
        forEach(ctx, n, (from, to) -> {
            long[] p = piece.compute(from, to);
            if (p.length != to - from) throw new IllegalStateException("a piece of " + p.length + " values for " + (to - from) + " elements");
            System.arraycopy(p, 0, out, from, to - from);
        });
        return out;
    }
}
