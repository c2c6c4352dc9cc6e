package io.securenn.ring;

/**
 * SecureML local truncation of additive shares (spec §1.2, Alg. 11): P0 shifts its share arithmetically,
 * P1 negates, shifts and negates back. The reconstructed result is floor(x / 2^d) or one more (never one less),
 * except with probability about 2^(lx + 1 - 64) for |x| < 2^lx, when it is wildly wrong (correction 13).
 */
public final class Truncation {
    private Truncation() {}

    public static long truncateShare(long share, int d, int party) {
        return party == 0 ? share >> d : -((-share) >> d);
    }

    public static void truncateInPlace(long[] share, int d, int party) {
        if (d == 0) return;
        if (party == 0) {
            for (int i = 0; i < share.length; i++) share[i] = share[i] >> d;
        } else if (party == 1) {
            for (int i = 0; i < share.length; i++) share[i] = -((-share[i]) >> d);
        } else {
            throw new IllegalArgumentException("only P0 and P1 hold shares to truncate");
        }
    }
}
