package io.securenn.transport;

/**
 * One direction-agnostic connection to one peer. {@link #write} must not wait for the peer to read
 * (both parties of an exchange send before they receive); inbound frames are handed to
 * {@link FramedTransport#deliver} by the link's own reader.
 */
public interface Link {
    void write(Frame frame);

    /** Closes the connection; the peer sees the link end. */
    void close();

    /** Bytes this link has put on the wire, headers (and TLS records, where known) included. */
    long wireBytes();
}
