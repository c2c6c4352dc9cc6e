package io.securenn.protocol.privatecompare;

import io.securenn.ring.Zp;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 512-bit vector form of {@link MaskedShares}: one element's 64 positions in one 512-bit byte vector. Loaded
 * only where {@link MaskedShares} picks it (or by the tests and benchmarks, which run with the vector module).
 */
public final class MaskedSharesVector {
    private MaskedSharesVector() {}

    private static final int BITS = PrivateCompare.BITS;
    private static final int P = Zp.P;

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_512;
    private static final ByteVector LOG_LO, LOG_HI, EXP_LO, EXP_HI, IOTA, ZERO = ByteVector.zero(B);
    /** SHIFT[s] selects lane i − 2^s of the first table, or a zero of the second below 2^s. */
    private static final ByteVector SHIFT0, SHIFT1, SHIFT2, SHIFT3, SHIFT4, SHIFT5;

    static {
        byte[] log = Zp.logTable(128), exp = Zp.expTable(128), iota = new byte[64];
        for (int k = 0; k < 64; k++) iota[k] = (byte) k;
        LOG_LO = ByteVector.fromArray(B, log, 0);
        LOG_HI = ByteVector.fromArray(B, log, 64);
        EXP_LO = ByteVector.fromArray(B, exp, 0);
        EXP_HI = ByteVector.fromArray(B, exp, 64);
        IOTA = ByteVector.fromArray(B, iota, 0);
        SHIFT0 = shiftIndex(1);
        SHIFT1 = shiftIndex(2);
        SHIFT2 = shiftIndex(4);
        SHIFT3 = shiftIndex(8);
        SHIFT4 = shiftIndex(16);
        SHIFT5 = shiftIndex(32);
    }

    private static ByteVector shiftIndex(int k) {
        byte[] idx = new byte[64];
        for (int i = 0; i < 64; i++) idx[i] = (byte) (i >= k ? i - k : 64);
        return ByteVector.fromArray(B, idx, 0);
    }

    /** Lanes shifted up by k (lane i gets lane i − k, zeros below): a two-vector slice, faster than unslice. */
    private static ByteVector shiftUp(ByteVector v, ByteVector shift) {
        return shift.selectFrom(v, ZERO);
    }

    private static final ByteVector P_V = ByteVector.broadcast(B, (byte) P), Q_V = ByteVector.broadcast(B, (byte) (P - 1)),
            ONE = ByteVector.broadcast(B, (byte) 1), J0_V = ByteVector.broadcast(B, (byte) P),
            J1_V = ByteVector.broadcast(B, (byte) (P + 1)), LOW6 = ByteVector.broadcast(B, (byte) (BITS - 1));

    /**
     * v − m where v ≥ m, for v < 2m: the unsigned minimum of v and v − m (which wraps above v when v < m). Unmasked
     * operations only: masked byte operations fall back to slow paths in C2 here.
     */
    private static ByteVector reduce(ByteVector v, ByteVector m) {
        return v.lanewise(VectorOperators.UMIN, v.sub(m));
    }

    public static byte[] compute(int j, byte[] x, long[] r, long[] beta, byte[] a, byte[] rotation, byte[] mask,
                                byte[] u, int n) {
        byte[] d = new byte[n * BITS];
        int uo = 0;
        for (int e = 0; e < n; e++) {
            int base = e * BITS;
            boolean b1 = beta[e] != 0;
            if (b1 && r[e] == -1L) {
                allOnesElement(j, x, r[e], a, rotation[e], mask, u, uo, d, base);
                uo += BITS;
                continue;
            }
            element(j, b1, b1 ? r[e] + 1 : r[e], x, a, mask, rotation[e] & (BITS - 1), d, base);
        }
        return d;
    }

    /** The rare branch (r = 2^64 − 1, β = 1): c comes from u; one element through the reference. */
    private static void allOnesElement(int j, byte[] x, long r, byte[] a, byte rotation, byte[] mask, byte[] u, int uo,
                                       byte[] d, int base) {
        byte[] one = MaskedShares.scalar(j, java.util.Arrays.copyOfRange(x, base, base + BITS), new long[] {r}, new long[] {1},
                java.util.Arrays.copyOfRange(a, base, base + BITS), new byte[] {rotation},
                java.util.Arrays.copyOfRange(mask, base, base + BITS), java.util.Arrays.copyOfRange(u, uo, uo + BITS), 1);
        System.arraycopy(one, 0, d, base, BITS);
    }

    /** One element's 64 positions (t = r or r + 1 by β), rotated by g, into d at base. */
    private static void element(int j, boolean b1, long t, byte[] x, byte[] a, byte[] mask, int g, byte[] d, int base) {
        ByteVector xv = ByteVector.fromArray(B, x, base);
        // lane k holds position k (k = 0 the MSB): bit 63 − k of t, as a mask and as 0/1 bytes
        VectorMask<Byte> tk = VectorMask.fromLong(B, Long.reverse(t));
        ByteVector t01 = ZERO.blend(ONE, tk);
        // w_k = x_k when t_k = 0, j − x_k (+67) when t_k = 1; then the inclusive prefix sum mod 67
        ByteVector w = reduce(xv.blend((j == 0 ? J0_V : J1_V).sub(xv), tk), P_V);
        w = reduce(w.add(shiftUp(w, SHIFT0)), P_V);
        w = reduce(w.add(shiftUp(w, SHIFT1)), P_V);
        w = reduce(w.add(shiftUp(w, SHIFT2)), P_V);
        w = reduce(w.add(shiftUp(w, SHIFT3)), P_V);
        w = reduce(w.add(shiftUp(w, SHIFT4)), P_V);
        w = reduce(w.add(shiftUp(w, SHIFT5)), P_V);
        ByteVector acc = shiftUp(w, SHIFT0);   // Σ_{i<k} w_i
        ByteVector c;
        if (b1) {
            // x_k − j·t_k + j + acc
            c = reduce(xv.add(acc), P_V);
            if (j == 1) c = reduce(c.add(ONE).sub(t01), P_V);
        } else {
            // j·t_k − x_k + j + acc
            c = reduce(acc.sub(xv).add(P_V), P_V);
            if (j == 1) c = reduce(c.add(ONE).add(t01), P_V);
        }
        // s·c = g^(a + log c) for c ≠ 0, 0 for c = 0
        ByteVector logc = c.selectFrom(LOG_LO, LOG_HI);
        ByteVector ex = reduce(logc.add(ByteVector.fromArray(B, a, base)), Q_V);
        ByteVector sc = ex.selectFrom(EXP_LO, EXP_HI).blend(ZERO, c.compare(VectorOperators.EQ, ZERO));
        ByteVector m = ByteVector.fromArray(B, mask, base);
        if (j == 1) m = P_V.sub(m);
        ByteVector dv = reduce(sc.add(m), P_V);
        IOTA.add(ByteVector.broadcast(B, (byte) g)).and(LOW6).selectFrom(dv).intoArray(d, base);
    }
}
