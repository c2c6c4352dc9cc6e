package io.securenn.random;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The 512-bit block loop of {@link Prg}'s rejection sampler, loaded only where {@code Vectors.BYTE_512} holds. */
final class PrgVector {
    private PrgVector() {}

    private static final VectorSpecies<Byte> B512 = ByteVector.SPECIES_512;

    /**
     * Keeps the stream bytes of buf[p..) below limit, 64 at a time while a whole block fits both the buffer (end) and
     * the output (n), as b mod m + plusOne (b mod m for b &lt; 3m: twice the unsigned minimum of v and v − m, unmasked
     * operations only), compressed into r from i. Returns (bytes consumed) &lt;&lt; 32 | (the new i).
     */
    static long sample(byte[] buf, int p, int end, byte[] r, int i, int n, int limit, int m, int plusOne) {
        ByteVector limitV = ByteVector.broadcast(B512, (byte) limit), mV = ByteVector.broadcast(B512, (byte) m),
                plusV = ByteVector.broadcast(B512, (byte) plusOne);
        int start = p;
        while (n - i >= 64 && end - p >= 64) {
            ByteVector v = ByteVector.fromArray(B512, buf, p);
            VectorMask<Byte> keep = v.compare(VectorOperators.ULT, limitV);
            v = v.lanewise(VectorOperators.UMIN, v.sub(mV));
            v = v.lanewise(VectorOperators.UMIN, v.sub(mV));
            v.add(plusV).compress(keep).intoArray(r, i);
            i += keep.trueCount();
            p += 64;
        }
        return (long) (p - start) << 32 | i;
    }
}
