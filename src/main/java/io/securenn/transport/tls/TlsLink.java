package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.transport.Frame;
import io.securenn.transport.FrameReader;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.Link;
import io.securenn.transport.PeerFailure;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Link} over an authenticated TLS connection (a {@link Wire}; plain TCP in benchmarks). A writer thread
 * drains a queue, so {@link #write} never waits for the peer to read (two parties that send each other big messages at the same time would otherwise
 * deadlock with full socket buffers). A reader thread decodes frames and hands them to the transport; a frame
 * longer than the limit or of an unknown type ends the link as misbehaviour, end of stream or an I/O error as a
 * lost link. Decoding is {@link FrameReader}'s.
 */
final class TlsLink implements Link {
    /** Queued by {@link #close()}: the writer flushes, sends TLS close_notify and ends. */
    private static final Frame CLOSE = new Frame((byte) 0, 0, 0, new byte[0]);

    private final int self, peer;
    private final Wire wire;
    private final FramedTransport transport;
    private final int maxFrame;
    private final Duration drain;
    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
    private final Thread writer, reader;
    private volatile boolean closing;
    private volatile boolean broken;

    TlsLink(int self, int peer, Wire wire, FramedTransport transport, Duration drain) {
        this.self = self;
        this.peer = peer;
        this.wire = wire;
        this.transport = transport;
        this.maxFrame = transport.maxFrameBytes();
        this.drain = drain;
        this.writer = new Thread(this::writeLoop, "securenn-P" + self + "-to-P" + peer);
        this.reader = new Thread(this::readLoop, "securenn-P" + self + "-from-P" + peer);
        writer.setDaemon(true);
        reader.setDaemon(true);
    }

    void start() {
        writer.start();
        reader.start();
    }

    @Override
    public void write(Frame frame) {
        if (closing) throw new IllegalStateException("link P" + self + "-P" + peer + " is closed");
        if (broken) return; // the failure is already reported; nothing can reach the peer any more
        queue.add(frame);
    }

    private void writeLoop() {
        try {
            OutputStream out = wire.out(); // buffered: a flush puts it on the wire
            byte[] header = new byte[Frame.HEADER_BYTES];
            while (true) {
                Frame f = queue.take();
                if (f == CLOSE) {
                    try {
                        wire.finishOutput();
                    } catch (IOException ignored) {
                        // the connection is dropped right after anyway
                    }
                    return;
                }
                FrameReader.encodeHeader(f, header);
                out.write(header);
                out.write(f.payload());
                // coalesce what is already queued into one flush; never hold a frame back waiting for more
                if (queue.isEmpty()) out.flush();
            }
        } catch (IOException e) {
            broken = true;
            if (!closing) transport.linkEnded(peer, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        try {
            FrameReader frames = new FrameReader(wire.in(), peer, maxFrame, () -> transport.heard(peer));
            while (true) {
                Frame f = frames.next();
                if (f == null) {
                    if (!closing) transport.linkEnded(peer, "connection closed");
                    return;
                }
                transport.deliver(peer, f);
            }
        } catch (PeerFailure f) {
            if (f.kind() != SecureNnException.Kind.PEER_MISBEHAVED) broken = true;
            if (!closing) transport.linkFailed(f);
        } catch (IOException e) {
            broken = true;
            if (!closing) transport.linkEnded(peer, describe(e));
        }
    }

    /** A short, secret-free reason for a broken connection. */
    static String describe(IOException e) {
        if (e instanceof EOFException || e instanceof ClosedChannelException) return "connection closed";
        if (e instanceof SocketTimeoutException) return "timed out";
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof SSLException) return "TLS error: " + tlsReason(m);
        // a socket channel reports a broken pipe or a reset as a plain IOException
        if (e instanceof SocketException || e.getClass() == IOException.class) {
            return m.isEmpty() ? "connection broken" : m.toLowerCase(java.util.Locale.ROOT);
        }
        return "I/O error: " + m;
    }

    /**
     * BoringSSL's errors read "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE": keep the
     * reason, in the JDK's words where it is an alert ("received fatal alert: bad_certificate").
     */
    static String tlsReason(String m) {
        // netty wraps BoringSSL's error in an exception whose message starts with the inner exception's class
        Matcher wrapped = WRAPPED.matcher(m);
        if (wrapped.matches()) m = wrapped.group(1);
        Matcher r = BORINGSSL_ERROR.matcher(m);
        if (!r.matches()) return m;
        String reason = r.group(1).toLowerCase(java.util.Locale.ROOT);
        Matcher alert = ALERT.matcher(reason);
        return alert.matches() ? "received fatal alert: " + alert.group(1) : reason;
    }

    private static final Pattern WRAPPED = Pattern.compile("[\\w.$]+(?:Exception|Error): (.*)");
    private static final Pattern BORINGSSL_ERROR = Pattern.compile("error:[0-9a-fA-F]+:[^:]*:[^:]*:([A-Za-z0-9_]+)");
    private static final Pattern ALERT = Pattern.compile("(?:sslv3|tlsv1)_alert_(.+)");

    /**
     * Flushes what is queued (bounded by the drain timeout, so a peer that stopped reading cannot hold us), then
     * drops the connection. The channel is closed directly, which also ends a write blocked on a peer that no
     * longer reads.
     */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        queue.add(CLOSE);
        if (Thread.currentThread() != writer) {
            try {
                writer.join(Math.max(1, drain.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        wire.close();
    }

    /** Blocks until both threads have ended (tests use it to show nothing is left running). */
    void awaitThreads(Duration d) throws InterruptedException {
        writer.join(d.toMillis());
        reader.join(d.toMillis());
    }

    boolean threadsAlive() {
        return writer.isAlive() || reader.isAlive();
    }

    @Override
    public long wireBytes() {
        return wire.bytesSent();
    }

    long wireBytesReceived() {
        return wire.bytesReceived();
    }
}
