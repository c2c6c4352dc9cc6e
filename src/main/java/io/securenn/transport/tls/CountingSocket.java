package io.securenn.transport.tls;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain TCP socket that counts the bytes crossing it. TLS is layered on top of it, so the counts are the true
 * wire bytes: TLS records, handshake and framing included.
 */
final class CountingSocket extends Socket {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private OutputStream out;
    private InputStream in;

    long bytesSent() {
        return sent.get();
    }

    long bytesReceived() {
        return received.get();
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            OutputStream raw = super.getOutputStream();
            out = new FilterOutputStream(raw) {
                @Override
                public void write(int b) throws IOException {
                    raw.write(b);
                    sent.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    raw.write(b, off, len);
                    sent.addAndGet(len);
                }
            };
        }
        return out;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            InputStream raw = super.getInputStream();
            in = new FilterInputStream(raw) {
                @Override
                public int read() throws IOException {
                    int b = raw.read();
                    if (b >= 0) received.incrementAndGet();
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = raw.read(b, off, len);
                    if (n > 0) received.addAndGet(n);
                    return n;
                }
            };
        }
        return in;
    }

    /** A listener whose accepted connections are {@link CountingSocket}s. */
    static final class Server extends ServerSocket {
        Server() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            CountingSocket s = new CountingSocket();
            implAccept(s);
            return s;
        }
    }
}
