package io.securenn.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;

/**
 * A {@link Wire} without encryption or authentication: plain TCP, for benchmarks that show what TLS costs
 * ({@code --tls-provider none}, refused without {@code --insecure-plain-tcp}). Buffers like {@link TlsWire}, so the
 * two differ only by the cipher.
 */
final class PlainWire extends Wire {
    private final ByteBuffer outBuf = ByteBuffer.allocateDirect(CHUNK);
    private final ByteBuffer inBuf = ByteBuffer.allocateDirect(CHUNK).flip();
    private boolean ended;

    private final InputStream in = new BufferIn(() -> inBuf, this::fill);
    private final OutputStream out = new BufferOut(outBuf, this::send, this::send);

    PlainWire(SocketChannel channel) {
        super(channel);
    }

    private void send() throws IOException {
        outBuf.flip();
        try {
            writeFully(outBuf);
        } finally {
            outBuf.compact();
        }
    }

    private boolean fill() throws IOException {
        while (!inBuf.hasRemaining()) {
            if (ended) return false;
            inBuf.clear();
            try {
                if (readSome(inBuf) < 0) ended = true;
            } finally {
                inBuf.flip();
            }
        }
        return true;
    }

    @Override
    boolean pump() throws IOException {
        if (inBuf.hasRemaining() || ended) return true;
        inBuf.clear();
        int n;
        try {
            n = readNow(inBuf);
        } finally {
            inBuf.flip();
        }
        if (n < 0) ended = true;
        return n != 0;
    }

    @Override
    void stage(byte[] b, int off, int len) {
        outBuf.put(b, off, len);
    }

    @Override
    boolean sendStaged() throws IOException {
        outBuf.flip();
        try {
            return writeNow(outBuf);
        } finally {
            outBuf.compact();
        }
    }

    @Override
    boolean hasPendingOutput() {
        return outBuf.position() > 0;
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
        channel.shutdownOutput();
    }

    @Override
    X509Certificate peerCertificate() {
        return null;
    }

    @Override
    String describeSecurity() {
        return "plain TCP (INSECURE: no encryption, no authentication)";
    }
}
