package io.securenn.random;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 256-bit block loop of {@link Prg}'s rejection sampler, loaded only where {@link Prg} picks it
 * ({@code Vectors.Form.V256}). Byte vectors have no fast compress below AVX-512, so 32 stream bytes are reduced and
 * tested in one vector, and each group of 8 is compressed as a long by PEXT ({@link Long#compress}) under the
 * group's acceptance byte mask (the compare's result as bytes 0x00 / 0xFF), both longs taken from the vectors' lanes.
 */
final class PrgVector256 {
    private PrgVector256() {}

    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Keeps the stream bytes of buf[p..) below limit, 32 at a time while a whole block fits both the buffer (end)
     * and the output (n), as b mod m + plusOne (b mod m for b &lt; 3m: twice the unsigned minimum of v and v − m),
     * compressed into r from i. Returns (bytes consumed) &lt;&lt; 32 | (the new i). Each group's 8-byte write may
     * run past its kept values, never past i + 32 ≤ n: later groups, or the scalar loop after this one, overwrite
     * them.
     */
    static long sample(byte[] buf, int p, int end, byte[] r, int i, int n, int limit, int m, int plusOne) {
        ByteVector limitV = ByteVector.broadcast(B256, (byte) limit), mV = ByteVector.broadcast(B256, (byte) m),
                plusV = ByteVector.broadcast(B256, (byte) plusOne);
        int start = p;
        while (n - i >= 32 && end - p >= 32) {
            ByteVector v = ByteVector.fromArray(B256, buf, p);
            LongVector keep = ((ByteVector) v.compare(VectorOperators.ULT, limitV).toVector()).reinterpretAsLongs();
            v = v.lanewise(VectorOperators.UMIN, v.sub(mV));
            v = v.lanewise(VectorOperators.UMIN, v.sub(mV));
            LongVector w = v.add(plusV).reinterpretAsLongs();
            long k0 = keep.lane(0), k1 = keep.lane(1), k2 = keep.lane(2), k3 = keep.lane(3);
            LE.set(r, i, Long.compress(w.lane(0), k0));
            i += Long.bitCount(k0) >>> 3;
            LE.set(r, i, Long.compress(w.lane(1), k1));
            i += Long.bitCount(k1) >>> 3;
            LE.set(r, i, Long.compress(w.lane(2), k2));
            i += Long.bitCount(k2) >>> 3;
            LE.set(r, i, Long.compress(w.lane(3), k3));
            i += Long.bitCount(k3) >>> 3;
            p += 32;
        }
        return (long) (p - start) << 32 | i;
    }
}
