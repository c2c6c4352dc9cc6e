package io.securenn.protocol.privatecompare;

import io.securenn.protocol.sharing.Chunks;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Shares;
import io.securenn.ring.ZpWire;
import io.securenn.random.Prg;
import io.securenn.ring.Zp;
import io.securenn.ring.ZpKernels;
import io.securenn.runtime.PartyContext;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Π_PC (spec §2.4, ePrint form, with correction 1): P0 and P1 hold Z_67 shares of the 64 bits of x (dealt by P2,
 * MSB first), a public r and a common bit β, per element; P2 learns only β′ = β ⊕ (x > r).
 *
 * <p>Per element and position i, P_j computes ⟨c_i⟩_j over Z_67 (P1 adds the public constants, as the ePrint
 * form writes j·…):
 * <ul>
 *   <li>β = 0: ⟨c_i⟩ = j·r_i − ⟨x_i⟩ + j + Σ_{more significant k} ⟨w_k⟩, ⟨w_k⟩ = ⟨x_k⟩ + j·r_k − 2r_k⟨x_k⟩;</li>
 *   <li>β = 1, r ≠ 2^64−1: the same with t = r + 1 and c_i = −j·t_i + ⟨x_i⟩ + j + Σ⟨w_k⟩ (zero iff x ≤ r);</li>
 *   <li>β = 1, r = 2^64−1 (x ≤ r always): ⟨c_i⟩ = (1−j)(u_i+1) − j·u_i, and (−1)^j·u_i at the LSB, so that
 *       c has exactly one zero.</li>
 * </ul>
 * Then ⟨d_i⟩_j = s_i·⟨c_i⟩_j + (−1)^j·m_i, permuted by π, goes to P2, which outputs 1 iff some d_i = 0.
 * s_i ∈ Z_67*, u_i ∈ Z_67*, m_i ∈ Z_67 and π are fresh from the P0–P1 stream per position, element and call.
 *
 * <p>π is a uniformly random cyclic rotation of the 64 positions, not a uniformly random permutation: P2's view is
 * the vector of d_i, whose non-zero entries are i.i.d. uniform on Z_67* (each is s_i times a non-zero c_i) and which
 * has at most one zero, at the first differing bit. A uniform rotation puts that zero at a uniform position, so the
 * view has exactly the distribution a uniform permutation gives, for one byte of randomness per element instead
 * of 63 rejection-sampled ones.
 * The m_i (correction 1) make the pair (⟨d_i⟩0, ⟨d_i⟩1) uniform given d_i; without them the ratio of the two
 * shares cancels s_i and lets P2 recover r.
 *
 * <p>Cost: 1 round; P0 and P1 each send the 64·n masked values (one byte or 7 bits each, {@link ZpWire}: the
 * session's, {@code ctx.params().zpWire()}).
 */
public final class PrivateCompare {
    private PrivateCompare() {}

    public static final int BITS = 64;

    /** The ring in which P2 re-shares β′. */
    public enum OutputRing { Z_L, Z_L_MINUS_1 }

    /** Bytes all parties send together for n comparisons, with Z_67 values in the given wire format. */
    public static long bytes(ZpWire wire, int n) {
        return 2L * wire.bytes(Math.multiplyExact(n, BITS));
    }

    public static int rounds() {
        return 1;
    }

    /** Bytes of {@link #shareOutput} (P2 sends P1's share; P0's comes from the P0–P2 stream). */
    public static long shareOutputBytes(int n) {
        return HelperMessage.ringBytes(n);
    }

    /**
     * Runs Π_PC. P0/P1 pass their bit shares (64·n Z_67 values, element e's MSB at e·64), r and β (0/1); P2 passes
     * nulls. Returns β′ (0/1 per element) at P2 and an empty array at P0/P1.
     */
    public static long[] run(PartyContext ctx, byte[] xBitShares, long[] r, long[] beta, int n) {
        Shares.requireCount(n, "PrivateCompare");
        try (var _ = ctx.meter("PrivateCompare")) {
            if (ctx.isHelper()) return evaluate(ctx, n);
            send(ctx, xBitShares, r, beta, n);
            return Shares.none();
        }
    }

    /**
     * Π_PC over the bit shares P2 dealt as its message's last item ({@link HelperMessage#bitsZ67Last}) against
     * comparands the holders know, {@link Chunks piece by piece}: one message per piece (all in one round), each
     * piece's bit shares used as they arrive (P1) or are drawn (P0), so no party holds 64 Z_67 values per element
     * of the whole vector. P0/P1 pass their bit shares, the comparands r and the common bits β as packed words
     * ({@link Prg#bitWords}) and get an empty array; P2 passes nulls and gets β′ = β ⊕ (x > r) per element.
     * ShareConvert, ComputeMSB and the masked-reveal DReLU run their comparisons through it.
     */
    public static long[] runInPieces(PartyContext ctx, HelperMessage.BitShares bits, long[] r, long[] betaWords, int n) {
        if (ctx.isHelper()) return Chunks.gather(ctx, n, (from, to) -> evaluate(ctx, to - from));
        Chunks.forEach(ctx, n, (from, to) -> send(ctx, bits.next(to - from), Arrays.copyOfRange(r, from, to),
                Prg.bits(betaWords, from, to), to - from));
        return Shares.none();
    }

    /** P0/P1's half: masks, permutes and sends the d shares to P2 (draws a, π, m, u from the P0–P1 stream). */
    public static void send(PartyContext ctx, byte[] xBitShares, long[] r, long[] beta, int n) {
        ctx.requireShareHolder("PrivateCompare.send");
        int len = Math.multiplyExact(n, BITS);
        if (xBitShares == null || xBitShares.length != len || r == null || r.length != n || beta == null
                || beta.length != n) {
            throw new IllegalArgumentException("PrivateCompare: inputs do not match " + n + " elements");
        }
        if (n == 0) return;
        Prg common = ctx.common();
        // s_i = g^{a_i} with a_i uniform in Z_66 is uniform in Z_67^* (g generates it): drawing the logarithm lets
        // the vector kernel multiply by table lookups
        byte[] a = common.modPMinusOne(len);
        byte[] rotation = common.bytes(n);
        byte[] mask = common.modP(len);
        byte[] u = common.nonZeroModP(BITS * countAllOnesBranch(r, beta));
        sendZp(ctx, PartyContext.P2, maskedShares(ctx.id(), xBitShares, r, beta, a, rotation, mask, u, n));
    }

    /**
     * P_j's whole local work in {@link #send}, given the common randomness it drew: the c shares, multiplied by
     * s = g^a, masked by (−1)^j·m and rotated by π, as sent to P2 (64·n values in Z_67). A pure function (public
     * for the benchmarks); {@link MaskedShares} has its scalar and vector forms.
     */
    public static byte[] maskedShares(int j, byte[] xBitShares, long[] r, long[] beta, byte[] a, byte[] rotation,
                                      byte[] mask, byte[] u, int n) {
        return MaskedShares.compute(j, xBitShares, r, beta, a, rotation, mask, u, n);
    }

    /** P2's half: receives both masked vectors and returns β′ per element (1 iff some d_i = 0). */
    public static long[] evaluate(PartyContext ctx, int n) {
        if (!ctx.isHelper()) throw new IllegalStateException("PrivateCompare.evaluate runs at P2");
        long[] out = new long[n];
        if (n == 0) return out;
        byte[][] d = receiveMasked(ctx, n);
        return ZpKernels.anyZeroSum(d[0], d[1], n);
    }

    /**
     * P2 re-shares its outputs β′ (0/1) in the ring the caller needs: one message to P1, P0's share from the
     * P0–P2 stream. P2 passes β′ and gets an empty array; P0/P1 pass null and get their shares.
     */
    public static long[] shareOutput(PartyContext ctx, long[] betaPrime, int n, OutputRing ring) {
        HelperMessage msg = HelperMessage.open(ctx, shareOutputBytes(n));
        long[] s = ring == OutputRing.Z_L ? msg.ring(betaPrime, n) : msg.oddRing(betaPrime, n);
        msg.deliver();
        return s == null ? Shares.none() : s;
    }

    /** How many elements take the β = 1, r = 2^64 − 1 branch (both share holders know β and r). */
    static int countAllOnesBranch(long[] r, long[] beta) {
        int k = 0;
        for (int e = 0; e < r.length; e++) if (beta[e] != 0 && r[e] == -1L) k++;
        return k;
    }

    /**
     * P_j's shares of the c vectors (before masking and permutation), element e's position k (k = 0 the MSB) at
     * e·64 + k; u holds 64 values per element of the r = 2^64 − 1, β = 1 branch, in element order.
     */
    static byte[] cShares(int j, byte[] x, long[] r, long[] beta, byte[] u, int n) {
        byte[] c = new byte[n * BITS];
        int uo = 0;
        for (int e = 0; e < n; e++) {
            int base = e * BITS;
            boolean b1 = beta[e] != 0;
            if (b1 && r[e] == -1L) {
                for (int k = 0; k < BITS; k++) {
                    int ui = u[uo + k];
                    int v = k == BITS - 1 ? (j == 0 ? ui : Zp.P - ui) : (j == 0 ? ui + 1 : Zp.P - ui);
                    c[base + k] = (byte) (v % Zp.P);
                }
                uo += BITS;
                continue;
            }
            long t = b1 ? r[e] + 1 : r[e];
            int acc = 0;
            for (int k = 0; k < BITS; k++) {
                int tk = (int) ((t >>> (63 - k)) & 1L);
                int xk = x[base + k];
                // β=0: j·t_k − x_k + j + Σw ; β=1: −j·t_k + x_k + j + Σw  (all mod 67, kept non-negative)
                int ck = b1 ? xk - j * tk + j + acc + Zp.P : j * tk - xk + j + acc + Zp.P;
                c[base + k] = (byte) Zp.reduceSmall(ck);
                // w_k = x_k + j·t_k − 2·t_k·x_k: x_k when t_k = 0, j − x_k when t_k = 1. The sum is kept unreduced
                // (at most 63 · 68 before the last position, so ck < Zp.SMALL_LIMIT): one lookup per position and
                // no chain of lookups through acc (issue 15's profile: this loop was the hottest of P0 and P1)
                acc += tk == 0 ? xk : j - xk + Zp.P;
            }
        }
        return c;
    }

    static void sendZp(PartyContext ctx, int peer, byte[] values) {
        ZpWire wire = ctx.params().zpWire();
        ByteBuffer b = ByteBuffer.allocate(wire.bytes(values.length));
        wire.encode(values, 0, values.length, b);
        ctx.sendBytes(peer, b.array());
    }

    /** P2 receives P0's and P1's masked, permuted d vectors as sent (the whole view P2 gets from Π_PC). */
    static byte[][] receiveMasked(PartyContext ctx, int n) {
        return new byte[][] {receiveZp(ctx, PartyContext.P0, n * BITS), receiveZp(ctx, PartyContext.P1, n * BITS)};
    }

    private static byte[] receiveZp(PartyContext ctx, int peer, int count) {
        ZpWire wire = ctx.params().zpWire();
        byte[] raw = ctx.receiveBytes(peer, wire.bytes(count));
        byte[] v = new byte[count];
        if (!wire.decode(ByteBuffer.wrap(raw), count, v, 0)) {
            throw ctx.peerMisbehaved(peer, "it sent a Z_67 value out of range");
        }
        return v;
    }
}
