package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.transport.TlsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The one TLS listener of a serving party (P0 or P1) for the server's whole life: it accepts peers and clients on
 * the party's port of the cluster config, authenticates each against every pinned certificate (the higher-numbered
 * peers' and the clients'), and lets the certificate say which it is. A peer's connection goes to the current
 * session set-up ({@link #peerListener()}, for {@link TlsNetwork#connect}), a client's to the handler. An
 * unpinned certificate is refused during the handshake with one line in the log.
 */
public final class ServiceListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceListener.class);
    /** Clients' ids in the trust manager: CLIENT_BASE + K (parties are 0–2). */
    public static final int CLIENT_BASE = 1000;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final int self;
    private final ServerSocketChannel channel;
    private final int port;
    private final TlsEngines engines;
    private final Map<Integer, X509Certificate> accepted;
    private final Consumer<ClientChannel> clients;
    private final LinkedBlockingQueue<TlsNetwork.Handshaken> peers = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private ServiceListener(int self, ServerSocketChannel channel, TlsEngines engines,
                            Map<Integer, X509Certificate> accepted, Consumer<ClientChannel> clients) throws IOException {
        this.self = self;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.engines = engines;
        this.accepted = accepted;
        this.clients = clients;
        this.acceptor = Thread.ofPlatform().daemon().name("securenn-P" + self + "-listen").unstarted(this::acceptLoop);
    }

    /**
     * Binds party self's port and starts accepting.
     *
     * @param peerCerts   the pinned certificates of the parties that connect to self (ids above self)
     * @param clientCerts the pinned client certificates, client K at index K
     * @param clients     receives each authenticated client connection (on the connection's own thread)
     */
    public static ServiceListener open(int self, String bindHost, int port, TlsIdentity identity, TlsProvider provider,
                                       Map<Integer, X509Certificate> peerCerts, List<X509Certificate> clientCerts,
                                       Consumer<ClientChannel> clients) {
        TlsProvider p = TlsEngines.resolve(provider);
        if (p == TlsProvider.NONE) throw SecureNnException.usage("serving always uses TLS: --tls-provider none is refused");
        Map<Integer, X509Certificate> acc = new HashMap<>(peerCerts);
        for (int k = 0; k < clientCerts.size(); k++) acc.put(CLIENT_BASE + k, clientCerts.get(k));
        TlsEngines engines = TlsEngines.of(p, identity, acc, false);
        ServerSocketChannel ss = TlsNetwork.bind(self, bindHost, port, 64);
        try {
            ServiceListener l = new ServiceListener(self, ss, engines, acc, clients);
            l.acceptor.start();
            return l;
        } catch (IOException e) {
            closeQuietly(ss);
            throw SecureNnException.badInput("P" + self + " cannot listen on port " + port + ": " + e.getMessage());
        }
    }

    public int port() {
        return port;
    }

    /** The listener to give {@link TlsNetwork#connect} for a session: it takes the peers' connections from here. */
    public TlsNetwork.Listener peerListener() {
        // connections queued meanwhile stay: a stale one fails its hello harmlessly, a fresh one is a returning peer
        return new TlsNetwork.Listener(channel, port, peers);
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel s;
            try {
                s = channel.accept();
            } catch (IOException e) {
                if (!closed) log.warn("P{}: listener stopped: {}", self, e.getMessage());
                return;
            }
            Thread.ofVirtual().name("securenn-P" + self + "-handshake").start(() -> admit(s));
        }
    }

    private void admit(SocketChannel ch) {
        SocketAddress from = null;
        Wire wire = null;
        try {
            from = ch.getRemoteAddress();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            wire = engines.newWire(ch);
            wire.arm(HANDSHAKE_TIMEOUT.toMillis());
            ((TlsWire) wire).handshake();
            byte[] leaf = TlsIdentity.der(wire.peerCertificate());
            int who = -1;
            for (var e : accepted.entrySet()) if (Arrays.equals(TlsIdentity.der(e.getValue()), leaf)) who = e.getKey();
            wire.disarm();
            if (who >= CLIENT_BASE) {
                log.debug("P{}: client {} connected from {}", self, who - CLIENT_BASE, from);
                clients.accept(new ClientChannel(wire, who - CLIENT_BASE, String.valueOf(from)));
            } else if (who > self && who <= 2) {
                peers.add(new TlsNetwork.Handshaken(wire, who, from));
            } else {
                throw new IOException("not a party that connects here");
            }
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException io ? refusal(io) : String.valueOf(e.getMessage());
            if (!closed) log.warn("P{}: refused a connection from {}: {}", self, from, why);
            if (wire != null) wire.close();
            else closeQuietly(ch);
        }
    }

    private static String refusal(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PinnedTrustManager.NotPinned || t instanceof PinnedTrustManager.NotValidNow) return t.getMessage();
        }
        return TlsLink.describe(e);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
        acceptor.interrupt();
        TlsNetwork.Handshaken h;
        while ((h = peers.poll()) != null) h.wire().close();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
