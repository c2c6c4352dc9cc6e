package io.securenn.ring;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Hot loops over 64 Z_67 values per ring element (one per bit), in a scalar reference form and a vector form that
 * holds one element in one 512-bit byte vector; the tests cross-check them, and the vector form is used where
 * such vectors are native. Unmasked vector operations only (masked byte operations take slow paths in C2).
 */
public final class ZpKernels {
    private ZpKernels() {}

    public static final boolean VECTOR = ByteVector.SPECIES_PREFERRED.length() >= 64
            && !"false".equals(System.getProperty("securenn.vector"));

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_512;
    private static final ByteVector ZERO = ByteVector.zero(B), ONE = ByteVector.broadcast(B, (byte) 1),
            P_V = ByteVector.broadcast(B, (byte) Zp.P);

    private static ByteVector reduce(ByteVector v) {
        return v.lanewise(VectorOperators.UMIN, v.sub(P_V));
    }

    /**
     * P1's Z_67 shares of the bits of values (element e's bit k, k = 0 the MSB, at e·64 + k) given P0's: bit − s0.
     */
    public static byte[] bitSharesMinus(long[] values, byte[] s0, int count) {
        return VECTOR ? bitSharesMinusVector(values, s0, count) : bitSharesMinusScalar(values, s0, count);
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

    public static byte[] bitSharesMinusVector(long[] values, byte[] s0, int count) {
        byte[] s1 = new byte[count * 64];
        for (int e = 0; e < count; e++) {
            int base = e * 64;
            VectorMask<Byte> bits = VectorMask.fromLong(B, Long.reverse(values[e]));
            // bit + 67 − s0 is in 1..68: one reduction
            reduce(ZERO.blend(ONE, bits).add(P_V).sub(ByteVector.fromArray(B, s0, base))).intoArray(s1, base);
        }
        return s1;
    }

    /** 1 for each element whose 64 positions hold some d0 + d1 ≡ 0 (mod 67), else 0 (PrivateCompare at P2). */
    public static long[] anyZeroSum(byte[] d0, byte[] d1, int n) {
        return VECTOR ? anyZeroSumVector(d0, d1, n) : anyZeroSumScalar(d0, d1, n);
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

    public static long[] anyZeroSumVector(byte[] d0, byte[] d1, int n) {
        long[] out = new long[n];
        for (int e = 0; e < n; e++) {
            int base = e * 64;
            ByteVector sum = reduce(ByteVector.fromArray(B, d0, base).add(ByteVector.fromArray(B, d1, base)));
            out[e] = sum.compare(VectorOperators.EQ, ZERO).anyTrue() ? 1 : 0;
        }
        return out;
    }
}
