package io.securenn.ring;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link ZpKernels} (one element's 64 values per 512-bit byte vector, unmasked operations only:
 * masked byte operations take slow paths in C2). Loaded only where {@link ZpKernels} picks it
 * ({@link Vectors.Form#V512}), or by the tests and benchmarks.
 */
public final class ZpKernelsVector {
    private ZpKernelsVector() {}

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_512;
    private static final ByteVector ZERO = ByteVector.zero(B), ONE = ByteVector.broadcast(B, (byte) 1),
            P_V = ByteVector.broadcast(B, (byte) Zp.P);

    private static ByteVector reduce(ByteVector v) {
        return v.lanewise(VectorOperators.UMIN, v.sub(P_V));
    }

    public static void bitSharesMinusInPlace(long[] values, int from, byte[] s, int count) {
        for (int e = 0; e < count; e++) {
            int base = e * 64;
            VectorMask<Byte> bits = VectorMask.fromLong(B, Long.reverse(values[from + e]));
            reduce(ZERO.blend(ONE, bits).add(P_V).sub(ByteVector.fromArray(B, s, base))).intoArray(s, base);
        }
    }

    public static byte[] bitSharesMinus(long[] values, byte[] s0, int count) {
        byte[] s1 = new byte[count * 64];
        for (int e = 0; e < count; e++) {
            int base = e * 64;
            VectorMask<Byte> bits = VectorMask.fromLong(B, Long.reverse(values[e]));
            // bit + 67 − s0 is in 1..68: one reduction
            reduce(ZERO.blend(ONE, bits).add(P_V).sub(ByteVector.fromArray(B, s0, base))).intoArray(s1, base);
        }
        return s1;
    }

    public static long[] anyZeroSum(byte[] d0, byte[] d1, int n) {
        long[] out = new long[n];
        for (int e = 0; e < n; e++) {
            int base = e * 64;
            ByteVector sum = reduce(ByteVector.fromArray(B, d0, base).add(ByteVector.fromArray(B, d1, base)));
            out[e] = sum.compare(VectorOperators.EQ, ZERO).anyTrue() ? 1 : 0;
        }
        return out;
    }}
