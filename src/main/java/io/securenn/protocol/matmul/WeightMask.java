package io.securenn.protocol.matmul;

import io.securenn.runtime.PartyContext;
import io.securenn.runtime.WeightMaskStreams;

/**
 * One weight operand's stationary mask (docs/PROTOCOLS.md, "Stationary weight masks"): its V is drawn once per
 * session from the session's weight-mask streams (operand k's own, {@link WeightMaskStreams}), F = Y − V is opened
 * once, by the first product that uses it, and every later product of {@link MatMul} or {@link Convolution} with
 * this operand computes with the cached F and a fresh U, E and Z = U·V from its own batch's streams.
 *
 * <p>State per party: P0 and P1 keep the opened F (8 bytes per weight value) once it is opened; P2 keeps V (the same)
 * from the first product on. A mask may only ever mask one value Y: the caller gives each weight value its own mask
 * ({@link WeightMasks#next}) and never passes a mask with another value (a weight update would open Y − Y′; the
 * secure backend keys masks by the weight's handle, which never changes value). Not thread-safe: the products of
 * a session run one after another.
 */
public final class WeightMask {
    private final WeightMaskStreams streams;
    private final long operand;
    private final int length;
    /** P0, P1: the opened F once some product opened it; P2: V from the first product on. */
    private long[] kept;

    WeightMask(WeightMaskStreams streams, long operand, int length) {
        if (length < 1) throw new IllegalArgumentException("a weight operand has at least one value");
        this.streams = java.util.Objects.requireNonNull(streams, "streams");
        this.operand = operand;
        this.length = length;
    }

    /** Values of the masked operand (Y's n·v, a kernel's C·kh·kw·D). */
    public int length() {
        return length;
    }

    /** The operand's number in its session (the index of its mask streams). */
    public long operand() {
        return operand;
    }

    /** P0, P1: whether F is opened (later products send no F); P2: whether V is drawn. */
    public boolean opened() {
        return kept != null;
    }

    /** Bytes this party keeps for the mask: F at P0 and P1, V at P2, once used (0 before). */
    public long keptBytes() {
        return kept == null ? 0 : 8L * length;
    }

    /** P0, P1: ⟨V⟩_j, drawn from operand k's stream with P2 (called once, by the product that opens F). */
    long[] holderShare(PartyContext ctx) {
        ctx.requireShareHolder("a weight mask's share");
        if (kept != null) throw new IllegalStateException("F is opened already: V is drawn once");
        return streams.stream(PartyContext.P2, operand).longs(length);
    }

    /** P0, P1: F, opened (the array is kept: nobody may modify it). */
    long[] f() {
        if (kept == null) throw new IllegalStateException("F is not opened yet");
        return kept;
    }

    /** P0, P1: keeps the opened F. */
    void open(long[] f) {
        if (f.length != length) throw new IllegalArgumentException("F of " + f.length + " values for " + length);
        kept = f;
    }

    /** P2: V = ⟨V⟩0 + ⟨V⟩1 from operand k's streams with P0 and P1, drawn at the first call and kept (read only). */
    long[] helperV(PartyContext ctx) {
        if (!ctx.isHelper()) throw new IllegalStateException("only P2 knows V");
        if (kept == null) {
            long[] v = streams.stream(PartyContext.P0, operand).longs(length);
            long[] v1 = streams.stream(PartyContext.P1, operand).longs(length);
            for (int i = 0; i < length; i++) v[i] += v1[i];
            kept = v;
        }
        return kept;
    }

    @Override
    public String toString() {
        return "WeightMask[operand " + operand + ", " + length + " values" + (kept != null ? ", opened" : "") + "]";   // never F or V
    }
}
