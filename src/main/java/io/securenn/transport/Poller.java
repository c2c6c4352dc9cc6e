package io.securenn.transport;

/**
 * Reads the links of one transport on the thread that holds the transport's read role (the party's own thread
 * while it waits in {@link FramedTransport#receive}, else the transport's drain thread): waits until a link has
 * bytes, then reads every frame that has arrived and hands each to the transport ({@link FramedTransport#deliver},
 * {@link FramedTransport#linkEnded}, {@link FramedTransport#linkFailed}). Links with a poller have no reader
 * threads: a frame is read by the thread that waits for it, without a wake-up in between.
 */
public interface Poller {
    /** Waits at most nanos (at least about a millisecond) for bytes on any link, and reads what has arrived. */
    void poll(long nanos);

    /** Makes a {@link #poll} under way (or the next one) return at once; any thread. */
    void wakeup();

    /** Ends polling; a poll under way returns. */
    void close();
}
