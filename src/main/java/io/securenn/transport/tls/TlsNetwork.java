package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Connection set-up of one party over TLS 1.3 with mutual authentication by pinned certificates.
 *
 * <p>Every party listens (P2 has no one to accept and does not); a party connects to every lower-numbered
 * party (P1→P0, P2→P0, P2→P1) and the acceptor learns who connected from the authenticated certificate alone.
 * Connects retry with back-off until the connect timeout, so the parties can start in any order. A connection
 * that fails authentication (unknown certificate, a plain TCP client, a party claiming to be another) is refused
 * and logged, and the listener carries on. After the TLS handshake the two ends swap a short hello
 * (acceptor: "SNN1" and its id; connector: "SNN1", its id and the id it
 * meant to reach; acceptor: a status byte) so that a connector learns at once whether the acceptor refused it.
 */
public final class TlsNetwork {
    private TlsNetwork() {}

    private static final Logger log = LoggerFactory.getLogger(TlsNetwork.class);
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    private static final byte[] MAGIC = {'S', 'N', 'N', '1'};
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final byte OK = 0, WRONG_CLAIM = 1, DUPLICATE = 2, WRONG_TARGET = 3, SETUP_FAILED = 4;

    /** Where a peer is and which certificate it must present. */
    public record Peer(int id, String host, int port, X509Certificate certificate) {
        String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A bound listening socket (bound before set-up so that the port is known and taken). */
    public static final class Listener implements AutoCloseable {
        private final ServerSocket socket;

        private Listener(ServerSocket socket) {
            this.socket = socket;
        }

        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Binds the listener of party self to bindHost (null: all interfaces) and port (0: any free port). */
    public static Listener listen(int self, String bindHost, int port) {
        try {
            ServerSocket ss = new CountingSocket.Server();
            ss.setReuseAddress(true);
            ss.bind(bindHost == null ? new InetSocketAddress(port) : new InetSocketAddress(bindHost, port), 16);
            return new Listener(ss);
        } catch (BindException e) {
            throw SecureNnException.badInput("P" + self + " cannot listen on " + (bindHost == null ? "" : bindHost)
                    + ":" + port + ": " + (e.getMessage() == null ? "address unavailable" : e.getMessage().toLowerCase()));
        } catch (IOException e) {
            throw SecureNnException.badInput("P" + self + " cannot listen on port " + port + ": " + e.getMessage());
        }
    }

    /**
     * Connects party self to its two peers and returns its started transport.
     *
     * @param listener the bound listener of self (may be null for P2, which accepts nobody); closed on return
     * @param verbose  log the steps at INFO (one process per party) rather than DEBUG (all parties in one JVM)
     */
    public static FramedTransport connect(int self, TlsIdentity identity, Map<Integer, Peer> peers, Listener listener,
                                          TransportOptions options, boolean verbose) {
        Level level = verbose ? Level.INFO : Level.DEBUG;
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        Setup setup = new Setup(self, identity, peers, options, deadline, level);
        try {
            return setup.run(listener);
        } finally {
            if (listener != null) listener.close();
        }
    }

    private static SSLContext context(TlsIdentity identity, Map<Integer, X509Certificate> accepted) {
        try {
            SSLContext c = SSLContext.getInstance("TLSv1.3");
            c.init(new KeyManager[] {new OwnKeyManager(identity)},
                    new TrustManager[] {new PinnedTrustManager(accepted)}, new SecureRandom());
            return c;
        } catch (GeneralSecurityException e) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "TLS 1.3 is not available: " + e.getMessage(), e);
        }
    }

    /** An authenticated connection before it becomes a link. */
    private record Conn(SSLSocket ssl, CountingSocket raw) {
        void closeQuietly() {
            try {
                raw.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** A permanent refusal: retrying cannot help (wrong certificate on either side). */
    private static final class Fatal extends Exception {
        final SecureNnException error;

        Fatal(SecureNnException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    private static final class Setup {
        final int self;
        final TlsIdentity identity;
        final Map<Integer, Peer> peers;
        final TransportOptions options;
        final long deadline;
        final Level level;
        final Map<Integer, Conn> conns = new TreeMap<>();
        /** Why the last attempt to reach each lower-numbered peer failed (for the time-out message). */
        final Map<Integer, String> lastError = new java.util.concurrent.ConcurrentHashMap<>();
        SecureNnException fatal;

        Setup(int self, TlsIdentity identity, Map<Integer, Peer> peers, TransportOptions options, long deadline,
              Level level) {
            this.self = self;
            this.identity = identity;
            this.peers = peers;
            this.options = options;
            this.deadline = deadline;
            this.level = level;
        }

        FramedTransport run(Listener listener) {
            Map<Integer, X509Certificate> inbound = new HashMap<>();
            for (Peer p : peers.values()) if (p.id() > self) inbound.put(p.id(), p.certificate());
            Thread acceptor = null;
            if (!inbound.isEmpty()) {
                if (listener == null) throw new IllegalArgumentException("P" + self + " needs a listener");
                SSLContext ctx = context(identity, inbound);
                log.atLevel(level).log("P{}: listening on port {} for {}", self, listener.port(), names(inbound.keySet()));
                acceptor = Thread.ofPlatform().daemon().name("securenn-P" + self + "-accept")
                        .start(() -> acceptLoop(listener.socket, ctx, inbound));
            }
            for (Peer p : peers.values()) {
                if (p.id() < self) Thread.ofVirtual().name("securenn-P" + self + "-dial-P" + p.id()).start(() -> dial(p));
            }
            try {
                awaitAll();
            } catch (RuntimeException e) {
                synchronized (this) {
                    for (Conn c : conns.values()) c.closeQuietly();
                    conns.clear();
                    fatal = fatal != null ? fatal : new SecureNnException(SecureNnException.Kind.INTERNAL, "set-up stopped");
                    notifyAll();
                }
                throw e;
            } finally {
                if (listener != null) listener.close();
                if (acceptor != null) acceptor.interrupt();
            }
            FramedTransport t = new FramedTransport(self, options.idleTimeout(), options.maxFrameBytes());
            TlsLink[] links = new TlsLink[3];
            synchronized (this) {
                for (var e : conns.entrySet()) {
                    links[e.getKey()] = new TlsLink(self, e.getKey(), e.getValue().ssl(), e.getValue().raw(), t,
                            options.drainTimeout());
                    t.attach(e.getKey(), links[e.getKey()]);
                }
            }
            for (TlsLink l : links) if (l != null) l.start();
            t.start();
            log.atLevel(level).log("P{}: connected to {} over TLS 1.3", self, names(peers.keySet()));
            return t;
        }

        private synchronized void awaitAll() {
            while (true) {
                if (fatal != null) throw fatal;
                if (conns.size() == peers.size()) return;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    for (Peer p : new TreeMap<>(peers).values()) {
                        if (conns.containsKey(p.id())) continue;
                        String what = p.id() < self
                                ? "cannot reach P" + p.id() + " at " + p.address() + " within "
                                  + seconds(options.connectTimeout()) + " (" + lastError.getOrDefault(p.id(), "no answer")
                                  + "; is it running, with the same cluster config?)"
                                : "P" + p.id() + " did not connect to P" + self + " within "
                                  + seconds(options.connectTimeout()) + " (is it running, with the same cluster config?)";
                        throw new PeerFailure(SecureNnException.Kind.PEER_LOST, p.id(), what);
                    }
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted during connection set-up");
                }
            }
        }

        private synchronized boolean done() {
            return fatal != null || conns.size() == peers.size();
        }

        /** Records an established connection; false (and the caller closes it) if that peer is already connected. */
        private synchronized boolean register(int peer, Conn c) {
            if (fatal != null || conns.containsKey(peer)) return false;
            conns.put(peer, c);
            notifyAll();
            return true;
        }

        /**
         * Sends the acceptor's status byte and, if it is OK, registers the connection, as one step: once the last
         * connection is registered the links start and may send frames at once, and the status byte must reach
         * the connector before any of them.
         */
        private synchronized byte answer(int peer, Conn c, byte status, OutputStream out) throws IOException {
            if (status == OK && fatal != null) status = SETUP_FAILED;
            else if (status == OK && conns.containsKey(peer)) status = DUPLICATE;
            out.write(status);
            out.flush();
            if (status == OK) register(peer, c);
            return status;
        }

        private synchronized void fail(SecureNnException e) {
            if (fatal == null) fatal = e;
            notifyAll();
        }

        // ---- accepting side ----

        private void acceptLoop(ServerSocket ss, SSLContext ctx, Map<Integer, X509Certificate> inbound) {
            while (!done()) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    return; // the listener was closed: set-up is over
                }
                Thread.ofVirtual().name("securenn-P" + self + "-handshake").start(() -> admit((CountingSocket) s, ctx));
            }
        }

        private void admit(CountingSocket raw, SSLContext ctx) {
            SocketAddress from = raw.getRemoteSocketAddress();
            SSLSocket ssl = null;
            try {
                raw.setTcpNoDelay(true);
                ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                ssl.setEnabledProtocols(PROTOCOLS);
                ssl.setUseClientMode(false);
                ssl.setNeedClientAuth(true);
                ssl.setSoTimeout(handshakeMillis());
                ssl.startHandshake();
                X509Certificate leaf = (X509Certificate) ssl.getSession().getPeerCertificates()[0];
                int party = -1;
                for (Peer p : peers.values()) {
                    if (p.id() > self && Arrays.equals(TlsIdentity.der(p.certificate()), TlsIdentity.der(leaf))) party = p.id();
                }
                // greet first: the connector reads this before it writes, so a refusal of its certificate
                // (an alert instead of this greeting) reaches it as such, not as a broken pipe
                OutputStream out = ssl.getOutputStream();
                out.write(new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) self});
                out.flush();
                DataInputStream in = new DataInputStream(ssl.getInputStream());
                byte[] magic = new byte[4];
                in.readFully(magic);
                int claimed = in.readUnsignedByte(), target = in.readUnsignedByte();
                if (!Arrays.equals(magic, MAGIC)) throw new IOException("not a securenn peer");
                byte status = target != self ? WRONG_TARGET : claimed != party ? WRONG_CLAIM : OK;
                status = answer(party, new Conn(ssl, raw), status, out);
                if (status != OK) {
                    String why = switch (status) {
                        case WRONG_TARGET -> "it meant to reach P" + target;
                        case WRONG_CLAIM -> "it presented the certificate of P" + party + " but claims to be P" + claimed;
                        case SETUP_FAILED -> "connection set-up has failed";
                        default -> "P" + party + " is already connected";
                    };
                    log.warn("P{}: refused a connection from {}: {}", self, from, why);
                    raw.close();
                    return;
                }
                ssl.setSoTimeout(0);
                log.atLevel(level).log("P{}: P{} connected from {}", self, party, from);
            } catch (IOException | RuntimeException e) {
                log.warn("P{}: refused a connection from {}: {}", self, from, refusal(e));
                try {
                    raw.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }

        // ---- connecting side ----

        private void dial(Peer p) {
            long backoff = 50;
            String last = "no attempt";
            while (!done()) {
                if (System.nanoTime() > deadline) return; // awaitAll reports it
                try {
                    Conn c = attempt(p);
                    if (!register(p.id(), c)) c.closeQuietly();
                    else log.atLevel(level).log("P{}: connected to P{} at {}", self, p.id(), p.address());
                    return;
                } catch (Fatal f) {
                    fail(f.error);
                    return;
                } catch (RuntimeException e) {
                    fail(new SecureNnException(SecureNnException.Kind.INTERNAL, "connecting to P" + p.id() + " failed: " + e, e));
                    return;
                } catch (IOException e) {
                    String now = TlsLink.describe(e);
                    if (!now.equals(last)) log.debug("P{}: P{} at {} not reachable yet: {}", self, p.id(), p.address(), now);
                    last = now;
                    lastError.put(p.id(), now);
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                try {
                    Thread.sleep(Math.max(0, Math.min(backoff, left)));
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(1000, backoff * 2);
            }
        }

        private Conn attempt(Peer p) throws IOException, Fatal {
            CountingSocket raw = new CountingSocket();
            boolean ok = false;
            try {
                raw.setTcpNoDelay(true);
                raw.connect(new InetSocketAddress(p.host(), p.port()), handshakeMillis());
                SSLContext ctx = context(identity, Map.of(p.id(), p.certificate()));
                SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw, p.host(), p.port(), true);
                ssl.setEnabledProtocols(PROTOCOLS);
                ssl.setUseClientMode(true);
                ssl.setSoTimeout(handshakeMillis());
                try {
                    ssl.startHandshake();
                } catch (SSLException e) {
                    if (causedBy(e, PinnedTrustManager.NotValidNow.class)) {
                        throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                                "P" + p.id() + " at " + p.address() + ": " + rootMessage(e)));
                    }
                    if (causedBy(e, PinnedTrustManager.NotPinned.class)) {
                        throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                                "the party listening at " + p.address() + " is not P" + p.id() + ": "
                                        + rootMessage(e)));
                    }
                    throw e;
                }
                DataInputStream in = new DataInputStream(ssl.getInputStream());
                byte[] greeting = new byte[5];
                try {
                    in.readFully(greeting);
                } catch (SSLException e) {
                    // TLS 1.3: the client's handshake ends before the server has checked the client certificate,
                    // so a refusal of our certificate arrives as an alert on the first read
                    if (String.valueOf(e.getMessage()).contains("certificate")) {
                        throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                                "P" + p.id() + " at " + p.address() + " refused the certificate of P" + self
                                        + " (is this party's certificate the one pinned as P" + self
                                        + " in P" + p.id() + "'s cluster config?)"));
                    }
                    throw e;
                }
                if (!Arrays.equals(Arrays.copyOf(greeting, 4), MAGIC) || greeting[4] != p.id()) {
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "the party at " + p.address() + " did not answer as P" + p.id()));
                }
                OutputStream out = ssl.getOutputStream();
                out.write(new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) self, (byte) p.id()});
                out.flush();
                byte status = (byte) in.readUnsignedByte();
                if (status != OK) {
                    String why = switch (status) {
                        case WRONG_CLAIM -> "it pins this party's certificate for another party";
                        case DUPLICATE -> "it already has a connection from P" + self + " (is another P" + self + " running?)";
                        case WRONG_TARGET -> "it is not the party this one meant to reach";
                        case SETUP_FAILED -> "its connection set-up has failed";
                        default -> "status " + status;
                    };
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "P" + p.id() + " at " + p.address() + " refused P" + self + ": " + why));
                }
                ssl.setSoTimeout(0);
                ok = true;
                return new Conn(ssl, raw);
            } finally {
                if (!ok) raw.close();
            }
        }

        private int handshakeMillis() {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            return (int) Math.max(1, Math.min(HANDSHAKE_TIMEOUT.toMillis(), left));
        }
    }

    private static String refusal(Throwable e) {
        if (causedBy(e, PinnedTrustManager.NotPinned.class) || causedBy(e, PinnedTrustManager.NotValidNow.class)) {
            return rootMessage(e);
        }
        if (e instanceof IOException io) return TlsLink.describe(io);
        return String.valueOf(e.getMessage());
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    private static String names(java.util.Collection<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : new java.util.TreeSet<>(ids)) sb.append(sb.isEmpty() ? "" : ", ").append("P").append(id);
        return sb.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
