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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Link} over an authenticated TLS connection (a {@link Wire}; plain TCP in benchmarks). {@link #write}
 * never waits for the peer to read (two parties that send each other big messages at the same time would otherwise
 * deadlock with full socket buffers): a frame of up to {@link #DIRECT_FRAME_MAX} bytes is written by the sending
 * thread itself when nothing is queued before it, as far as the socket takes it without waiting (the socket is
 * non-blocking; {@link Wire#offer}); the rest, larger frames and frames behind queued ones go to the writer
 * thread's queue.
 *
 * <p>Reading: with a poller ({@link LinkPoller}, the default) the thread that holds the transport's read role
 * calls {@link #readAvailable} when bytes have arrived, which decodes every frame that has begun to arrive and
 * hands it to the transport; without one ({@code TransportOptions.threadedIo}) a reader thread does the same in a
 * loop. A frame longer than the limit or of an unknown type ends the link as misbehaviour, end of stream or an
 * I/O error as a lost link. Decoding is {@link FrameReader}'s.
 */
final class TlsLink implements Link {
    /**
     * The largest payload the sending thread writes itself. A larger frame goes to the writer thread whole: its
     * encryption then overlaps the sending thread's next steps (on a machine with a core to spare), and one wake-up
     * is small beside the time the frame takes on the wire.
     */
    static final int DIRECT_FRAME_MAX = 1 << 16;

    /** What the writer thread writes: a frame from its byte {@code from} on (header first, then payload). */
    private record Out(Frame frame, int from) {}

    /** Queued by {@link #close()}: the writer flushes, sends TLS close_notify and ends. */
    private static final Out CLOSE = new Out(new Frame((byte) 0, 0, 0, new byte[0]), 0);
    /** Queued after a direct write the socket did not take whole: the writer sends the rest. */
    private static final Out NUDGE = new Out(new Frame((byte) 0, 0, 0, new byte[0]), 0);

    private final int self, peer;
    private final Wire wire;
    private final FramedTransport transport;
    private final int maxFrame;
    private final Duration drain;
    private final LinkedBlockingQueue<Out> queue = new LinkedBlockingQueue<>();
    /** Frames queued and not yet written by the writer (a direct write must not overtake them). */
    private final AtomicInteger queued = new AtomicInteger();
    /** Held while the wire's outbound side is used (the writer thread, or a sending thread writing directly). */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final byte[] directHeader = new byte[Frame.HEADER_BYTES];
    private final boolean polled;
    private final Thread writer, reader;
    private FrameReader frames;
    private volatile boolean closing;
    private volatile boolean broken;
    private volatile boolean readEnded;

    /** @param polled read by the transport's poller (else by a reader thread of this link) */
    TlsLink(int self, int peer, Wire wire, FramedTransport transport, Duration drain, boolean polled) {
        this.self = self;
        this.peer = peer;
        this.wire = wire;
        this.transport = transport;
        this.maxFrame = transport.maxFrameBytes();
        this.drain = drain;
        this.polled = polled;
        this.writer = new Thread(this::writeLoop, "securenn-P" + self + "-to-P" + peer);
        writer.setDaemon(true);
        this.reader = polled ? null : new Thread(this::readLoop, "securenn-P" + self + "-from-P" + peer);
        if (reader != null) reader.setDaemon(true);
    }

    /** Switches the channel to non-blocking mode (before {@link #start} and before a poller registers it). */
    void prepare() throws IOException {
        wire.nonBlocking(() -> !closing && transport.stillExpecting(peer));
        frames = new FrameReader(wire.in(), peer, maxFrame, () -> transport.heard(peer));
    }

    void start() {
        writer.start();
        if (reader != null) reader.start();
    }

    Wire wire() {
        return wire;
    }

    @Override
    public void write(Frame frame) {
        if (closing) throw new IllegalStateException("link P" + self + "-P" + peer + " is closed");
        if (broken) return; // the failure is already reported; nothing can reach the peer any more
        boolean data = frame.type() == Frame.DATA;
        if (polled && frame.payload().length <= DIRECT_FRAME_MAX && queued.get() == 0 && writeLock.tryLock()) {
            try {
                if (queued.get() == 0 && !wire.hasPendingOutput() && !closing) {
                    FrameReader.encodeHeader(frame, directHeader);
                    int taken = wire.offer(directHeader, frame.payload());
                    boolean whole = taken == Frame.HEADER_BYTES + frame.payload().length;
                    // the socket is full: the writer sends the rest when it can (later frames queue behind it)
                    if (!whole) enqueue(new Out(frame, taken));
                    else if (wire.hasPendingOutput()) enqueue(NUDGE);
                    if (data) {
                        if (whole && !wire.hasPendingOutput()) transport.stats().onDirectWrite();
                        else transport.stats().onQueuedWrite();
                    }
                    return;
                }
            } catch (IOException e) {
                broken = true;
                if (!closing) transport.linkEnded(peer, describe(e));
                return;
            } finally {
                writeLock.unlock();
            }
        }
        if (data) transport.stats().onQueuedWrite();
        enqueue(new Out(frame, 0));
    }

    private void enqueue(Out o) {
        queued.incrementAndGet();
        queue.add(o);
    }

    private void writeLoop() {
        try {
            OutputStream out = wire.out(); // buffered: a flush puts it on the wire
            byte[] header = new byte[Frame.HEADER_BYTES];
            while (true) {
                Out o = queue.take();
                writeLock.lock();
                try {
                    if (o == CLOSE) {
                        try {
                            wire.finishOutput();
                        } catch (IOException ignored) {
                            // the connection is dropped right after anyway
                        }
                        return;
                    }
                    if (o != NUDGE) {
                        Frame f = o.frame();
                        FrameReader.encodeHeader(f, header);
                        if (o.from() < header.length) out.write(header, o.from(), header.length - o.from());
                        int p = Math.max(0, o.from() - header.length);
                        out.write(f.payload(), p, f.payload().length - p);
                    }
                    // coalesce what is already queued into one flush; never hold a frame back waiting for more
                    if (queue.isEmpty()) out.flush();
                } finally {
                    queued.decrementAndGet();
                    writeLock.unlock();
                }
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

    /**
     * The poller's read (by the holder of the transport's read role): every frame that has begun to arrive is read
     * whole and handed to the transport; returns when no more bytes are there. False once the link's inbound side
     * has ended (end of stream, failure): the poller stops watching it.
     */
    boolean readAvailable() {
        if (readEnded) return false;
        try {
            while (wire.pump()) {
                Frame f = frames.next();
                if (f == null) {
                    readEnded = true;
                    if (!closing) transport.linkEnded(peer, "connection closed");
                    return false;
                }
                transport.deliver(peer, f);
            }
            return true;
        } catch (PeerFailure f) {
            readEnded = true;
            if (f.kind() != SecureNnException.Kind.PEER_MISBEHAVED) broken = true;
            if (!closing) transport.linkFailed(f);
        } catch (IOException e) {
            readEnded = true;
            broken = true;
            if (!closing) transport.linkEnded(peer, describe(e));
        }
        return false;
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
        enqueue(CLOSE);
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
        if (reader != null) reader.join(d.toMillis());
    }

    boolean threadsAlive() {
        return writer.isAlive() || reader != null && reader.isAlive();
    }

    @Override
    public long wireBytes() {
        return wire.bytesSent();
    }

    long wireBytesReceived() {
        return wire.bytesReceived();
    }
}
