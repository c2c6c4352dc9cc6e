package io.securenn.ring;

/**
 * Hot loops over 64 Z_67 values per ring element (one per bit), in a scalar reference form and two vector forms:
 * {@link ZpKernelsVector} holds one element in one 512-bit byte vector, {@link ZpKernelsVector256} in two 256-bit
 * halves. The tests cross-check them; {@link #FORM} is the one that runs ({@link Vectors#pick}: on AVX2, JMH's
 * PrivateCompareLocalBench measured the 256-bit forms faster than the scalar ones).
 */
public final class ZpKernels {
    private ZpKernels() {}

    public static final Vectors.Form FORM = Vectors.pick(Vectors.BYTE_LANES, true);

    /**
     * P1's Z_67 shares of the bits of values (element e's bit k, k = 0 the MSB, at e·64 + k) given P0's: bit − s0.
     */
    public static byte[] bitSharesMinus(long[] values, byte[] s0, int count) {
        return switch (FORM) {
            case V512 -> ZpKernelsVector.bitSharesMinus(values, s0, count);
            case V256 -> ZpKernelsVector256.bitSharesMinus(values, s0, count);
            case SCALAR -> bitSharesMinusScalar(values, s0, count);
        };
    }

    /** In place: s[e·64 + k] becomes bit k of values[from + e] minus s[e·64 + k], for e < count. */
    public static void bitSharesMinusInPlace(long[] values, int from, byte[] s, int count) {
        switch (FORM) {
            case V512 -> ZpKernelsVector.bitSharesMinusInPlace(values, from, s, count);
            case V256 -> ZpKernelsVector256.bitSharesMinusInPlace(values, from, s, count);
            case SCALAR -> bitSharesMinusInPlaceScalar(values, from, s, count);
        }
    }

    public static void bitSharesMinusInPlaceScalar(long[] values, int from, byte[] s, int count) {
        for (int e = 0; e < count; e++) {
            long x = values[from + e];
            int base = e * 64;
            for (int k = 0; k < 64; k++) {
                int bit = (int) ((x >>> (63 - k)) & 1L);
                s[base + k] = (byte) Zp.sub(bit, s[base + k]);
            }
        }
    }

    public static byte[] bitSharesMinusScalar(long[] values, byte[] s0, int count) {
        byte[] s1 = new byte[count * 64];
        for (int e = 0; e < count; e++) {
            long x = values[e];
            int base = e * 64;
            for (int k = 0; k < 64; k++) {
                int bit = (int) ((x >>> (63 - k)) & 1L);
                s1[base + k] = (byte) Zp.sub(bit, s0[base + k]);
            }
        }
        return s1;
    }

    /** 1 for each element whose 64 positions hold some d0 + d1 ≡ 0 (mod 67), else 0 (PrivateCompare at P2). */
    public static long[] anyZeroSum(byte[] d0, byte[] d1, int n) {
        return switch (FORM) {
            case V512 -> ZpKernelsVector.anyZeroSum(d0, d1, n);
            case V256 -> ZpKernelsVector256.anyZeroSum(d0, d1, n);
            case SCALAR -> anyZeroSumScalar(d0, d1, n);
        };
    }

    public static long[] anyZeroSumScalar(byte[] d0, byte[] d1, int n) {
        long[] out = new long[n];
        for (int e = 0; e < n; e++) {
            int base = e * 64, zero = 0;
            for (int k = 0; k < 64; k++) zero |= (d0[base + k] + d1[base + k]) % Zp.P == 0 ? 1 : 0;
            out[e] = zero;
        }
        return out;
    }
}
