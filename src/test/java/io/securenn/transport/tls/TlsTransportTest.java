package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.Cluster;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every case runs on both TLS providers (RawPeer, the hand-driven client, is always the JDK's). */
@Timeout(60)
@ParameterizedClass
@EnumSource(value = TlsProvider.class, names = {"JDK", "BORINGSSL"})
class TlsTransportTest {

    private final TransportOptions QUICK;

    TlsTransportTest(TlsProvider provider) {
        QUICK = TransportOptions.defaults().withTls(provider)
                .withIdleTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(10));
    }

    private static TlsNetwork.Peer peer(int id, int port, TlsIdentity ident) {
        return new TlsNetwork.Peer(id, "127.0.0.1", port, ident.certificate());
    }

    /** Party `self` set up in the background, expecting exactly the given peers. */
    private static CompletableFuture<FramedTransport> start(int self, TlsIdentity me, Map<Integer, TlsNetwork.Peer> peers,
                                                            TlsNetwork.Listener l, TransportOptions o) {
        // a thread of its own: the common pool may have a single worker on a small machine
        CompletableFuture<FramedTransport> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(TlsNetwork.connect(self, me, peers, l, o, false));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Test
    void pairStreamsAgreeOverTls() {
        var res = LocalCluster.run(Cluster.local(QUICK), "streams", "", SessionParams.defaults(), ctx -> {
            long[][] r = new long[3][];
            for (int p = 0; p < 3; p++) if (p != ctx.id()) r[p] = ctx.pair(p).longs(4);
            return r;
        });
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                assertThat(res.of(a)[b]).as("stream P%d-P%d", a, b).containsExactly(res.of(b)[a]);
            }
        }
        // three distinct keys
        assertThat(res.of(0)[1]).isNotEqualTo(res.of(0)[2]);
        assertThat(res.of(1)[2]).isNotEqualTo(res.of(0)[2]);
    }

    @Test
    void setUpIsReliableWhenRepeated() throws Exception {
        // the acceptor's status byte once raced with the first frames of the new link (the link starts as soon as
        // the last connection is registered, and a party process sends its session hash at once): each party
        // here starts its session the moment its own set-up returns, as a process does
        for (int i = 0; i < 12; i++) {
            TlsIdentity[] id = {TlsIdentity.generate(0), TlsIdentity.generate(1), TlsIdentity.generate(2)};
            TlsNetwork.Listener[] l = {TlsNetwork.listen(0, "127.0.0.1", 0), TlsNetwork.listen(1, "127.0.0.1", 0), null};
            Map<Integer, TlsNetwork.Peer> all = Map.of(0, peer(0, l[0].port(), id[0]), 1, peer(1, l[1].port(), id[1]),
                    2, peer(2, 1, id[2]));
            List<CompletableFuture<Long>> runs = new java.util.ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int me = p;
                CompletableFuture<Long> f = new CompletableFuture<>();
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        FramedTransport t = TlsNetwork.connect(me, id[me], without(all, me), l[me], QUICK, false);
                        f.complete(LocalCluster.runParty(t, "again", "", SessionParams.defaults(), ctx -> ctx.pair((me + 1) % 3).longs(1)[0]));
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
                runs.add(f);
            }
            for (var f : runs) assertThat(f.get(30, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void bigSimultaneousExchangeDoesNotDeadlock() {
        int n = 6 << 20; // 48 MiB each way, far beyond any socket buffer
        var res = LocalCluster.run(Cluster.local(QUICK), "big", "", SessionParams.defaults(), ctx -> {
            if (ctx.isHelper()) return 0L;
            long[] mine = new long[n];
            Arrays.fill(mine, ctx.id() + 1);
            ctx.sendLongs(ctx.other(), mine);
            long[] theirs = ctx.receiveLongs(ctx.other(), n);
            long s = 0;
            for (long v : theirs) s += v;
            return s;
        });
        assertThat(res.of(0)).isEqualTo(2L * n);
        assertThat(res.of(1)).isEqualTo(1L * n);
    }

    @Test
    void heartbeatsKeepAQuietPeerAlive() {
        TransportOptions o = QUICK.withIdleTimeout(Duration.ofSeconds(2));
        var res = LocalCluster.run(Cluster.local(o), "slow", "", SessionParams.defaults(), ctx -> {
            if (ctx.id() == 0) {
                sleep(5000); // the silence under test: two and a half idle timeouts without a data frame
                ctx.sendLongs(1, new long[] {42});
                return 0L;
            }
            return ctx.id() == 1 ? ctx.receiveLongs(0, 1)[0] : 0L;
        });
        assertThat(res.of(1)).isEqualTo(42L);
    }

    @Test
    void aFailedPartyIsNamedByBothOthersAndNoThreadIsLeft() throws Exception {
        FramedTransport[] ts = Cluster.local(QUICK);
        PeerFailure[] seen = new PeerFailure[3];
        Throwable t = catchThrowable(() -> LocalCluster.run(ts, "fail", "", SessionParams.defaults(), ctx -> {
            try {
                if (ctx.id() == 2) throw SecureNnException.badInput("P2 gives up");
                // P0 and P1 wait for something P2 never sends
                return Sharing.reveal(ctx, MatMulWait.receiveFromHelper(ctx), Sharing.Recipient.BOTH);
            } catch (PeerFailure f) {
                seen[ctx.id()] = f;
                throw f;
            }
        }));
        assertThat(t).isInstanceOf(SecureNnException.class).hasMessage("P2 gives up");
        assertThat(seen[0].lostParty()).isEqualTo(2);
        assertThat(seen[1].lostParty()).isEqualTo(2);
        assertThat(seen[0].getMessage()).startsWith("lost peer P2");
        assertThat(seen[1].getMessage()).startsWith("lost peer P2");
        for (FramedTransport x : ts) assertThat(x.isClosed()).isTrue();
        assertNoTransportThreadsLeft();
    }

    /** P0/P1 wait for one long from P2. */
    static final class MatMulWait {
        static long[] receiveFromHelper(io.securenn.runtime.PartyContext ctx) {
            return ctx.receiveLongs(2, 1);
        }
    }

    static void assertNoTransportThreadsLeft() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var left = Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th.isAlive() && th.getName().startsWith("securenn-P") && !th.getName().contains("handshake"))
                    .map(Thread::getName).toList();
            if (left.isEmpty()) return;
            if (System.nanoTime() > until) {
                StringBuilder where = new StringBuilder();
                Thread.getAllStackTraces().forEach((th, st) -> {
                    if (!left.contains(th.getName())) return;
                    where.append("\n").append(th.getName()).append(" ").append(th.getState());
                    for (int i = 0; i < Math.min(8, st.length); i++) where.append("\n    at ").append(st[i]);
                });
                throw new AssertionError("transport threads still running: " + left + where);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void strayConnectionsAreRefusedAndTheListenerCarriesOn() throws Exception {
        TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1), p2 = TlsIdentity.generate(2);
        TlsIdentity rogue = TlsIdentity.generate(1);
        TlsNetwork.Listener l = TlsNetwork.listen(0, "127.0.0.1", 0);
        int port = l.port();
        Map<Integer, TlsNetwork.Peer> peers = new HashMap<>(Map.of(1, peer(1, 1, p1), 2, peer(2, 1, p2)));
        var setup = start(0, p0, peers, l, QUICK);

        // 1. a plain TCP client sending garbage
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream o = s.getOutputStream();
            o.write("GET / HTTP/1.0\r\n\r\n".getBytes());
            o.flush();
            s.setSoTimeout(10_000);
            // the acceptor answers with at most a TLS alert and closes the connection
            var in = s.getInputStream();
            int got = 0;
            while (in.read() >= 0) got++;
            assertThat(got).isLessThan(64);
        } catch (java.io.IOException e) {
            // a reset is a refusal too
        }
        // 2. a TLS client with a certificate pinned for no one
        assertThat(catchThrowable(() -> {
            try (RawPeer r = RawPeer.connect(port, rogue, p0.certificate(), 0, 1)) {
                r.status();
            }
        })).isInstanceOf(java.io.IOException.class);
        // 3. P2's certificate claiming to be P1
        try (RawPeer r = RawPeer.connect(port, p2, p0.certificate(), 0, 1)) {
            assertThat(r.status()).as("status").isEqualTo(1);
        }
        assertThat(setup).isNotDone();
        // the genuine parties still get in
        try (RawPeer r1 = RawPeer.connect(port, p1, p0.certificate(), 0, 1);
             RawPeer r2 = RawPeer.connect(port, p2, p0.certificate(), 0, 2)) {
            assertThat(r1.status()).isZero();
            assertThat(r2.status()).isZero();
            FramedTransport t = setup.get(10, TimeUnit.SECONDS);
            t.abort(PeerFailure.lost(1, "test over"));
        }
    }

    @Test
    void aPeerBreakingTheFramingIsReportedAsMisbehaving() throws Exception {
        for (int variant = 0; variant < 2; variant++) {
            TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1);
            TlsNetwork.Listener l = TlsNetwork.listen(0, "127.0.0.1", 0);
            TransportOptions o = new TransportOptions(Duration.ofSeconds(5), Duration.ofSeconds(10), 1024, QUICK.tls(), false);
            var setup = start(0, p0, Map.of(1, peer(1, 1, p1)), l, o);
            try (RawPeer r = RawPeer.connect(l.port(), p1, p0.certificate(), 0, 1)) {
                assertThat(r.status()).isZero();
                FramedTransport t = setup.get(10, TimeUnit.SECONDS);
                if (variant == 0) r.frame(9, 1, 1, 0, new byte[0]);            // unknown frame type
                else r.frame(1, 1, 1, 1025, new byte[0]);                        // longer than the 1 KiB limit
                PeerFailure f = (PeerFailure) catchThrowable(() -> t.receive(1));
                assertThat(f.kind()).isEqualTo(SecureNnException.Kind.PEER_MISBEHAVED);
                assertThat(f.lostParty()).isEqualTo(1);
                assertThat(f.getMessage()).contains(variant == 0 ? "unknown type 9" : "1025 bytes exceeds the limit of 1024");
                t.abort(f);
            }
        }
    }

    @Test
    void outOfSequenceFrameIsMisbehaviour() throws Exception {
        TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1);
        TlsNetwork.Listener l = TlsNetwork.listen(0, "127.0.0.1", 0);
        var setup = start(0, p0, Map.of(1, peer(1, 1, p1)), l, QUICK);
        try (RawPeer r = RawPeer.connect(l.port(), p1, p0.certificate(), 0, 1)) {
            r.status();
            FramedTransport t = setup.get(10, TimeUnit.SECONDS);
            r.frame(1, 1, 1, 3, new byte[] {1, 2, 3});
            assertThat(t.receive(1)).containsExactly(1, 2, 3);
            r.frame(1, 3, 2, 1, new byte[] {4});
            assertThatThrownBy(() -> t.receive(1)).isInstanceOf(PeerFailure.class)
                    .hasMessageContaining("out-of-sequence frame (got #3, expected #2)");
            t.abort(PeerFailure.lost(1, "test over"));
        }
    }

    @Test
    void aConnectorRefusesAServerWithTheWrongCertificateAtOnce() {
        TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1), impostor = TlsIdentity.generate(0);
        TlsNetwork.Listener l0 = TlsNetwork.listen(0, "127.0.0.1", 0);
        TlsNetwork.Listener l1 = TlsNetwork.listen(1, "127.0.0.1", 0);
        // the impostor listens where P1 expects P0
        var fake = start(0, impostor, Map.of(1, peer(1, 1, p1)), l0, QUICK.withConnectTimeout(Duration.ofSeconds(3)));
        long t0 = System.nanoTime();
        Throwable e = catchThrowable(() -> TlsNetwork.connect(1, p1, Map.of(0, peer(0, l0.port(), p0)), l1, QUICK, false));
        assertThat(e).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("is not P0")
                .hasMessageContaining("not the pinned certificate of P0");
        assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY);
        // permanent: reported without waiting for the connect timeout to run out
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(9));
        assertThat(catchThrowable(fake::join)).hasRootCauseInstanceOf(PeerFailure.class);
    }

    @Test
    void aServerRefusingOurCertificateIsReportedAtOnce() {
        TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1), stranger = TlsIdentity.generate(1);
        TlsNetwork.Listener l0 = TlsNetwork.listen(0, "127.0.0.1", 0);
        TlsNetwork.Listener l1 = TlsNetwork.listen(1, "127.0.0.1", 0);
        var p0Setup = start(0, p0, Map.of(1, peer(1, 1, p1)), l0, QUICK.withConnectTimeout(Duration.ofSeconds(3)));
        Throwable e = catchThrowable(() ->
                TlsNetwork.connect(1, stranger, Map.of(0, peer(0, l0.port(), p0)), l1, QUICK, false));
        assertThat(e).isInstanceOf(SecureNnException.class).hasMessageContaining("refused the certificate of P1");
        assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY);
        Throwable p0Error = catchThrowable(p0Setup::join);
        assertThat(p0Error).hasRootCauseInstanceOf(PeerFailure.class);
        assertThat(p0Error.getCause()).hasMessage("P1 did not connect to P0 within 3 s (is it running, with the same cluster config?)");
    }

    @Test
    void partiesMayStartInAnyOrder() throws Exception {
        TlsIdentity[] id = {TlsIdentity.generate(0), TlsIdentity.generate(1), TlsIdentity.generate(2)};
        // P0's port is bound from the start (no other program can take it meanwhile), but P0 comes up only after
        // P1 and P2 have dialled it in vain: the test takes their first attempts and drops them, as a host where
        // no party serves yet would, and hands the same socket to P0 afterwards
        try (ServerSocketChannel port0 = ServerSocketChannel.open()) {
            port0.bind(new InetSocketAddress("127.0.0.1", 0), 16);
            TlsNetwork.Listener l1 = TlsNetwork.listen(1, "127.0.0.1", 0);
            Map<Integer, TlsNetwork.Peer> all = Map.of(0, peer(0, port0.socket().getLocalPort(), id[0]),
                    1, peer(1, l1.port(), id[1]), 2, peer(2, 1, id[2]));
            var f2 = start(2, id[2], without(all, 2), null, QUICK);
            var f1 = start(1, id[1], without(all, 1), l1, QUICK);
            port0.socket().setSoTimeout(20_000);
            for (int dropped = 0; dropped < 2; dropped++) port0.socket().accept().close();
            var f0 = start(0, id[0], without(all, 0), TlsNetwork.adopt(port0), QUICK);
            FramedTransport[] ts = {f0.get(20, TimeUnit.SECONDS), f1.get(20, TimeUnit.SECONDS), f2.get(20, TimeUnit.SECONDS)};
            var res = LocalCluster.run(ts, "order", "", SessionParams.defaults(), ctx -> ctx.id());
            assertThat(res.values()).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aPartyThatNeverComesIsNamed() throws Exception {
        TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1), p2 = TlsIdentity.generate(2);
        TlsNetwork.Listener l1 = TlsNetwork.listen(1, "127.0.0.1", 0);
        // P0's port: held by a bound socket that never listens, so dialling it is refused and no other program
        // can start listening there during the test
        try (SocketChannel gone = SocketChannel.open()) {
            gone.bind(new InetSocketAddress("127.0.0.1", 0));
            int deadPort = ((InetSocketAddress) gone.getLocalAddress()).getPort();
            Throwable e = catchThrowable(() -> TlsNetwork.connect(1, p1,
                    Map.of(0, peer(0, deadPort, p0), 2, peer(2, 1, p2)), l1, QUICK.withConnectTimeout(Duration.ofSeconds(2)),
                    false));
            assertThat(e).isInstanceOf(PeerFailure.class).hasMessageStartingWith("cannot reach P0 at 127.0.0.1:" + deadPort
                    + " within 2 s (connection refused; is it running");
            assertThat(((PeerFailure) e).lostParty()).isZero();
        }
    }

    private static Map<Integer, TlsNetwork.Peer> without(Map<Integer, TlsNetwork.Peer> all, int self) {
        Map<Integer, TlsNetwork.Peer> m = new HashMap<>(all);
        m.remove(self);
        return m;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
