package io.securenn.protocol.sharing;

import io.securenn.runtime.PartyContext;

/**
 * Test hook: lets a view test see what P2 deals (the values it shares and every value it draws from its streams
 * with P0 and P1), so that it can check that P2's view is independent of the secrets <em>given</em> what P2 itself
 * dealt, as a curious P2 would use it. The listener is the context's own test hook
 * ({@link PartyContext#testHook()}), so it sees one party of one session and nothing is process-wide. Production
 * code never installs a listener: {@link #of} returns null after one read of a field, and the dealing code
 * records nothing. The listener is called at P2 only, by the dealing code ({@link HelperMessage}, {@link Beaver},
 * {@code matmul.MatMul}), with copies it may keep.
 */
public final class DealerTap {
    private DealerTap() {}

    /** What P2 deals, in the order it deals it. Every array is a copy. */
    public interface Listener extends PartyContext.TestHook {
        /** Z_L shares of the values: ⟨v⟩0 drawn from the P0–P2 stream (P1's share, sent, is values − share0). */
        void ring(long[] values, long[] share0);

        /** Z_{L−1} shares of the values: ⟨v⟩0 from the P0–P2 stream (P1's share is values − share0 in Z_{L−1}). */
        void oddRing(long[] values, long[] share0);

        /** Z_67 shares of the 64 bits of each value, MSB first: P1's shares (P0's are the bits minus them). */
        void bits(long[] values, byte[] share1);

        /** A random x in Z_{L−1} known to P2: ⟨x⟩0 from the P0–P2 stream, ⟨x⟩1 from the P1–P2 stream. */
        void randomOddRing(long[] x0, long[] x1);

        /**
         * An element-wise Beaver triple dealt ahead ({@link Beaver}): U and V (both holders' parts added);
         * its Z = U ⊙ V is dealt next, as a {@link #ring} item.
         */
        void triple(long[] u, long[] v);

        /**
         * A triple of {@code matmul.MatMul}: U (m×n, or m values element-wise), V (n×v, or m values), ⟨Z⟩0 and
         * ⟨Z⟩1 (m×v, or m values), with ⟨Z⟩0 + ⟨Z⟩1 = U·V (or U ⊙ V).
         */
        void product(int m, int n, int v, boolean elementwise, long[] u, long[] vv, long[] z0, long[] z1);
    }

    /** Test code: records what P2 deals through ctx until {@link #remove} (call it from the party's thread). */
    public static void install(PartyContext ctx, Listener listener) {
        ctx.testHook(listener);
    }

    public static void remove(PartyContext ctx) {
        ctx.testHook(null);
    }

    /** The listener installed for this party, or null (always, in production). */
    public static Listener of(PartyContext ctx) {
        return ctx.isHelper() && ctx.testHook() instanceof Listener l ? l : null;
    }
}
