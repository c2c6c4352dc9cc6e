package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import javax.net.ssl.SSLException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 *
 * <p>The TLS engine comes from the provider in the options ({@link TlsEngines}: BoringSSL or the JDK's; parties on
 * different providers connect) and is driven over a blocking socket channel by {@link TlsWire}. Provider
 * {@link TlsProvider#NONE} (benchmarks only, and only with the options' explicit consent) skips TLS: the hello,
 * with magic "SNP1", is sent by both ends at once and the acceptor takes the connector's claimed id on trust.
 * A party on plain TCP and a party on TLS refuse each other with a message that says so.
 */
public final class TlsNetwork {
    private TlsNetwork() {}

    private static final Logger log = LoggerFactory.getLogger(TlsNetwork.class);
    private static final byte[] MAGIC = {'S', 'N', 'N', '1'};
    /** The hello magic of plain-TCP parties: a TLS party recognises it and names the mismatch. */
    private static final byte[] PLAIN_MAGIC = {'S', 'N', 'P', '1'};
    /** First byte of a TLS handshake record, and of a TLS alert record. */
    private static final byte TLS_HANDSHAKE = 0x16, TLS_ALERT = 0x15;
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
        private final ServerSocketChannel channel;
        private final int port;
        /** Set where a {@link ServiceListener} owns the port: peers' connections arrive handshaken from it. */
        private final java.util.concurrent.BlockingQueue<Handshaken> handoff;

        private Listener(ServerSocketChannel channel, int port) {
            this(channel, port, null);
        }

        Listener(ServerSocketChannel channel, int port, java.util.concurrent.BlockingQueue<Handshaken> handoff) {
            this.channel = channel;
            this.port = port;
            this.handoff = handoff;
        }

        public int port() {
            return port;
        }

        @Override
        public void close() {
            if (handoff != null) return;   // the service listener keeps its port for the server's lifetime
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Binds the listener of party self to bindHost (null: all interfaces) and port (0: any free port). */
    public static Listener listen(int self, String bindHost, int port) {
        ServerSocketChannel ss = bind(self, bindHost, port, 16);
        try {
            return new Listener(ss, ((InetSocketAddress) ss.getLocalAddress()).getPort());
        } catch (IOException e) {
            closeQuietly(ss);
            throw SecureNnException.badInput("P" + self + " cannot listen on port " + port + ": " + e.getMessage());
        }
    }

    /**
     * A server socket of party self bound to bindHost (null: all interfaces) and port (0: any free port), or one
     * line naming the party and the address.
     */
    static ServerSocketChannel bind(int self, String bindHost, int port, int backlog) {
        ServerSocketChannel ss = null;
        try {
            ss = ServerSocketChannel.open();
            ss.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ss.bind(bindHost == null ? new InetSocketAddress(port) : new InetSocketAddress(bindHost, port), backlog);
            return ss;
        } catch (BindException e) {
            closeQuietly(ss);
            throw SecureNnException.badInput("P" + self + " cannot listen on " + (bindHost == null ? "" : bindHost)
                    + ":" + port + ": " + (e.getMessage() == null ? "address unavailable" : e.getMessage().toLowerCase()));
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            closeQuietly(ss);
            throw SecureNnException.badInput("P" + self + " cannot listen on port " + port + ": " + e.getMessage());
        }
    }

    /**
     * A listener on a channel the caller has bound and listens on already (tests: a port held from the start, so
     * that no other program can take it between choosing it and the party's set-up).
     */
    static Listener adopt(ServerSocketChannel bound) throws IOException {
        return new Listener(bound, ((InetSocketAddress) bound.getLocalAddress()).getPort());
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /**
     * The provider a set-up with this choice uses ({@link TlsProvider#AUTO} resolved: the system property, else
     * BoringSSL where it loads, else the JDK's); an explicit BoringSSL that does not load here is a usage error.
     */
    public static TlsProvider resolveProvider(TlsProvider requested) {
        return TlsEngines.resolve(requested);
    }

    /** How the links of a provider are secured, in words for reports. */
    public static String describe(TlsProvider resolved) {
        return switch (resolved) {
            case BORINGSSL -> "TLS 1.3 (BoringSSL through netty-tcnative) with pinned certificates";
            case JDK -> "TLS 1.3 (the JDK's) with pinned certificates";
            case NONE -> "plain TCP, INSECURE (no encryption, no authentication: benchmark only)";
            case AUTO -> describe(resolveProvider(resolved));
        };
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
        try {
            TlsProvider provider = TlsEngines.resolve(options.tls());
            if (provider == TlsProvider.NONE && !options.insecurePlainTcp()) {
                throw SecureNnException.usage("plain TCP (TLS provider none) sends shares unencrypted and "
                        + "unauthenticated: it is for benchmarks only and needs --insecure-plain-tcp");
            }
            if (provider == TlsProvider.NONE) {
                log.warn("P{}: INSECURE plain TCP: the links are neither encrypted nor authenticated (benchmarks only)", self);
            }
            long deadline = System.nanoTime() + options.connectTimeout().toNanos();
            Setup setup = new Setup(self, identity, peers, options, provider, deadline, level);
            return setup.run(listener);
        } finally {
            if (listener != null) listener.close();
        }
    }

    /** A peer's connection that a {@link ServiceListener} accepted and authenticated (TLS done, hello not yet). */
    record Handshaken(Wire wire, int party, SocketAddress from) {}

    /** An authenticated connection before it becomes a link. */
    private record Conn(Wire wire) {
        void closeQuietly() {
            wire.close();
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
        final TlsProvider provider;
        final long deadline;
        final Level level;
        final Map<Integer, Conn> conns = new TreeMap<>();
        /** Why the last attempt to reach each lower-numbered peer failed (for the time-out message). */
        final Map<Integer, String> lastError = new java.util.concurrent.ConcurrentHashMap<>();
        SecureNnException fatal;
        volatile String security = "";

        Setup(int self, TlsIdentity identity, Map<Integer, Peer> peers, TransportOptions options, TlsProvider provider,
              long deadline, Level level) {
            this.self = self;
            this.identity = identity;
            this.peers = peers;
            this.options = options;
            this.provider = provider;
            this.deadline = deadline;
            this.level = level;
        }

        boolean plain() {
            return provider == TlsProvider.NONE;
        }

        FramedTransport run(Listener listener) {
            Map<Integer, X509Certificate> inbound = new HashMap<>();
            for (Peer p : peers.values()) if (p.id() > self) inbound.put(p.id(), p.certificate());
            Thread acceptor = null;
            if (!inbound.isEmpty()) {
                if (listener == null) throw new IllegalArgumentException("P" + self + " needs a listener");
                TlsEngines engines = plain() ? null : TlsEngines.of(provider, identity, inbound, false);
                log.atLevel(level).log("P{}: listening on port {} for {}", self, listener.port(), names(inbound.keySet()));
                acceptor = listener.handoff != null
                        ? Thread.ofPlatform().daemon().name("securenn-P" + self + "-admit")
                                .start(() -> handoffLoop(listener.handoff))
                        : Thread.ofPlatform().daemon().name("securenn-P" + self + "-accept")
                                .start(() -> acceptLoop(listener.channel, engines));
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
            boolean polled = !options.threadedIo();
            LinkPoller poller = null;
            try {
                synchronized (this) {
                    if (polled) poller = new LinkPoller();
                    for (var e : conns.entrySet()) {
                        TlsLink l = new TlsLink(self, e.getKey(), e.getValue().wire(), t, options.drainTimeout(), polled);
                        l.prepare();
                        if (poller != null) poller.register(l);
                        links[e.getKey()] = l;
                        t.attach(e.getKey(), l);
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    for (Conn c : conns.values()) c.closeQuietly();
                }
                if (poller != null) poller.close();
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, "P" + self + ": could not start the links: "
                        + TlsLink.describe(e));
            }
            if (poller != null) t.attachPoller(poller);
            for (TlsLink l : links) if (l != null) l.start();
            t.start();
            log.atLevel(level).log("P{}: connected to {} over {}", self, names(peers.keySet()), security);
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
            security = c.wire().describeSecurity();
            notifyAll();
            return true;
        }

        /**
         * Sends the acceptor's status byte and, if it is OK, registers the connection, as one step: once the last
         * connection is registered the links start and may send frames at once, and the status byte must reach
         * the connector before any of them. An accepted connection leaves its set-up deadline here.
         */
        private synchronized byte answer(int peer, Conn c, byte status) throws IOException {
            if (status == OK && fatal != null) status = SETUP_FAILED;
            else if (status == OK && conns.containsKey(peer)) status = DUPLICATE;
            if (status == OK) c.wire().disarm();
            OutputStream out = c.wire().out();
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

        private void acceptLoop(ServerSocketChannel ss, TlsEngines engines) {
            while (!done()) {
                SocketChannel s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    return; // the listener was closed: set-up is over
                }
                Thread.ofVirtual().name("securenn-P" + self + "-handshake").start(() -> admit(s, engines));
            }
        }

        /** Takes the peers' connections a service listener authenticated, until set-up is over. */
        private void handoffLoop(java.util.concurrent.BlockingQueue<Handshaken> q) {
            while (!done()) {
                Handshaken h;
                try {
                    h = q.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (h == null) continue;
                Thread.ofVirtual().name("securenn-P" + self + "-hello").start(() -> {
                    try {
                        h.wire().arm(handshakeMillis());
                    } catch (IllegalStateException e) {
                        // armed already: cannot happen for a disarmed wire
                    }
                    greet(h.wire(), h.party(), h.from(), null);
                });
            }
        }

        private void admit(SocketChannel ch, TlsEngines engines) {
            SocketAddress from = remote(ch);
            Wire wire = null;
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                wire = engines == null ? new PlainWire(ch) : engines.newWire(ch);
                wire.arm(handshakeMillis());
                int party = -1;
                if (wire instanceof TlsWire tls) {
                    tls.handshake();
                    X509Certificate leaf = wire.peerCertificate();
                    for (Peer p : peers.values()) {
                        if (p.id() > self && Arrays.equals(TlsIdentity.der(p.certificate()), TlsIdentity.der(leaf))) party = p.id();
                    }
                }
                greet(wire, party, from, ch);
            } catch (IOException | RuntimeException e) {
                refuse(wire, ch, from, e);
            }
        }

        /** The hello exchange after an authenticated handshake (party: who the certificate says, or -1). */
        private void greet(Wire wire, int party, SocketAddress from, SocketChannel ch) {
            try {
                // greet first: the connector reads this before it writes, so a refusal of its certificate
                // (an alert instead of this greeting) reaches it as such, not as a broken pipe
                OutputStream out = wire.out();
                byte[] magic = plain() ? PLAIN_MAGIC : MAGIC;
                out.write(new byte[] {magic[0], magic[1], magic[2], magic[3], (byte) self});
                out.flush();
                DataInputStream in = new DataInputStream(wire.in());
                byte[] theirs = new byte[4];
                in.readFully(theirs);
                if (!Arrays.equals(theirs, magic)) {
                    throw new Refused(plain() && isTls(theirs[0] & 0xff)
                            ? "it speaks TLS and this party runs without TLS (--tls-provider none)"
                            : "not a securenn peer");
                }
                int claimed = in.readUnsignedByte(), target = in.readUnsignedByte();
                // without TLS there is no certificate: an expected party's claim is taken on trust (benchmarks only)
                if (plain()) party = claimed > self && claimed <= 2 && peers.containsKey(claimed) ? claimed : -1;
                byte status = target != self ? WRONG_TARGET : claimed != party ? WRONG_CLAIM : OK;
                status = answer(party, new Conn(wire), status);
                if (status != OK) {
                    String why = switch (status) {
                        case WRONG_TARGET -> "it meant to reach P" + target;
                        case WRONG_CLAIM -> plain() ? "it claims to be P" + claimed + ", not a party that connects here"
                                : "it presented the certificate of P" + party + " but claims to be P" + claimed;
                        case SETUP_FAILED -> "connection set-up has failed";
                        default -> "P" + party + " is already connected";
                    };
                    log.warn("P{}: refused a connection from {}: {}", self, from, why);
                    wire.close();
                    return;
                }
                log.atLevel(level).log("P{}: P{} connected from {}", self, party, from);
            } catch (IOException | RuntimeException e) {
                refuse(wire, ch, from, e);
            }
        }

        private void refuse(Wire wire, SocketChannel ch, SocketAddress from, Exception e) {
            {
                boolean plainPeer = wire != null && !plain() && wire.peerStartedWith(PLAIN_MAGIC);
                String why = plainPeer ? "it runs without TLS (--tls-provider none), this party with TLS" : refusal(e);
                log.warn("P{}: refused a connection from {}: {}", self, from, why);
                // the engine found no TLS record to answer; a plain TLS alert tells the plain party what it met
                if (plainPeer) sendPlainAlert(wire);
                if (wire != null) wire.close();
                else closeQuietly(ch);
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
            SocketChannel ch = SocketChannel.open();
            Wire wire = null;
            boolean ok = false;
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.socket().connect(new InetSocketAddress(p.host(), p.port()), handshakeMillis());
                if (plain()) {
                    wire = new PlainWire(ch);
                } else {
                    TlsEngines engines = TlsEngines.of(provider, identity, Map.of(p.id(), p.certificate()), true);
                    wire = engines.newWire(ch);
                }
                wire.arm(handshakeMillis());
                if (wire instanceof TlsWire tls) handshakeAsClient(tls, p);
                else sendHello(wire, p);   // plain: both ends speak at once, so a TLS acceptor sees it is not TLS
                DataInputStream in = new DataInputStream(wire.in());
                byte[] greeting = new byte[5];
                try {
                    in.readFully(greeting);
                } catch (SSLException e) {
                    // TLS 1.3: the client's handshake ends before the server has checked the client certificate,
                    // so a refusal of our certificate arrives as an alert on the first read
                    if (isCertificateAlert(e)) {
                        throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                                "P" + p.id() + " at " + p.address() + " refused the certificate of P" + self
                                        + " (is this party's certificate the one pinned as P" + self
                                        + " in P" + p.id() + "'s cluster config?)"));
                    }
                    throw e;
                } catch (EOFException e) {
                    if (plain() && isTls(wire.peerFirstByte())) throw tlsMismatch(p);
                    throw e;
                }
                if (plain() && isTls(greeting[0] & 0xff)) throw tlsMismatch(p);
                byte[] magic = plain() ? PLAIN_MAGIC : MAGIC;
                if (!Arrays.equals(Arrays.copyOf(greeting, 4), magic) || greeting[4] != p.id()) {
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "the party at " + p.address() + " did not answer as P" + p.id()));
                }
                if (!plain()) sendHello(wire, p);
                byte status = (byte) in.readUnsignedByte();
                if (status != OK) {
                    String why = switch (status) {
                        case WRONG_CLAIM -> plain() ? "it does not expect P" + self + " to connect"
                                : "it pins this party's certificate for another party";
                        case DUPLICATE -> "it already has a connection from P" + self + " (is another P" + self + " running?)";
                        case WRONG_TARGET -> "it is not the party this one meant to reach";
                        case SETUP_FAILED -> "its connection set-up has failed";
                        default -> "status " + status;
                    };
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "P" + p.id() + " at " + p.address() + " refused P" + self + ": " + why));
                }
                wire.disarm();
                ok = true;
                return new Conn(wire);
            } finally {
                if (!ok) {
                    if (wire != null) wire.close();
                    else closeQuietly(ch);
                }
            }
        }

        /** A TLS 1.2-framed fatal alert (unexpected_message), as a TLS server sends before any keys exist. */
        private static void sendPlainAlert(Wire wire) {
            try {
                wire.writeFully(java.nio.ByteBuffer.wrap(new byte[] {TLS_ALERT, 3, 3, 0, 2, 2, 10}));
            } catch (IOException ignored) {
                // the connection is dropped anyway
            }
        }

        private void sendHello(Wire wire, Peer p) throws IOException {
            byte[] magic = plain() ? PLAIN_MAGIC : MAGIC;
            OutputStream out = wire.out();
            out.write(new byte[] {magic[0], magic[1], magic[2], magic[3], (byte) self, (byte) p.id()});
            out.flush();
        }

        private void handshakeAsClient(TlsWire tls, Peer p) throws IOException, Fatal {
            try {
                tls.handshake();
            } catch (SSLException e) {
                if (causedBy(e, PinnedTrustManager.NotValidNow.class)) {
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "P" + p.id() + " at " + p.address() + ": " + rootMessage(e)));
                }
                if (causedBy(e, PinnedTrustManager.NotPinned.class)) {
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "the party listening at " + p.address() + " is not P" + p.id() + ": " + rootMessage(e)));
                }
                if (tls.peerStartedWith(PLAIN_MAGIC)) {
                    throw new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                            "P" + p.id() + " at " + p.address() + " runs without TLS (--tls-provider none) and this"
                                    + " party with TLS: start every party with the same --tls-provider"));
                }
                throw e;
            }
        }

        private Fatal tlsMismatch(Peer p) {
            return new Fatal(new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                    "P" + p.id() + " at " + p.address() + " speaks TLS and this party runs without TLS"
                            + " (--tls-provider none): start every party with the same --tls-provider"));
        }

        private int handshakeMillis() {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            return (int) Math.max(1, Math.min(HANDSHAKE_TIMEOUT.toMillis(), left));
        }
    }

    /** A refusal whose message is the whole reason. */
    private static final class Refused extends IOException {
        Refused(String why) {
            super(why);
        }
    }

    private static String refusal(Throwable e) {
        if (causedBy(e, PinnedTrustManager.NotPinned.class) || causedBy(e, PinnedTrustManager.NotValidNow.class)) {
            return rootMessage(e);
        }
        if (e instanceof Refused) return e.getMessage();
        if (e instanceof IOException io) return TlsLink.describe(io);
        return String.valueOf(e.getMessage());
    }

    /**
     * True if a TLS error is the peer's alert refusing our certificate. The JDK names it "bad_certificate" or
     * "certificate_unknown", BoringSSL "SSLV3_ALERT_CERTIFICATE_UNKNOWN" and the like.
     */
    static boolean isCertificateAlert(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("certificate") || m.contains("unknown_ca")) return true;
        }
        return false;
    }

    /** True if b opens a TLS record: a handshake (a client's hello) or an alert. */
    private static boolean isTls(int b) {
        return b == TLS_HANDSHAKE || b == TLS_ALERT;
    }

    private static SocketAddress remote(SocketChannel ch) {
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
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
