package io.securenn.runtime;

import io.securenn.random.Prg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The streams of a session's stationary weight masks (docs/PROTOCOLS.md, "Stationary weight masks"): P0–P2 and
 * P1–P2 each draw a 32-byte master key once from their session pair stream ({@link #from}, every party at the same
 * point of the job), and weight operand k's mask share of that pair is AES-128-CTR keyed by
 * HMAC-SHA256(master, {@link #LABEL} ‖ k), as {@link BatchStreams} derives batch streams under another label. P0
 * draws ⟨V_k⟩0 from its stream with P2, P1 ⟨V_k⟩1 from its own, and P2 both: V_k = ⟨V_k⟩0 + ⟨V_k⟩1 is known to P2
 * alone, and P2 can make it again at any time from the masters. The P0–P1 stream is not touched: the masks protect
 * the weights from P0 and P1, and P2 must never hold their common randomness.
 *
 * <p>Disjointness: the masters are fresh pseudorandom keys known to their pair only, and the label differs from
 * every batch stream's, so no mask stream shares a position with any batch's stream or with another operand's
 * (HMAC-SHA256 is a PRF; tested as for the batch streams). The masters live only in memory, in this object.
 */
public final class WeightMaskStreams {
    /** Domain separation of the derivation (its version is part of it). */
    static final byte[] LABEL = "securenn/session/weight-mask/v1".getBytes(StandardCharsets.US_ASCII);

    private final int self;
    private final byte[][] master = new byte[3][];
    private boolean wiped;

    private WeightMaskStreams(PartyContext session) {
        this.self = session.id();
        for (int p = 0; p < 3; p++) {
            if (p != self && (p == PartyContext.P2 || self == PartyContext.P2)) master[p] = session.pair(p).bytes(32);
        }
    }

    /**
     * Draws the masters from the session's pair streams with P2 (every party calls this at the same point of its
     * job, so both holders of a pair draw the same 32 bytes; P0 and P1 leave their common stream alone).
     */
    public static WeightMaskStreams from(PartyContext session) {
        return new WeightMaskStreams(session);
    }

    /** Weight operand k's mask stream shared with peer (P0 and P1: with P2; P2: with P0 or P1), from its start. */
    public Prg stream(int peer, long operand) {
        if (operand < 0) throw new IllegalArgumentException("operand numbers are non-negative");
        return BatchStreams.derive(masterWith(peer), LABEL, operand);
    }

    /**
     * Names operand k's stream with peer without revealing it: SHA-256 of its (key, initial counter), as {@link
     * BatchStreams#streamName}. For tests and traces; keep it out of logs all the same.
     */
    public byte[] streamName(int peer, long operand) {
        return BatchStreams.nameOf(masterWith(peer), LABEL, operand);
    }

    private byte[] masterWith(int peer) {
        if (wiped) throw new IllegalStateException("the session's weight mask streams are wiped (the session ended)");
        if (peer < 0 || peer > 2 || master[peer] == null) {
            throw new IllegalArgumentException("P" + self + " holds no weight mask stream with P" + peer);
        }
        return master[peer];
    }

    /** Forgets the masters (end of the session). */
    public void wipe() {
        wiped = true;
        for (byte[] m : master) if (m != null) Arrays.fill(m, (byte) 0);
    }
}
