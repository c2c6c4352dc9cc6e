package io.securenn.testutil;

import io.securenn.ring.Zp;

/**
 * The attack of spec correction 1 as P2 runs it inside ShareConvert and ComputeMSB, where it dealt the Z_67 bit
 * shares of x itself (fresh for every element) and the compared value r is P0's and P1's secret mask. Without the
 * m_i, ⟨d_i⟩0 / ⟨d_i⟩1 = ⟨c_i⟩0 / ⟨c_i⟩1 (s_i cancels), and ⟨c_i⟩_j depends only on P_j's bit shares, which P2
 * knows, on β and on the bits of r at positions i and above. So P2 tries each β and each of the 64 rotations π, and
 * reads r's bits from the most significant down, keeping the bit whose ratio class matches the received pair's
 * (with backtracking where both do). A complete match gives r, and with x (which P2 also knows) the secret: in
 * ShareConvert a = x − (r_PC + 1), in ComputeMSB 2a = r − x. With the m_i the pairs are uniform given d_i and no
 * rotation matches (probability about 64·2·(2/69)^64 per element).
 */
public final class PcAttack {
    private PcAttack() {}

    /** What P2 recovers for one comparison: the common bit β and the public r of Π_PC. */
    public record Found(int beta, long r) {}

    /**
     * For each of n comparisons, (β, r) if some rotation and β explain every received pair, else null. d0, d1 are the
     * vectors P2 received (64 per element); xValues are the values whose bits it dealt and share1 P1's shares of
     * those bits (64 per element, MSB first).
     */
    public static Found[] recover(byte[] d0, byte[] d1, long[] xValues, byte[] share1, int n) {
        Found[] out = new Found[n];
        int[] s0 = new int[64], s1 = new int[64], rho = new int[64];
        long[] t = new long[1];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < 64; k++) {
                int bit = (int) ((xValues[e] >>> (63 - k)) & 1);
                s1[k] = share1[e * 64 + k];
                s0[k] = Math.floorMod(bit - s1[k], Zp.P);
                rho[k] = ratioClass(d0[e * 64 + k], d1[e * 64 + k]);
            }
            search:
            for (int beta = 0; beta < 2; beta++) {
                for (int g = 0; g < 64; g++) {
                    if (decode(beta, g, 0, 0, 0, 0L, rho, s0, s1, t)) {
                        out[e] = new Found(beta, beta == 0 ? t[0] : t[0] - 1);   // β = 1 compares with t = r + 1
                        break search;
                    }
                }
            }
        }
        return out;
    }

    /** Depth-first over the bits of t from position p (0 = MSB), given the running sums of w at P0 and P1. */
    private static boolean decode(int beta, int g, int p, int acc0, int acc1, long bits, int[] rho, int[] s0, int[] s1,
                                  long[] out) {
        if (p == 64) {
            out[0] = bits;
            return true;
        }
        int want = rho[(p - g) & 63];   // c position p travels at index (p − g) mod 64 after the rotation by g
        for (int tp = 0; tp < 2; tp++) {
            // c_p at P0 (j = 0) and P1 (j = 1): β = 0: j·t − x + j + Σw; β = 1: −j·t + x + j + Σw
            int c0 = beta == 0 ? -s0[p] + acc0 : s0[p] + acc0;
            int c1 = beta == 0 ? tp - s1[p] + 1 + acc1 : -tp + s1[p] + 1 + acc1;
            if (ratioClass(Math.floorMod(c0, Zp.P), Math.floorMod(c1, Zp.P)) != want) continue;
            // w_p = x_p + j·t_p − 2·t_p·x_p: x_p when t_p = 0, j − x_p when t_p = 1
            int w0 = tp == 0 ? s0[p] : -s0[p], w1 = tp == 0 ? s1[p] : 1 - s1[p];
            if (decode(beta, g, p + 1, Math.floorMod(acc0 + w0, Zp.P), Math.floorMod(acc1 + w1, Zp.P),
                    bits | ((long) tp << (63 - p)), rho, s0, s1, out)) {
                return true;
            }
        }
        return false;
    }

    private static final int[] INV = new int[Zp.P];

    static {
        for (int v = 1; v < Zp.P; v++) for (int w = 1; w < Zp.P; w++) if (v * w % Zp.P == 1) INV[v] = w;
    }

    /** a·b^-1 mod 67 when b ≠ 0 (0..66), 67 when only b is 0, 68 when both are (as {@link ViewStats#ratioClasses}). */
    static int ratioClass(int a, int b) {
        return b != 0 ? a * INV[b] % Zp.P : a != 0 ? Zp.P : Zp.P + 1;
    }
}
