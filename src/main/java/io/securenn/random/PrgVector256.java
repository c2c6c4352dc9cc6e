package io.securenn.random;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 256-bit block loop of {@link Prg}'s rejection sampler, loaded only where {@code Vectors.BYTE_256} holds and
 * {@link Prg} picks it. Byte vectors have no fast compress below AVX-512, so 32 stream bytes are reduced and tested
 * in one vector, and each group of 8 is compressed as a long by PEXT ({@link Long#compress}) with the group's
 * acceptance bits spread to byte masks by PDEP ({@link Long#expand}).
 */
final class PrgVector256 {
    private PrgVector256() {}

    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BYTES = 0x0101_0101_0101_0101L;

    /**
     * Keeps the stream bytes of buf[p..) below limit, 32 at a time while a whole block fits both the buffer (end)
     * and the output (n), as b mod m + plusOne (b mod m for b &lt; 3m: twice the unsigned minimum of v and v − m),
     * compressed into r from i; tmp is 32 bytes of scratch. Returns (bytes consumed) &lt;&lt; 32 | (the new i).
     * Each group's 8-byte write may run past its kept values, never past i + 32 ≤ n: later groups, or the scalar
     * loop after this one, overwrite them.
     */
    static long sample(byte[] buf, int p, int end, byte[] r, int i, int n, int limit, int m, int plusOne, byte[] tmp) {
        ByteVector limitV = ByteVector.broadcast(B256, (byte) limit), mV = ByteVector.broadcast(B256, (byte) m),
                plusV = ByteVector.broadcast(B256, (byte) plusOne);
        int start = p;
        while (n - i >= 32 && end - p >= 32) {
            ByteVector v = ByteVector.fromArray(B256, buf, p);
            long keep = v.compare(VectorOperators.ULT, limitV).toLong();
            v = v.lanewise(VectorOperators.UMIN, v.sub(mV));
            v = v.lanewise(VectorOperators.UMIN, v.sub(mV));
            v.add(plusV).intoArray(tmp, 0);
            for (int g = 0; g < 32; g += 8) {
                long bits = (keep >>> g) & 0xFF;
                LE.set(r, i, Long.compress((long) LE.get(tmp, g), Long.expand(bits, LOW_BYTES) * 0xFF));
                i += Long.bitCount(bits);
            }
            p += 32;
        }
        return (long) (p - start) << 32 | i;
    }
}
