package io.securenn.transport;

import java.time.Duration;

/**
 * Timing and size limits of a transport, and how its links are secured.
 *
 * @param idleTimeout      a peer silent for longer than this (no frame, no heartbeat) is declared lost
 * @param connectTimeout   how long connection set-up keeps retrying/waiting for the peers to appear
 * @param maxFrameBytes    the largest payload accepted in one frame; a longer frame is a protocol violation
 * @param tls              the TLS implementation ({@link TlsProvider#AUTO}: the system property, else the fastest
 *                         that loads)
 * @param insecurePlainTcp the explicit consent that {@link TlsProvider#NONE} needs: without it plain TCP is refused
 * @param threadedIo       the links' earlier thread structure: every frame goes through the link's writer thread
 *                         and a reader thread per link delivers to the waiting thread (two hand-offs per message);
 *                         false (the default): small frames are written and all frames read by the party's own
 *                         thread (docs/TRANSPORT.md, "Threads"). For comparisons (tests, benchmarks).
 */
public record TransportOptions(Duration idleTimeout, Duration connectTimeout, int maxFrameBytes, TlsProvider tls,
                               boolean insecurePlainTcp, boolean threadedIo) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public TransportOptions {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idle timeout must be > 0");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be > 0");
        }
        if (maxFrameBytes <= 0) throw new IllegalArgumentException("frame limit must be > 0");
        if (tls == null) throw new IllegalArgumentException("TLS provider must be given (AUTO for the default)");
    }

    public TransportOptions(Duration idleTimeout, Duration connectTimeout, int maxFrameBytes) {
        this(idleTimeout, connectTimeout, maxFrameBytes, TlsProvider.AUTO, false, false);
    }

    public TransportOptions(Duration idleTimeout, Duration connectTimeout, int maxFrameBytes, TlsProvider tls,
                            boolean insecurePlainTcp) {
        this(idleTimeout, connectTimeout, maxFrameBytes, tls, insecurePlainTcp, false);
    }

    /** The links' earlier thread structure (reader and writer threads for every frame), for comparisons. */
    public TransportOptions withThreadedIo(boolean threaded) {
        return new TransportOptions(idleTimeout, connectTimeout, maxFrameBytes, tls, insecurePlainTcp, threaded);
    }

    public static TransportOptions defaults() {
        return new TransportOptions(FramedTransport.DEFAULT_IDLE_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                FramedTransport.DEFAULT_MAX_FRAME);
    }

    public TransportOptions withIdleTimeout(Duration d) {
        return new TransportOptions(d, connectTimeout, maxFrameBytes, tls, insecurePlainTcp, threadedIo);
    }

    public TransportOptions withConnectTimeout(Duration d) {
        return new TransportOptions(idleTimeout, d, maxFrameBytes, tls, insecurePlainTcp, threadedIo);
    }

    public TransportOptions withTls(TlsProvider p) {
        return new TransportOptions(idleTimeout, connectTimeout, maxFrameBytes, p, insecurePlainTcp, threadedIo);
    }

    /** Consents to {@link TlsProvider#NONE} (benchmarks only: the links are neither encrypted nor authenticated). */
    public TransportOptions withInsecurePlainTcp(boolean allowed) {
        return new TransportOptions(idleTimeout, connectTimeout, maxFrameBytes, tls, allowed, threadedIo);
    }

    /** How long a closing link may spend flushing what is queued before it drops the connection. */
    public Duration drainTimeout() {
        Duration five = Duration.ofSeconds(5);
        return idleTimeout.compareTo(five) < 0 ? idleTimeout : five;
    }
}
