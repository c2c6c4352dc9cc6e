package io.securenn.protocol.privatecompare;

import io.securenn.ring.Vectors;
import io.securenn.ring.Zp;

/**
 * P_j's local work in PrivateCompare, given the common randomness: the c shares (with their running sums of w),
 * times s = g^a, masked by (−1)^j·m and rotated by π, 64 values in Z_67 per element. Two implementations of the
 * same pure function: {@link #scalar} (the reference) and two vector forms, which hold one element's 64 positions in
 * one 512-bit vector of bytes ({@link MaskedSharesVector}) or in two 256-bit halves ({@link MaskedSharesVector256}):
 * the running sum is a log-step prefix sum, s·c is EXP[a + LOG c] by byte lookups, the rotation a byte permutation
 * (or a window). The tests cross-check the three; {@link #compute} runs {@link #FORM} ({@link Vectors#pick}: on
 * AVX2 the JMH bench PrivateCompareLocalBench measured the 256-bit form faster than the scalar one).
 */
public final class MaskedShares {
    private MaskedShares() {}

    static final int BITS = PrivateCompare.BITS;
    private static final int P = Zp.P;

    public static final Vectors.Form FORM = Vectors.pick(Vectors.BYTE_LANES, true);

    public static byte[] compute(int j, byte[] x, long[] r, long[] beta, byte[] a, byte[] rotation, byte[] mask,
                                 byte[] u, int n) {
        return switch (FORM) {
            case V512 -> MaskedSharesVector.compute(j, x, r, beta, a, rotation, mask, u, n);
            case V256 -> MaskedSharesVector256.compute(j, x, r, beta, a, rotation, mask, u, n);
            case SCALAR -> scalar(j, x, r, beta, a, rotation, mask, u, n);
        };
    }

    /** The reference: c shares, then d[e·64 + k] = g^a·c + (−1)^j·m at position i = e·64 + ((k + π_e) mod 64). */
    public static byte[] scalar(int j, byte[] x, long[] r, long[] beta, byte[] a, byte[] rotation, byte[] mask,
                                byte[] u, int n) {
        byte[] c = PrivateCompare.cShares(j, x, r, beta, u, n);
        byte[] d = new byte[n * BITS];
        for (int e = 0; e < n; e++) {
            int base = e * BITS;
            int g = rotation[e] & (BITS - 1);   // uniform on 0..63: 64 divides 256
            for (int k = 0; k < BITS; k++) {
                int i = base + ((k + g) & (BITS - 1));
                int m = j == 0 ? mask[i] : P - mask[i];
                d[base + k] = (byte) Zp.reduceSmall(Zp.exp(a[i]) * c[i] + m);
            }
        }
        return d;
    }
}
