package io.securenn.protocol.matmul;

import io.securenn.runtime.PartyContext;
import io.securenn.runtime.WeightMaskStreams;

/**
 * A session's stationary weight masks (docs/PROTOCOLS.md, "Stationary weight masks"): each call of {@link #next}
 * gives a new operand its own mask, numbered 0, 1, 2, … in call order (the same at the three parties, whose jobs
 * make the same calls: SPMD), so no two operands, and no two values of one weight, ever share a V. Made once per
 * session, after {@link io.securenn.runtime.Session#establish} and before the model's weights are imported; a new
 * session makes new masks from fresh masters.
 */
public final class WeightMasks {
    private final WeightMaskStreams streams;
    private long next;
    private final java.util.List<WeightMask> all = new java.util.ArrayList<>();

    private WeightMasks(WeightMaskStreams streams) {
        this.streams = streams;
    }

    /** Draws the session's mask masters from its pair streams with P2 ({@link WeightMaskStreams#from}). */
    public static WeightMasks from(PartyContext session) {
        return new WeightMasks(WeightMaskStreams.from(session));
    }

    /** The mask of the next operand, of {@code length} values. */
    public WeightMask next(int length) {
        WeightMask m = new WeightMask(streams, next++, length);
        all.add(m);
        return m;
    }

    /** Operands given a mask so far. */
    public long operands() {
        return next;
    }

    /** Bytes this party keeps for the masks used so far (F at P0 and P1, V at P2). */
    public long keptBytes() {
        long b = 0;
        for (WeightMask m : all) b += m.keptBytes();
        return b;
    }

    /** The session's mask streams (tests: their names, against the batches'). */
    public WeightMaskStreams streams() {
        return streams;
    }

    /** Forgets the masters (end of the session); the masks made so far can no longer draw. */
    public void wipe() {
        streams.wipe();
    }
}
