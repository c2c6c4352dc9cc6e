package io.securenn.transport.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * A {@link Wire} encrypted by an {@link SSLEngine} (the JDK's, or BoringSSL's through netty-tcnative), driven
 * here over the blocking channel: a handshake loop, wrap on write, unwrap on read. Native engines get direct
 * buffers (no copy between the Java heap and native code), the JDK's heap buffers (its ciphers work on arrays).
 *
 * <p>Outbound, written plaintext is staged in {@code appOut} and encrypted a record at a time into
 * {@code netOut}, which goes to the socket whenever it cannot take another record, and at flush. Inbound,
 * ciphertext read from the socket into {@code netIn} is decrypted into {@code appIn}, from which reads are served.
 * Between calls {@code netIn}, {@code appOut} and {@code netOut} are in write mode, {@code appIn} in read mode.
 */
final class TlsWire extends Wire {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final String provider;
    private final int packetSize;
    // outbound: the set-up thread, then the link's writer
    private final ByteBuffer appOut;
    private ByteBuffer netOut;
    // inbound: the set-up thread, then the link's reader
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private boolean inboundDone;
    /** Ask for a key update after this many plaintext bytes sent (0: never). */
    private final long rekeyAfter;
    private long sentSinceRekey;

    private final InputStream in;
    private final OutputStream out;

    /**
     * @param provider   the provider's name, for the logs
     * @param rekeyAfter after how many plaintext bytes sent to ask for a key update (0: never)
     */
    TlsWire(SocketChannel channel, SSLEngine engine, boolean direct, String provider, long rekeyAfter) {
        super(channel);
        this.engine = engine;
        this.provider = provider;
        this.rekeyAfter = rekeyAfter;
        this.packetSize = engine.getSession().getPacketBufferSize();
        int appSize = engine.getSession().getApplicationBufferSize();
        this.appOut = allocate(CHUNK, direct);
        this.netOut = allocate(Math.max(CHUNK, packetSize) + packetSize, direct);
        this.netIn = allocate(Math.max(CHUNK, packetSize) + packetSize, direct);
        this.appIn = allocate(Math.max(CHUNK, appSize), direct).flip();
        this.in = new BufferIn(() -> appIn, this::fill);
        this.out = new BufferOut(appOut, this::encryptStaged, () -> {
            encryptStaged();
            drainNetOut();
        });
    }

    /**
     * Runs the TLS handshake to its end. On failure the alert the engine has for the peer (a refused certificate,
     * say) is still sent, so the peer learns why, and the engine's exception is thrown.
     */
    void handshake() throws IOException {
        try {
            engine.beginHandshake();
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            while (true) {
                switch (hs) {
                    case NEED_WRAP -> {
                        SSLEngineResult r = wrapOnce(NOTHING);
                        drainNetOut();
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLHandshakeException("the TLS connection was closed during the handshake");
                        }
                        hs = r.getHandshakeStatus();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult r = unwrapOnce();
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLHandshakeException("the peer closed the TLS connection during the handshake");
                        }
                        hs = r.getHandshakeStatus();
                        // read only when the engine still waits for the peer and made no progress with what it has:
                        // BoringSSL may take the client's last flight yet say NEED_UNWRAP, and finish (or want to
                        // send its session ticket) only on the next call
                        boolean stuck = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                                || r.bytesConsumed() == 0 && r.bytesProduced() == 0;
                        if (hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP && stuck) readMore("during the TLS handshake");
                    }
                    case NEED_TASK -> hs = runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        return;
                    }
                }
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** Best effort: puts whatever the engine still has to say (its alert, close_notify) on the wire. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                if (wrapOnce(NOTHING).bytesProduced() == 0) break;
            }
            drainNetOut();
        } catch (IOException | RuntimeException ignored) {
            // the connection is dropped anyway
        }
    }

    private SSLEngineResult.HandshakeStatus runTasks() {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) t.run();
        return engine.getHandshakeStatus();
    }

    /** One wrap of src into netOut, first making room for a whole record. */
    private SSLEngineResult wrapOnce(ByteBuffer src) throws IOException {
        while (true) {
            if (netOut.remaining() < packetSize) drainNetOut();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) return r;
            // the engine wants more room than a record: only if netOut is already empty must it grow
            if (netOut.position() == 0) netOut = grow(netOut, engine.getSession().getPacketBufferSize());
            else drainNetOut();
        }
    }

    /** One unwrap of the ciphertext held into appIn, growing appIn if the engine asks for more room. */
    private SSLEngineResult unwrapOnce() throws SSLException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
                appIn.flip();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) return r;
            ByteBuffer bigger = allocate(Math.max(appIn.capacity() * 2,
                    appIn.remaining() + engine.getSession().getApplicationBufferSize()), appIn.isDirect());
            bigger.put(appIn).flip();
            appIn = bigger;
        }
    }

    /** Reads more ciphertext (growing netIn if a record does not fit); end of stream is an EOFException. */
    private void readMore(String when) throws IOException {
        if (!netIn.hasRemaining()) netIn = grow(netIn, packetSize);
        if (readSome(netIn) < 0) throw new EOFException("connection closed " + when);
    }

    private void drainNetOut() throws IOException {
        netOut.flip();
        try {
            writeFully(netOut);
        } finally {
            netOut.compact();
        }
    }

    /** Encrypts everything staged in appOut into netOut (sending full chunks of netOut on the way). */
    private void encryptStaged() throws IOException {
        if (rekeyAfter > 0) {
            sentSinceRekey += appOut.position();
            if (sentSinceRekey >= rekeyAfter) {
                sentSinceRekey = 0;
                requestKeyUpdate();
            }
        }
        appOut.flip();
        try {
            while (appOut.hasRemaining()) {
                SSLEngineResult r = wrapOnce(appOut);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the TLS connection is closed");
            }
        } finally {
            appOut.compact();
        }
    }

    /**
     * Asks the peer for a TLS 1.3 key update (the writer's side: a post-handshake beginHandshake makes the engine
     * send KeyUpdate with update_requested, which also renews our own sending key); the peer answers with its own.
     */
    private void requestKeyUpdate() throws IOException {
        engine.beginHandshake();
        while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            if (wrapOnce(NOTHING).bytesProduced() == 0) break;
        }
    }

    /**
     * Decrypts until appIn has plaintext; false at the end of the stream (the peer's close_notify, or the TCP
     * stream ending: whether that cut a frame short is for the frame decoder to tell).
     */
    private boolean fill() throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundDone) return false;
            SSLEngineResult r = unwrapOnce();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
                continue;
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
            // a record without application data (a session ticket, a key update) was consumed: look again
            if (r.getStatus() == SSLEngineResult.Status.OK && (r.bytesConsumed() > 0 || r.bytesProduced() > 0)) continue;
            if (!netIn.hasRemaining()) netIn = grow(netIn, packetSize);
            if (readSome(netIn) < 0) inboundDone = true;
        }
        return true;
    }

    @Override
    boolean pump() throws IOException {
        for (boolean readSocket = true; ; readSocket = false) {
            if (appIn.hasRemaining() || inboundDone) return true;
            // decrypt the whole records already here (a record without application data is consumed and skipped)
            while (netIn.position() > 0) {
                SSLEngineResult r = unwrapOnce();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    inboundDone = true;
                    return true;
                }
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
                if (appIn.hasRemaining()) return true;
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0 && r.bytesProduced() == 0) break;
            }
            if (!readSocket) return false;
            if (!netIn.hasRemaining()) netIn = grow(netIn, packetSize);
            int n = readNow(netIn);
            if (n < 0) inboundDone = true;
            else if (n == 0) return false;
        }
    }

    @Override
    void stage(byte[] b, int off, int len) {
        appOut.put(b, off, len);
    }

    @Override
    boolean sendStaged() throws IOException {
        encryptStaged();   // at most three records: they fit netOut, which was empty, so nothing waits here
        netOut.flip();
        try {
            return writeNow(netOut);
        } finally {
            netOut.compact();
        }
    }

    @Override
    boolean hasPendingOutput() {
        return appOut.position() > 0 || netOut.position() > 0;
    }

    @Override
    InputStream in() {
        return in;
    }

    @Override
    OutputStream out() {
        return out;
    }

    @Override
    void finishOutput() throws IOException {
        out.flush();
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            if (wrapOnce(NOTHING).bytesProduced() == 0) break;
        }
        drainNetOut();
        channel.shutdownOutput();
    }

    @Override
    X509Certificate peerCertificate() throws IOException {
        Certificate[] chain = engine.getSession().getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate c)) {
            throw new SSLHandshakeException("the peer presented no X.509 certificate");
        }
        return c;
    }

    @Override
    String describeSecurity() {
        return engine.getSession().getProtocol() + " (" + provider + ", " + engine.getSession().getCipherSuite() + ")";
    }

    /** Also ends the engine, so a native one frees its memory now rather than when collected. */
    @Override
    public void close() {
        super.close();
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException ignored) {
            // "inbound closed before close_notify": expected when we drop the connection
        }
    }
}
