package io.securenn.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection to a peer as the set-up and the link use it: blocking plaintext streams over a blocking
 * {@link SocketChannel}, counting the bytes that really cross the socket (TLS records, handshake and framing
 * included). {@link TlsWire} encrypts through an SSLEngine; {@link PlainWire} does not (benchmarks only).
 *
 * <p>The streams are single-reader, single-writer: set-up uses both from one thread, then the link's reader
 * thread owns {@link #in()} and its writer thread {@link #out()}. {@link #out()} buffers: {@code flush()} puts
 * everything written so far on the wire. {@link #close()} may come from any thread and ends blocked reads and
 * writes at once.
 *
 * <p>Blocking channel reads have no time-out of their own, so set-up steps run under a deadline
 * ({@link #arm}/{@link #disarm}): a watchdog closes the channel when it passes, and the blocked step then fails
 * with a {@link SocketTimeoutException}.
 *
 * <p>After set-up a link switches the channel to non-blocking mode ({@link #nonBlocking}): the link's poller then
 * learns from a selector when bytes have arrived and takes them with {@link #pump()} without waiting, the sending
 * thread puts a frame on the wire with {@link #offer} as far as the socket takes it at once (the rest is left to
 * the link's writer thread), and the blocking-style reads and writes (the rest of a frame that has begun to
 * arrive; the writer thread) wait on a selector of their own instead of in the system call.
 */
abstract class Wire implements AutoCloseable {
    /** Size of the socket-side buffers: several TLS records per system call. */
    static final int CHUNK = 1 << 16;
    /**
     * The piece of a frame the sending thread stages and encrypts at once ({@link #offer}): at most three TLS
     * records, which fit the wire's buffer whole, so that offer never waits for the socket.
     */
    static final int DIRECT_MAX = 1 << 15;
    /** The longest a blocking-style read or write waits before it looks again whether to go on. */
    private static final long WAIT_SLICE_MS = 50;
    private static final int IDLE = 0, ARMED = 1, FIRED = 2;

    final SocketChannel channel;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger deadline = new AtomicInteger(IDLE);
    private volatile Thread watchdog;
    /** The first bytes the peer sent, kept to recognise a peer speaking the other protocol (TLS vs plain). */
    private final byte[] first = new byte[4];
    private int firstLength;
    // non-blocking mode (after set-up): selectors on which blocking-style reads and writes wait
    private volatile Selector readWait, writeWait;
    private volatile java.util.function.BooleanSupplier keepReading = () -> true;

    Wire(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Switches the channel to non-blocking mode (set-up is over). A blocking-style read that waits for the rest of
     * a frame gives up with a time-out once keepReading says so (the session failed, or the peer fell silent).
     */
    final void nonBlocking(java.util.function.BooleanSupplier keepReading) throws IOException {
        this.keepReading = keepReading;
        channel.configureBlocking(false);
        readWait = Selector.open();
        writeWait = Selector.open();
        channel.register(readWait, SelectionKey.OP_READ);
        channel.register(writeWait, SelectionKey.OP_WRITE);
    }

    /** Reads what the socket has without waiting (non-blocking mode): bytes read, 0 if none, -1 at the end. */
    final int readNow(ByteBuffer buf) throws IOException {
        return readSome(buf, false);
    }

    /** Writes what the socket takes without waiting (non-blocking mode); true if all of buf went. */
    final boolean writeNow(ByteBuffer buf) throws IOException {
        try {
            sent.addAndGet(channel.write(buf));
        } catch (ClosedChannelException e) {
            throw timedOutOr(e);
        }
        return !buf.hasRemaining();
    }

    /**
     * Takes what has arrived without waiting (decrypting whole records); true if a read of {@link #in()} would
     * now return at least one byte or the end of the stream without waiting for the socket.
     */
    abstract boolean pump() throws IOException;

    /**
     * Stages, encrypts and sends as much of one frame (header, then payload) as the socket takes now, without
     * waiting: in pieces of at most {@link #DIRECT_MAX} bytes, each encrypted in one go (at most three TLS records,
     * which fit the wire's buffer) and written; it stops after the first piece the socket does not take whole.
     * Call only when {@link #hasPendingOutput()} is false. Returns how many bytes of the frame were taken; what
     * of them is not on the wire yet stays in the wire's buffers ({@link #hasPendingOutput()}), and the next
     * {@code out().flush()} (the link's writer) sends it before anything else.
     */
    final int offer(byte[] header, byte[] payload) throws IOException {
        if (hasPendingOutput()) throw new IllegalStateException("offer needs empty buffers");
        int total = header.length + payload.length, done = 0;
        while (done < total) {
            int n = Math.min(DIRECT_MAX, total - done), h = 0;
            if (done < header.length) {
                h = Math.min(n, header.length - done);
                stage(header, done, h);
            }
            if (n > h) stage(payload, done + h - header.length, n - h);
            done += n;
            if (!sendStaged()) break;
        }
        return done;
    }

    /** Copies bytes into the outbound staging buffer (which has room for {@link #DIRECT_MAX} when empty). */
    abstract void stage(byte[] b, int off, int len);

    /** Encrypts what is staged and writes it without waiting; true if the socket took all of it. */
    abstract boolean sendStaged() throws IOException;

    /** True if bytes written earlier are still staged or encrypted and not yet on the wire. */
    abstract boolean hasPendingOutput();

    private void await(Selector s, boolean reading) throws IOException {
        while (true) {
            if (!channel.isOpen()) throw timedOutOr(new ClosedChannelException());
            int n;
            try {
                n = s.select(WAIT_SLICE_MS);
                s.selectedKeys().clear();
            } catch (java.nio.channels.ClosedSelectorException e) {
                throw timedOutOr(new ClosedChannelException());
            }
            if (n > 0) return;
            if (reading && !keepReading.getAsBoolean()) throw new SocketTimeoutException("timed out");
        }
    }

    /** Plaintext from the peer; -1 at the end of the stream. */
    abstract InputStream in();

    /** Plaintext to the peer, buffered until flush(). */
    abstract OutputStream out();

    /** Flushes, ends the stream cleanly (TLS close_notify, then TCP FIN); the peer reads end of stream. */
    abstract void finishOutput() throws IOException;

    /** The certificate the peer authenticated with, or null on a plain connection. */
    abstract X509Certificate peerCertificate() throws IOException;

    /** What secures this connection, for the logs: "TLS 1.3 (BoringSSL, TLS_AES_128_GCM_SHA256)" or "plain TCP". */
    abstract String describeSecurity();

    final long bytesSent() {
        return sent.get();
    }

    final long bytesReceived() {
        return received.get();
    }

    /** True if the peer's first bytes were {@code prefix}: tells what a peer speaking another protocol is. */
    final synchronized boolean peerStartedWith(byte[] prefix) {
        return firstLength >= prefix.length && Arrays.equals(first, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The first byte the peer sent, or -1 if none came. */
    final synchronized int peerFirstByte() {
        return firstLength == 0 ? -1 : first[0] & 0xff;
    }

    /** Writes all of buf (in read mode) to the socket. */
    final void writeFully(ByteBuffer buf) throws IOException {
        try {
            while (buf.hasRemaining()) {
                int n = channel.write(buf);
                sent.addAndGet(n);
                if (n == 0 && writeWait != null) await(writeWait, false);
            }
        } catch (ClosedChannelException e) {
            throw timedOutOr(e);
        }
    }

    /** Reads what the socket has (at least one byte) into buf (in write mode); -1 at the end of the stream. */
    final int readSome(ByteBuffer buf) throws IOException {
        return readSome(buf, true);
    }

    private int readSome(ByteBuffer buf, boolean wait) throws IOException {
        int at = buf.position();
        int n;
        try {
            n = channel.read(buf);
            while (n == 0 && wait && readWait != null && buf.hasRemaining()) {
                await(readWait, true);
                n = channel.read(buf);
            }
        } catch (ClosedChannelException e) {
            throw timedOutOr(e);
        }
        if (n > 0) {
            received.addAndGet(n);
            if (firstLength < first.length) keepFirst(buf, at, n);
        }
        return n;
    }

    private synchronized void keepFirst(ByteBuffer buf, int at, int n) {
        for (int i = 0; i < n && firstLength < first.length; i++) first[firstLength++] = buf.get(at + i);
    }

    /** Starts the deadline of a set-up step: after millis the channel is closed and the step times out. */
    final void arm(long millis) {
        if (!deadline.compareAndSet(IDLE, ARMED)) throw new IllegalStateException("deadline already armed");
        watchdog = Thread.ofVirtual().name("securenn-deadline").start(() -> {
            try {
                Thread.sleep(Math.max(1, millis));
            } catch (InterruptedException e) {
                return; // disarmed
            }
            if (deadline.compareAndSet(ARMED, FIRED)) close();
        });
    }

    /** Ends the deadline; throws if it had already passed (the channel is closed then). */
    final void disarm() throws SocketTimeoutException {
        if (!deadline.compareAndSet(ARMED, IDLE)) {
            if (deadline.get() == FIRED) throw new SocketTimeoutException("timed out");
            return;
        }
        Thread w = watchdog;
        if (w != null) w.interrupt();
    }

    /** A closed channel is a time-out if the watchdog closed it. */
    private IOException timedOutOr(ClosedChannelException e) {
        return deadline.get() == FIRED ? new SocketTimeoutException("timed out") : e;
    }

    /** Drops the connection at once (blocked reads and writes end); any thread, any number of times. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
        // a closed channel still registered with a selector keeps its socket until the selector lets it go
        for (Selector s : new Selector[] {readWait, writeWait}) {
            if (s == null) continue;
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        Thread w = watchdog;
        if (w != null && w != Thread.currentThread()) w.interrupt();
    }

    static ByteBuffer allocate(int capacity, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** A buffer with the content of b (in write mode) and at least min more bytes of room. */
    static ByteBuffer grow(ByteBuffer b, int min) {
        ByteBuffer g = allocate(Math.max(b.capacity() * 2, b.position() + min), b.isDirect());
        b.flip();
        g.put(b);
        return g;
    }

    /** An I/O step of a wire (refill, encrypt, send). */
    @FunctionalInterface
    interface IoStep {
        void run() throws IOException;
    }

    /** Refills the buffer a {@link BufferIn} reads; false at the end of the stream. */
    @FunctionalInterface
    interface Refill {
        boolean fill() throws IOException;
    }

    /**
     * The application's input stream of a wire: reads are served from the buffer (in read mode) that {@code refill}
     * tops up; the buffer is looked up on each call, since a wire may replace it with a larger one.
     */
    static final class BufferIn extends InputStream {
        private final java.util.function.Supplier<ByteBuffer> buffer;
        private final Refill refill;

        BufferIn(java.util.function.Supplier<ByteBuffer> buffer, Refill refill) {
            this.buffer = buffer;
            this.refill = refill;
        }

        @Override
        public int read() throws IOException {
            return refill.fill() ? buffer.get().get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            if (!refill.fill()) return -1;
            ByteBuffer in = buffer.get();
            int n = Math.min(len, in.remaining());
            in.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return buffer.get().remaining();
        }
    }

    /**
     * The application's output stream of a wire: writes are staged in the buffer (in write mode); {@code whenFull}
     * makes room, {@code flush} sends what is staged.
     */
    static final class BufferOut extends OutputStream {
        private final ByteBuffer buffer;
        private final IoStep whenFull, flush;

        BufferOut(ByteBuffer buffer, IoStep whenFull, IoStep flush) {
            this.buffer = buffer;
            this.whenFull = whenFull;
            this.flush = flush;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) whenFull.run();
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (!buffer.hasRemaining()) whenFull.run();
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            flush.run();
        }
    }
}
