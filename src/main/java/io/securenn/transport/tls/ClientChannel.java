package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.transport.TlsProvider;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

/**
 * A client's authenticated TLS connection to a serving party (P0 or P1), either end: at a server, what
 * {@link ServiceListener} hands over for a pinned client certificate; at a client, what {@link #dial} returns. The
 * messages on it are the serving layer's ({@code io.securenn.serve}); this class only carries bytes.
 */
public final class ClientChannel implements AutoCloseable {
    private final Wire wire;
    private final int client;
    private final String peer;

    ClientChannel(Wire wire, int client, String peer) {
        this.wire = wire;
        this.client = client;
        this.peer = peer;
    }

    /** At a server: the client's number K (its certificate is client.K's); at a client: −1. */
    public int client() {
        return client;
    }

    /** Where the other end is, for messages. */
    public String peer() {
        return peer;
    }

    public InputStream in() {
        return wire.in();
    }

    /** Buffered: flush() sends. */
    public OutputStream out() {
        return wire.out();
    }

    /** Bytes put on the wire (TLS records included). */
    public long wireBytes() {
        return wire.bytesSent();
    }

    /** Drops the connection at once (a blocked read or write ends); any thread, any number of times. */
    @Override
    public void close() {
        wire.close();
    }

    /**
     * Connects a client with the given identity to party {@code party} at host:port, which must present
     * {@code serverCert}. A refusal of the client's certificate arrives at the first read (TLS 1.3), so the serving
     * layer reads the server's hello first and reports it through {@link #refusedCertificate}.
     */
    public static ClientChannel dial(TlsProvider provider, TlsIdentity identity, int party, HostPort address,
                                     X509Certificate serverCert, Duration timeout) {
        TlsProvider p = TlsEngines.resolve(provider);
        if (p == TlsProvider.NONE) throw SecureNnException.usage("a query always travels over TLS: --tls-provider none is refused");
        String where = "P" + party + " at " + address;
        SocketChannel ch = null;
        Wire wire = null;
        try {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(new InetSocketAddress(address.host(), address.port()), (int) Math.max(1, timeout.toMillis()));
            wire = TlsEngines.of(p, identity, Map.of(party, serverCert), true).newWire(ch);
            wire.arm(Math.max(1, timeout.toMillis()));
            ((TlsWire) wire).handshake();
            wire.disarm();
            return new ClientChannel(wire, -1, address.toString());
        } catch (SSLException e) {
            if (wire != null) wire.close();
            else closeQuietly(ch);
            String m = TlsLink.describe(e);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof PinnedTrustManager.NotPinned || t instanceof PinnedTrustManager.NotValidNow) {
                    m = t.getMessage();
                }
            }
            throw new SecureNnException(SecureNnException.Kind.TLS_IDENTITY, where + ": " + m);
        } catch (IOException | RuntimeException e) {
            if (wire != null) wire.close();
            else closeQuietly(ch);
            if (e instanceof SecureNnException se) throw se;
            String m = e instanceof IOException io ? TlsLink.describe(io) : String.valueOf(e.getMessage());
            throw new SecureNnException(SecureNnException.Kind.PEER_LOST, "cannot reach " + where + ": " + m);
        }
    }

    /** True if the failure of a read on a dialled channel is the server's alert refusing the client's certificate. */
    public static boolean refusedCertificate(IOException e) {
        return e instanceof SSLException s && TlsNetwork.isCertificateAlert(s);
    }

    /** A short, secret-free reason for a broken connection. */
    public static String describe(IOException e) {
        return TlsLink.describe(e);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
