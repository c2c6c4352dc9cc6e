package io.securenn.transport;

import java.time.Duration;

/**
 * Timing and size limits of a transport.
 *
 * @param idleTimeout    a peer silent for longer than this (no frame, no heartbeat) is declared lost
 * @param connectTimeout how long connection set-up keeps retrying/waiting for the peers to appear
 * @param maxFrameBytes  the largest payload accepted in one frame; a longer frame is a protocol violation
 */
public record TransportOptions(Duration idleTimeout, Duration connectTimeout, int maxFrameBytes) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public TransportOptions {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idle timeout must be > 0");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be > 0");
        }
        if (maxFrameBytes <= 0) throw new IllegalArgumentException("frame limit must be > 0");
    }

    public static TransportOptions defaults() {
        return new TransportOptions(FramedTransport.DEFAULT_IDLE_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                FramedTransport.DEFAULT_MAX_FRAME);
    }

    public TransportOptions withIdleTimeout(Duration d) {
        return new TransportOptions(d, connectTimeout, maxFrameBytes);
    }

    public TransportOptions withConnectTimeout(Duration d) {
        return new TransportOptions(idleTimeout, d, maxFrameBytes);
    }

    /** How long a closing link may spend flushing what is queued before it drops the connection. */
    public Duration drainTimeout() {
        Duration five = Duration.ofSeconds(5);
        return idleTimeout.compareTo(five) < 0 ? idleTimeout : five;
    }
}
