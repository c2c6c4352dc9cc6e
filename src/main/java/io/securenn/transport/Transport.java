package io.securenn.transport;

/**
 * Framed byte messages to and from named peers (party ids 0, 1, 2). Protocol code sees only this interface;
 * whether the bytes go through memory or a TLS socket is the caller's choice.
 */
public interface Transport extends AutoCloseable {
    int self();

    /**
     * Queues one message to peer; returns without waiting for the peer to read it. The transport owns the
     * array from then on (a socket link writes it later, from its own thread): the caller must not modify it.
     */
    void send(int peer, byte[] payload);

    /** The next message from peer, in order; throws {@link PeerFailure} if the peer is lost or misbehaves. */
    byte[] receive(int peer);

    CommStats stats();

    /** Ends the session in order: peers are told this party is done. */
    @Override
    void close();

    /** Stops at once after a failure, telling the other peers which party was lost. */
    void abort(PeerFailure failure);
}
