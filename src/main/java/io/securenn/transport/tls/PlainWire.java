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

    private final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            return fill() ? inBuf.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, inBuf.remaining());
            inBuf.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return inBuf.remaining();
        }
    };

    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            if (!outBuf.hasRemaining()) flush();
            outBuf.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (!outBuf.hasRemaining()) flush();
                int n = Math.min(len, outBuf.remaining());
                outBuf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            outBuf.flip();
            try {
                writeFully(outBuf);
            } finally {
                outBuf.compact();
            }
        }
    };

    PlainWire(SocketChannel channel) {
        super(channel);
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
