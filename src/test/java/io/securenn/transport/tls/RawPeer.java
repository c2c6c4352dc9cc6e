package io.securenn.transport.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;

/** A hand-driven TLS client for tests: presents any identity, claims any party id, then writes raw bytes. */
final class RawPeer implements AutoCloseable {
    final SSLSocket ssl;
    final DataOutputStream out;
    final DataInputStream in;

    private RawPeer(SSLSocket ssl) throws IOException {
        this.ssl = ssl;
        this.out = new DataOutputStream(ssl.getOutputStream());
        this.in = new DataInputStream(ssl.getInputStream());
    }

    /** TLS handshake as `identity`, trusting `serverCert` as party `target`, then the hello claiming `claimed`. */
    static RawPeer connect(int port, TlsIdentity identity, X509Certificate serverCert, int target, int claimed)
            throws Exception {
        SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(new KeyManager[] {new OwnKeyManager(identity)},
                new TrustManager[] {new PinnedTrustManager(Map.of(target, serverCert))}, new SecureRandom());
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLSocket ssl = (SSLSocket) c.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
        ssl.setSoTimeout(10_000);
        ssl.startHandshake();
        RawPeer p = new RawPeer(ssl);
        byte[] greeting = new byte[5];
        p.in.readFully(greeting); // the acceptor greets once it has accepted our certificate
        p.out.write(new byte[] {'S', 'N', 'N', '1', (byte) claimed, (byte) target});
        p.out.flush();
        return p;
    }

    /** The acceptor's status byte for our claim (0 = accepted). */
    int status() throws IOException {
        return in.readUnsignedByte();
    }

    void frame(int type, int seq, int depth, int declaredLength, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(seq);
        out.writeInt(depth);
        out.writeInt(declaredLength);
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        ssl.close();
    }
}
