package io.securenn.protocol.privatecompare;

import io.securenn.ring.Zp;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 256-bit vector form of {@link MaskedShares}: one element's 64 positions as two 32-byte halves (lanes 0..31 the
 * positions 0..31, MSB first; the second half 32..63). Per half: the bits of t as 0/1 bytes (the half's 32 bits
 * broadcast, each lane picking its byte and testing its bit), w, an inclusive prefix scan (five shift-and-add steps,
 * a shift a constant byte permutation with the low lanes zeroed), the second half carrying the first half's total;
 * s·c = g^(a + log c) by lookups in 32-byte tables (three tables per 67-entry table, one permutation each, picked
 * by two compares); the rotation by π through a 128-byte scratch holding the element's 64 values twice. Loaded only
 * where {@link MaskedShares} picks it ({@code Vectors.Form.V256}), or by the tests and benchmarks.
 */
public final class MaskedSharesVector256 {
    private MaskedSharesVector256() {}

    private static final int BITS = PrivateCompare.BITS;
    private static final int P = Zp.P;
    private static final int H = 32;

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_256;
    private static final ByteVector ZERO = ByteVector.zero(B), ONE = ByteVector.broadcast(B, (byte) 1),
            P_V = ByteVector.broadcast(B, (byte) P), Q_V = ByteVector.broadcast(B, (byte) (P - 1)),
            J0_V = ByteVector.broadcast(B, (byte) P), J1_V = ByteVector.broadcast(B, (byte) (P + 1)),
            LOW5 = ByteVector.broadcast(B, (byte) (H - 1)), B31 = ByteVector.broadcast(B, (byte) 31),
            B63 = ByteVector.broadcast(B, (byte) 63);
    /** LOG and EXP in three 32-byte tables each (entries 0..31, 32..63, 64..95; zero past the table's end). */
    private static final ByteVector LOG0, LOG1, LOG2, EXP0, EXP1, EXP2;
    /** Lane k picks the byte of a broadcast int that holds its bit (bit 31 − k), and tests that bit. */
    private static final VectorShuffle<Byte> BYTE_OF_BIT;
    private static final ByteVector BIT_OF_LANE;
    /** SHIFT_s: lane i takes lane i − s (wrapped); KEEP_s zeroes the lanes below s. */
    private static final VectorShuffle<Byte> SHIFT1, SHIFT2, SHIFT4, SHIFT8, SHIFT16;
    private static final ByteVector KEEP1, KEEP2, KEEP4, KEEP8, KEEP16;

    static {
        byte[] log = Zp.logTable(96), exp = Zp.expTable(96);
        LOG0 = ByteVector.fromArray(B, log, 0);
        LOG1 = ByteVector.fromArray(B, log, 32);
        LOG2 = ByteVector.fromArray(B, log, 64);
        EXP0 = ByteVector.fromArray(B, exp, 0);
        EXP1 = ByteVector.fromArray(B, exp, 32);
        EXP2 = ByteVector.fromArray(B, exp, 64);
        int[] idx = new int[H];
        byte[] bit = new byte[H];
        for (int k = 0; k < H; k++) {
            idx[k] = 3 - k / 8;      // a little-endian int: byte 3 holds bits 31..24
            bit[k] = (byte) (0x80 >>> (k % 8));
        }
        BYTE_OF_BIT = VectorShuffle.fromArray(B, idx, 0);
        BIT_OF_LANE = ByteVector.fromArray(B, bit, 0);
        SHIFT1 = shift(1);
        SHIFT2 = shift(2);
        SHIFT4 = shift(4);
        SHIFT8 = shift(8);
        SHIFT16 = shift(16);
        KEEP1 = keep(1);
        KEEP2 = keep(2);
        KEEP4 = keep(4);
        KEEP8 = keep(8);
        KEEP16 = keep(16);
    }

    private static VectorShuffle<Byte> shift(int s) {
        return VectorShuffle.fromOp(B, i -> (i - s) & (H - 1));
    }

    private static ByteVector keep(int s) {
        byte[] k = new byte[H];
        for (int i = s; i < H; i++) k[i] = (byte) 0xFF;
        return ByteVector.fromArray(B, k, 0);
    }

    public static byte[] compute(int j, byte[] x, long[] r, long[] beta, byte[] a, byte[] rotation, byte[] mask,
                                 byte[] u, int n) {
        byte[] d = new byte[n * BITS];
        halves(j, x, r, beta, a, rotation, mask, d, n);
        int uo = 0;
        for (int e = 0; e < n; e++) {
            if (beta[e] != 0 && r[e] == -1L) {
                allOnesElement(j, x, r[e], a, rotation[e], mask, u, uo, d, e * BITS);
                uo += BITS;
            }
        }
        return d;
    }

    /** The rare branch (r = 2^64 − 1, β = 1): c comes from u; one element through the reference. */
    private static void allOnesElement(int j, byte[] x, long r, byte[] a, byte rotation, byte[] mask, byte[] u, int uo,
                                       byte[] d, int base) {
        byte[] one = MaskedShares.scalar(j, java.util.Arrays.copyOfRange(x, base, base + BITS), new long[] {r},
                new long[] {1}, java.util.Arrays.copyOfRange(a, base, base + BITS), new byte[] {rotation},
                java.util.Arrays.copyOfRange(mask, base, base + BITS), java.util.Arrays.copyOfRange(u, uo, uo + BITS), 1);
        System.arraycopy(one, 0, d, base, BITS);
    }

    /**
     * Every element, half by half (those of the r = 2^64 − 1, β = 1 branch are replaced later). All vector work is
     * written out in this one loop rather than in helper methods: C2 inlines the Vector API's methods whatever their
     * size, but stops inlining other methods past a node budget that this loop exceeds, and a vector passed to or
     * returned from a method not inlined is boxed on the heap. A reduction below is v − m for m ≤ v < 2m and v for
     * v < m: the unsigned minimum of v and v − m (unmasked operations only).
     */
    private static void halves(int j, byte[] x, long[] r, long[] beta, byte[] a, byte[] rotation, byte[] mask,
                               byte[] d, int n) {
        ByteVector jv = j == 0 ? J0_V : J1_V;
        // the element's masked values twice: its rotation by g is the 64-byte window at g
        byte[] twice = new byte[4 * H];
        int carry = 0;
        for (int h = 0; h < 2 * n; h++) {
            int e = h >>> 1, at = h * H;
            boolean b1 = beta[e] != 0, first = (h & 1) == 0;
            long t = b1 ? r[e] + 1 : r[e];
            // the first half holds bits 63..32 of t (MSB first); the second continues the first's running sum
            int bits = first ? (int) (t >>> 32) : (int) t;
            if (first) carry = 0;
            ByteVector xv = ByteVector.fromArray(B, x, at);
            ByteVector t01 = IntVector.broadcast(IntVector.SPECIES_256, bits).reinterpretAsBytes().rearrange(BYTE_OF_BIT)
                    .and(BIT_OF_LANE).lanewise(VectorOperators.UMIN, ONE);
            // w_k = x_k when t_k = 0, j − x_k (+67) when t_k = 1
            ByteVector w = xv.blend(jv.sub(xv), t01.compare(VectorOperators.NE, ZERO));
            w = w.lanewise(VectorOperators.UMIN, w.sub(P_V));
            // inclusive prefix sums (lane i adds lane i − s, none below s), plus the carry
            ByteVector s = w.add(w.rearrange(SHIFT1).and(KEEP1));
            s = s.lanewise(VectorOperators.UMIN, s.sub(P_V));
            s = s.add(s.rearrange(SHIFT2).and(KEEP2));
            s = s.lanewise(VectorOperators.UMIN, s.sub(P_V));
            s = s.add(s.rearrange(SHIFT4).and(KEEP4));
            s = s.lanewise(VectorOperators.UMIN, s.sub(P_V));
            s = s.add(s.rearrange(SHIFT8).and(KEEP8));
            s = s.lanewise(VectorOperators.UMIN, s.sub(P_V));
            s = s.add(s.rearrange(SHIFT16).and(KEEP16));
            s = s.lanewise(VectorOperators.UMIN, s.sub(P_V));
            s = s.add((byte) carry);
            s = s.lanewise(VectorOperators.UMIN, s.sub(P_V));
            carry = s.lane(H - 1);
            // exclusive = inclusive − w
            ByteVector acc = s.sub(w).add(P_V);
            acc = acc.lanewise(VectorOperators.UMIN, acc.sub(P_V));
            // β = 1: x_k − j·t_k + j + acc; β = 0: j·t_k − x_k + j + acc
            ByteVector c = b1 ? xv.add(acc) : acc.sub(xv).add(P_V);
            c = c.lanewise(VectorOperators.UMIN, c.sub(P_V));
            if (j == 1) {
                c = b1 ? c.add(ONE).sub(t01) : c.add(ONE).add(t01);
                c = c.lanewise(VectorOperators.UMIN, c.sub(P_V));
            }
            // s·c = g^(a + log c) for c ≠ 0, 0 for c = 0: lookups in three 32-byte tables each
            VectorShuffle<Byte> ci = c.and(LOW5).toShuffle();
            ByteVector logc = LOG0.rearrange(ci).blend(LOG1.rearrange(ci), c.compare(VectorOperators.GT, B31))
                    .blend(LOG2.rearrange(ci), c.compare(VectorOperators.GT, B63));
            ByteVector ex = logc.add(ByteVector.fromArray(B, a, at));
            ex = ex.lanewise(VectorOperators.UMIN, ex.sub(Q_V));
            VectorShuffle<Byte> ei = ex.and(LOW5).toShuffle();
            ByteVector sc = EXP0.rearrange(ei).blend(EXP1.rearrange(ei), ex.compare(VectorOperators.GT, B31))
                    .blend(EXP2.rearrange(ei), ex.compare(VectorOperators.GT, B63))
                    .blend(ZERO, c.compare(VectorOperators.EQ, ZERO));
            ByteVector m = ByteVector.fromArray(B, mask, at);
            ByteVector dv = j == 0 ? sc.add(m) : sc.add(P_V.sub(m));
            dv = dv.lanewise(VectorOperators.UMIN, dv.sub(P_V));
            int to = first ? 0 : H;
            dv.intoArray(twice, to);
            dv.intoArray(twice, to + 2 * H);
            if (!first) {
                int g = rotation[e] & (BITS - 1), base = at - H;
                ByteVector.fromArray(B, twice, g).intoArray(d, base);
                ByteVector.fromArray(B, twice, g + H).intoArray(d, base + H);
            }
        }
    }
}
