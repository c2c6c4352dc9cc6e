package io.securenn.transport;

import io.securenn.SecureNnException;

/** A peer was lost (closed, silent, or reported lost by another party) or sent something it must not. */
public final class PeerFailure extends SecureNnException {
    private final int lostParty;

    public PeerFailure(Kind kind, int lostParty, String message) {
        super(kind, message);
        this.lostParty = lostParty;
    }

    /** The party that was lost or misbehaved (the one every surviving party names). */
    public int lostParty() {
        return lostParty;
    }

    public static PeerFailure lost(int party, String why) {
        return new PeerFailure(Kind.PEER_LOST, party, "lost peer P" + party + ": " + why);
    }

    public static PeerFailure misbehaved(int party, String why) {
        return new PeerFailure(Kind.PEER_MISBEHAVED, party, "peer P" + party + " misbehaved: " + why);
    }
}
