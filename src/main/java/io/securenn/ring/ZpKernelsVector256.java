package io.securenn.ring;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 256-bit vector forms of {@link ZpKernels}: one element's 64 values as two 32-byte halves (lanes 0..31 the
 * positions k = 0..31, MSB first; then 32..63), unmasked operations only. Loaded only where {@link ZpKernels} picks
 * them ({@link Vectors.Form#V256}), or by the tests and benchmarks.
 */
public final class ZpKernelsVector256 {
    private ZpKernelsVector256() {}

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_256;
    private static final ByteVector ZERO = ByteVector.zero(B), ONE = ByteVector.broadcast(B, (byte) 1),
            P_V = ByteVector.broadcast(B, (byte) Zp.P);
    /** Lane k picks the byte of a broadcast int that holds bit 31 − k, then tests that bit. */
    private static final VectorShuffle<Byte> BYTE_OF_BIT;
    private static final ByteVector BIT_OF_LANE;

    static {
        int[] idx = new int[32];
        byte[] bit = new byte[32];
        for (int k = 0; k < 32; k++) {
            idx[k] = 3 - k / 8;      // a little-endian int: byte 3 holds bits 31..24
            bit[k] = (byte) (0x80 >>> (k % 8));
        }
        BYTE_OF_BIT = VectorShuffle.fromArray(B, idx, 0);
        BIT_OF_LANE = ByteVector.fromArray(B, bit, 0);
    }

    /**
     * One half: out = bit − s mod 67, lane k's bit being bit 31 − k of bits (MSB first). bit + 67 − s is in 1..68:
     * one reduction, the unsigned minimum of v and v − 67. (The bits as 0/1 bytes by a broadcast and a byte
     * permutation: JMH measured it faster here than a mask from the bits, VectorMask.fromLong.)
     */
    private static void minusHalf(int bits, byte[] s, int from, byte[] out, int to) {
        ByteVector b = IntVector.broadcast(IntVector.SPECIES_256, bits).reinterpretAsBytes().rearrange(BYTE_OF_BIT)
                .and(BIT_OF_LANE).lanewise(VectorOperators.UMIN, ONE);
        ByteVector v = b.add(P_V).sub(ByteVector.fromArray(B, s, from));
        v.lanewise(VectorOperators.UMIN, v.sub(P_V)).intoArray(out, to);
    }

    public static void bitSharesMinusInPlace(long[] values, int from, byte[] s, int count) {
        for (int e = 0; e < count; e++) {
            long x = values[from + e];
            int base = e * 64;
            minusHalf((int) (x >>> 32), s, base, s, base);
            minusHalf((int) x, s, base + 32, s, base + 32);
        }
    }

    public static byte[] bitSharesMinus(long[] values, byte[] s0, int count) {
        byte[] s1 = new byte[count * 64];
        for (int e = 0; e < count; e++) {
            long x = values[e];
            int base = e * 64;
            minusHalf((int) (x >>> 32), s0, base, s1, base);
            minusHalf((int) x, s0, base + 32, s1, base + 32);
        }
        return s1;
    }

    public static long[] anyZeroSum(byte[] d0, byte[] d1, int n) {
        long[] out = new long[n];
        for (int e = 0; e < n; e++) {
            int base = e * 64;
            // d0 + d1 ≡ 0 iff the sum is 0 or 67: iff its reduction is 0
            ByteVector lo = ByteVector.fromArray(B, d0, base).add(ByteVector.fromArray(B, d1, base));
            ByteVector hi = ByteVector.fromArray(B, d0, base + 32).add(ByteVector.fromArray(B, d1, base + 32));
            lo = lo.lanewise(VectorOperators.UMIN, lo.sub(P_V));
            hi = hi.lanewise(VectorOperators.UMIN, hi.sub(P_V));
            // a zero lane in either half is a zero lane of their unsigned minimum
            out[e] = lo.lanewise(VectorOperators.UMIN, hi).compare(VectorOperators.EQ, ZERO).anyTrue() ? 1 : 0;
        }
        return out;
    }
}
