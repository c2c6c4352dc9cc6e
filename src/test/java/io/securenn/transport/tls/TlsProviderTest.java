package io.securenn.transport.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.securenn.SecureNnException;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Await;
import io.securenn.testutil.Seeded;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.securenn.transport.TlsProvider.BORINGSSL;
import static io.securenn.transport.TlsProvider.JDK;
import static io.securenn.transport.TlsProvider.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Choosing the TLS provider (option, system property, fallback), parties on different providers working together,
 * refusals across providers, and plain TCP: refused without consent, and refused by (and refusing) TLS parties.
 */
@Timeout(60)
class TlsProviderTest {

    private static final TransportOptions QUICK = TransportOptions.defaults()
            .withIdleTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(10));

    // ---- selection

    @Test
    void boringSslLoadsOnThisPlatform() {
        // the build ships the linux-x86_64 native library; elsewhere the fallback below applies
        boolean shipped = System.getProperty("os.name").toLowerCase().contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        assertThat(BoringSsl.available()).as(BoringSsl.unavailability()).isEqualTo(shipped);
        if (shipped) assertThat(TlsEngines.choose(TlsProvider.AUTO, null, BoringSsl::available).provider()).isEqualTo(BORINGSSL);
    }

    @Test
    void autoTakesThePropertyThenTheFastestThatLoads() {
        assertThat(TlsEngines.choose(TlsProvider.AUTO, null, () -> true)).isEqualTo(new TlsEngines.Choice(BORINGSSL, false));
        assertThat(TlsEngines.choose(TlsProvider.AUTO, "", () -> true)).isEqualTo(new TlsEngines.Choice(BORINGSSL, false));
        assertThat(TlsEngines.choose(TlsProvider.AUTO, "jdk", () -> true)).isEqualTo(new TlsEngines.Choice(JDK, false));
        assertThat(TlsEngines.choose(TlsProvider.AUTO, " BoringSSL ", () -> true)).isEqualTo(new TlsEngines.Choice(BORINGSSL, false));
        assertThat(TlsEngines.choose(TlsProvider.AUTO, "none", () -> true)).isEqualTo(new TlsEngines.Choice(NONE, false));
        // an explicit choice wins over the property
        assertThat(TlsEngines.choose(JDK, "boringssl", () -> true)).isEqualTo(new TlsEngines.Choice(JDK, false));
        assertThat(TlsEngines.choose(BORINGSSL, "jdk", () -> true)).isEqualTo(new TlsEngines.Choice(BORINGSSL, false));
    }

    @Test
    void withoutBoringSslAutoFallsBackToTheJdkAndAnExplicitChoiceIsRefused() {
        assertThat(TlsEngines.choose(TlsProvider.AUTO, null, () -> false)).isEqualTo(new TlsEngines.Choice(JDK, true));
        assertThat(TlsEngines.choose(TlsProvider.AUTO, "jdk", () -> false)).isEqualTo(new TlsEngines.Choice(JDK, false));
        for (var c : List.of(new Object[] {BORINGSSL, null}, new Object[] {TlsProvider.AUTO, "boringssl"})) {
            Throwable e = catchThrowable(() -> TlsEngines.choose((TlsProvider) c[0], (String) c[1], () -> false));
            assertThat(e).isInstanceOf(SecureNnException.class)
                    .hasMessageStartingWith("the BoringSSL TLS provider is not available here")
                    .hasMessageEndingWith(": use --tls-provider jdk");
            assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.USAGE);
        }
    }

    @Test
    void tlsErrorsReadAsOneShortReason() {
        assertThat(TlsLink.tlsReason("io.netty.handler.ssl.ReferenceCountedOpenSslEngine$OpenSslException: "
                + "error:10000104:SSL routines:OPENSSL_internal:TOO_MANY_KEY_UPDATES")).isEqualTo("too_many_key_updates");
        assertThat(TlsLink.tlsReason("error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE"))
                .isEqualTo("received fatal alert: bad_certificate");
        assertThat(TlsLink.tlsReason("(certificate_unknown) Received fatal alert: certificate_unknown"))
                .isEqualTo("(certificate_unknown) Received fatal alert: certificate_unknown");
        assertThat(TlsLink.describe(new java.io.IOException("Broken pipe"))).isEqualTo("broken pipe");
        assertThat(TlsLink.describe(new java.nio.channels.AsynchronousCloseException())).isEqualTo("connection closed");
        assertThat(TlsLink.describe(new javax.net.ssl.SSLException("not an SSL/TLS record"))).isEqualTo("TLS error: not an SSL/TLS record");
    }

    @Test
    void theJdkKeyLimitIsReadFromItsProperty() {
        assertThat(TlsEngines.keyLimit(null)).isEqualTo(1L << 37);
        assertThat(TlsEngines.keyLimit("AES/GCM/NoPadding KeyUpdate 2^37, ChaCha20-Poly1305 KeyUpdate 2^37")).isEqualTo(1L << 37);
        assertThat(TlsEngines.keyLimit("AES/GCM/NoPadding KeyUpdate 2^20, ChaCha20-Poly1305 KeyUpdate 1000000")).isEqualTo(1_000_000L);
        assertThat(TlsEngines.keyLimit("AES/GCM/NoPadding KeyUpdate 2^70")).isEqualTo(1L << 37);
        assertThat(TlsEngines.keyLimit("nonsense")).isEqualTo(1L << 37);
    }

    @Test
    void anUnknownProviderNameIsAUsageError() {
        Throwable e = catchThrowable(() -> TlsEngines.choose(TlsProvider.AUTO, "openssl", () -> true));
        assertThat(e).isInstanceOf(SecureNnException.class)
                .hasMessage("unknown TLS provider 'openssl' in -Dsecurenn.tls (choose boringssl, jdk, or none with --insecure-plain-tcp)");
        assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.USAGE);
    }

    // ---- mixed providers

    @Test
    void partiesOnDifferentProvidersComputeTogether() {
        // between them the two assignments cover every (client, server) pair of providers: P1→P0, P2→P0, P2→P1
        for (TlsProvider[] assign : List.of(new TlsProvider[] {BORINGSSL, JDK, BORINGSSL},
                new TlsProvider[] {JDK, BORINGSSL, JDK})) {
            Seeded s = Seeded.fromEnvOr(77);
            int m = 5, n = 7, v = 3;
            long[] x = s.longs(m * n), y = s.longs(n * v);
            long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 8192, -8192};
            System.arraycopy(edges, 0, x, 0, edges.length);
            List<String> connected;
            FramedTransport[] ts;
            try (var logs = new CapturedLog(TlsNetwork.class)) {
                ts = connectAll(assign, new TlsIdentity[] {TlsIdentity.generate(0), TlsIdentity.generate(1),
                        TlsIdentity.generate(2)}, QUICK);
                connected = logs.messages().stream().filter(l -> l.contains(": connected to P")).toList();
            }
            var res = LocalCluster.run(ts, "mixed", "", SessionParams.defaults(), ctx -> {
                long[] xs = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x : null, m * n);
                long[] ys = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? y : null, n * v);
                return Sharing.reveal(ctx, MatMul.product(ctx, xs, ys, m, n, v), Sharing.Recipient.P0);
            });
            assertThat(res.of(0)).as(s.msg("product, providers " + List.of(assign)))
                    .containsExactly(MatrixOps.multiplyNaive(x, y, m, n, v));
            // each party really ran its own provider
            for (int p = 0; p < 3; p++) {
                String expect = "P" + p + ": connected to P", name = "TLSv1.3 (" + (assign[p] == BORINGSSL ? "BoringSSL" : "JDK") + ", ";
                assertThat(connected).anyMatch(l -> l.startsWith(expect) && l.contains(name));
            }
        }
    }

    @Test
    void aWrongPinnedCertificateIsRefusedAcrossProviders() {
        List<CompletableFuture<FramedTransport>> background = new java.util.ArrayList<>();
        for (TlsProvider[] pair : List.of(new TlsProvider[] {BORINGSSL, JDK}, new TlsProvider[] {JDK, BORINGSSL})) {
            TlsProvider client = pair[0], server = pair[1];
            // an impostor (server's provider) listens where the client (client's provider) expects P0
            TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1), impostor = TlsIdentity.generate(0);
            TlsNetwork.Listener l0 = TlsNetwork.listen(0, "127.0.0.1", 0), l1 = TlsNetwork.listen(1, "127.0.0.1", 0);
            var fake = start(0, impostor, Map.of(1, peer(1, 1, p1)), l0, QUICK.withTls(server).withConnectTimeout(Duration.ofSeconds(3)));
            Throwable e = catchThrowable(() -> TlsNetwork.connect(1, p1, Map.of(0, peer(0, l0.port(), p0)), l1,
                    QUICK.withTls(client), false));
            assertThat(e).as("client %s, server %s", client, server).isInstanceOf(SecureNnException.class)
                    .hasMessageContaining("is not P0").hasMessageContaining("not the pinned certificate of P0");
            assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY);
            background.add(fake);

            // and the other way round: a server (server's provider) refuses a client certificate it does not pin
            TlsIdentity stranger = TlsIdentity.generate(1);
            TlsNetwork.Listener m0 = TlsNetwork.listen(0, "127.0.0.1", 0), m1 = TlsNetwork.listen(1, "127.0.0.1", 0);
            var p0Setup = start(0, p0, Map.of(1, peer(1, 1, p1)), m0, QUICK.withTls(server).withConnectTimeout(Duration.ofSeconds(3)));
            Throwable r = catchThrowable(() -> TlsNetwork.connect(1, stranger, Map.of(0, peer(0, m0.port(), p0)), m1,
                    QUICK.withTls(client), false));
            assertThat(r).as("client %s, server %s", client, server).isInstanceOf(SecureNnException.class)
                    .hasMessageContaining("refused the certificate of P1");
            assertThat(((SecureNnException) r).kind()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY);
            background.add(p0Setup);
        }
        // the listening sides give up on their own (their peers never complete): wait for them together
        for (var b : background) assertThat(catchThrowable(b::join)).hasRootCauseInstanceOf(PeerFailure.class);
    }

    // ---- key updates

    @Test
    @Timeout(330)
    void keyUpdatesDoNotBreakLinksBetweenProviders() throws Exception {
        // a JDK of its own, so that the JDK's key-usage limit can be set to 1 MiB before TLS reads it; 16 MiB each
        // way per pair then takes every link through many TLS 1.3 key updates. (Left to itself the JDK asked for a
        // key update on every record past its limit and BoringSSL hung up after 32 in a row.)
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String javaCmd = ProcessHandle.current().info().command().orElseThrow();
        java.nio.file.Path out = java.nio.file.Files.createTempFile("securenn-keyupdate", ".log");
        try {
            Process p = new ProcessBuilder(javaCmd, "--enable-native-access=ALL-UNNAMED", "-Djavax.net.debug=ssl:handshake",
                    "-cp", cp, KeyUpdateRun.class.getName(), "boringssl,jdk,boringssl", "jdk,boringssl,jdk", "jdk,jdk,jdk")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {   // 48 MiB through TLS with handshake logging: seconds alone, minutes on a loaded machine
                p.destroyForcibly();
                throw new AssertionError("the key-update run did not finish in time");
            }
            List<String> lines = java.nio.file.Files.readAllLines(out);
            assertThat(lines).as(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())))
                    .contains("ok boringssl,jdk,boringssl", "ok jdk,boringssl,jdk", "ok jdk,jdk,jdk");
            assertThat(p.exitValue()).isZero();
            // the JDK parties asked for key updates and their peers (JDK at once, BoringSSL lazily) answered
            long asked = lines.stream().filter(l -> l.contains("\"request_update\": update_requested")).count();
            long answered = lines.stream().filter(l -> l.contains("\"request_update\": update_not_requested")).count();
            assertThat(asked).isGreaterThanOrEqualTo(3 * 16);
            assertThat(answered).isPositive();
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    // ---- a dropped peer under BoringSSL

    @Test
    void aPeerThatDropsItsConnectionsIsNamedUnderBoringSsl() throws Exception {
        FramedTransport[] ts = connectAll(new TlsProvider[] {BORINGSSL, BORINGSSL, BORINGSSL},
                new TlsIdentity[] {TlsIdentity.generate(0), TlsIdentity.generate(1), TlsIdentity.generate(2)}, QUICK);
        // P2 vanishes without BYE or ABORT while P0 and P1 wait for it
        PeerFailure[] seen = new PeerFailure[2];
        Thread[] waiting = new Thread[2];
        for (int p = 0; p < 2; p++) {
            int me = p;
            waiting[p] = Thread.ofPlatform().start(() -> {
                try {
                    ts[me].receive(2);
                } catch (PeerFailure f) {
                    seen[me] = f;
                }
            });
        }
        for (Thread t : waiting) Await.blockedIn(t, FramedTransport.class, "receive", Duration.ofSeconds(20));
        ts[2].abortWithoutNotice();
        for (Thread t : waiting) t.join(20_000);
        for (int p = 0; p < 2; p++) {
            assertThat(seen[p]).as("P%d's failure", p).isNotNull();
            assertThat(seen[p].lostParty()).isEqualTo(2);
            assertThat(seen[p].kind()).isEqualTo(SecureNnException.Kind.PEER_LOST);
            assertThat(seen[p].getMessage()).startsWith("lost peer P2");
        }
        for (int p = 0; p < 2; p++) ts[p].abort(seen[p]);
        TlsTransportTest.assertNoTransportThreadsLeft();
    }

    // ---- plain TCP (benchmarks only)

    @Test
    void plainTcpIsRefusedWithoutConsent() {
        TlsNetwork.Listener l = TlsNetwork.listen(0, "127.0.0.1", 0);
        TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1);
        Throwable e = catchThrowable(() -> TlsNetwork.connect(0, p0, Map.of(1, peer(1, 1, p1)), l, QUICK.withTls(NONE), false));
        assertThat(e).isInstanceOf(SecureNnException.class).hasMessageContaining("benchmarks only")
                .hasMessageContaining("--insecure-plain-tcp");
        assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.USAGE);
        // the system property alone does not consent either
        String before = System.getProperty(TlsProvider.PROPERTY);
        System.setProperty(TlsProvider.PROPERTY, "none");
        try {
            TlsNetwork.Listener l2 = TlsNetwork.listen(0, "127.0.0.1", 0);
            assertThatThrownBy(() -> TlsNetwork.connect(0, p0, Map.of(1, peer(1, 1, p1)), l2, QUICK, false))
                    .isInstanceOf(SecureNnException.class).hasMessageContaining("--insecure-plain-tcp");
        } finally {
            if (before == null) System.clearProperty(TlsProvider.PROPERTY);
            else System.setProperty(TlsProvider.PROPERTY, before);
        }
    }

    @Test
    void plainTcpWithConsentComputesAndCountsItsWireBytes() {
        TransportOptions plain = QUICK.withTls(NONE).withInsecurePlainTcp(true);
        FramedTransport[] ts = connectAll(new TlsProvider[] {NONE, NONE, NONE},
                new TlsIdentity[] {TlsIdentity.generate(0), TlsIdentity.generate(1), TlsIdentity.generate(2)}, plain);
        var res = LocalCluster.run(ts, "plain", "", SessionParams.defaults(), ctx -> {
            long[][] r = new long[3][];
            for (int p = 0; p < 3; p++) if (p != ctx.id()) r[p] = ctx.pair(p).longs(4);
            return r;
        });
        // the pair keys went over the plain links: both ends of each pair draw the same stream
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) assertThat(res.of(a)[b]).as("P%d-P%d", a, b).containsExactly(res.of(b)[a]);
        }
        for (FramedTransport t : ts) assertThat(t.wireBytes()).isPositive();
    }

    @Test
    void plainAndTlsPartiesRefuseEachOtherAndSaySo() {
        List<CompletableFuture<FramedTransport>> background = new java.util.ArrayList<>();
        TransportOptions plain = QUICK.withTls(NONE).withInsecurePlainTcp(true);
        for (TlsProvider tls : List.of(BORINGSSL, JDK)) {
            TlsIdentity p0 = TlsIdentity.generate(0), p1 = TlsIdentity.generate(1);
            // a TLS connector meets a plain acceptor
            TlsNetwork.Listener a0 = TlsNetwork.listen(0, "127.0.0.1", 0), a1 = TlsNetwork.listen(1, "127.0.0.1", 0);
            var plainP0 = start(0, p0, Map.of(1, peer(1, 1, p1)), a0, plain.withConnectTimeout(Duration.ofSeconds(3)));
            long t0 = System.nanoTime();
            Throwable e = catchThrowable(() -> TlsNetwork.connect(1, p1, Map.of(0, peer(0, a0.port(), p0)), a1,
                    QUICK.withTls(tls), false));
            assertThat(e).as(tls.name()).isInstanceOf(SecureNnException.class)
                    .hasMessage("P0 at 127.0.0.1:" + a0.port() + " runs without TLS (--tls-provider none) and this party "
                            + "with TLS: start every party with the same --tls-provider");
            assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY);
            assertThat(System.nanoTime() - t0).as("refused at once").isLessThan(TimeUnit.SECONDS.toNanos(9));
            background.add(plainP0);

            // a plain connector meets a TLS acceptor
            TlsNetwork.Listener b0 = TlsNetwork.listen(0, "127.0.0.1", 0), b1 = TlsNetwork.listen(1, "127.0.0.1", 0);
            var tlsP0 = start(0, p0, Map.of(1, peer(1, 1, p1)), b0, QUICK.withTls(tls).withConnectTimeout(Duration.ofSeconds(3)));
            Throwable f = catchThrowable(() -> TlsNetwork.connect(1, p1, Map.of(0, peer(0, b0.port(), p0)), b1, plain, false));
            assertThat(f).as(tls.name()).isInstanceOf(SecureNnException.class)
                    .hasMessage("P0 at 127.0.0.1:" + b0.port() + " speaks TLS and this party runs without TLS "
                            + "(--tls-provider none): start every party with the same --tls-provider");
            background.add(tlsP0);
        }
        for (var b : background) assertThat(catchThrowable(b::join)).hasRootCauseInstanceOf(PeerFailure.class);
    }

    // ---- helpers

    private static TlsNetwork.Peer peer(int id, int port, TlsIdentity ident) {
        return new TlsNetwork.Peer(id, "127.0.0.1", port, ident.certificate());
    }

    private static CompletableFuture<FramedTransport> start(int self, TlsIdentity me, Map<Integer, TlsNetwork.Peer> peers,
                                                            TlsNetwork.Listener l, TransportOptions o) {
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

    /** The three parties connected, party p on provider assign[p] (options o otherwise). */
    private static FramedTransport[] connectAll(TlsProvider[] assign, TlsIdentity[] id, TransportOptions o) {
        TlsNetwork.Listener[] l = {TlsNetwork.listen(0, "127.0.0.1", 0), TlsNetwork.listen(1, "127.0.0.1", 0), null};
        Map<Integer, TlsNetwork.Peer> all = Map.of(0, peer(0, l[0].port(), id[0]), 1, peer(1, l[1].port(), id[1]),
                2, peer(2, 1, id[2]));
        List<CompletableFuture<FramedTransport>> fs = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Map<Integer, TlsNetwork.Peer> peers = new HashMap<>(all);
            peers.remove(p);
            fs.add(start(p, id[p], peers, l[p], o.withTls(assign[p])));
        }
        FramedTransport[] ts = new FramedTransport[3];
        for (int p = 0; p < 3; p++) ts[p] = fs.get(p).join();
        return ts;
    }

    /** The messages one logger emits (at DEBUG and above) while open. */
    static final class CapturedLog implements AutoCloseable {
        private final Logger logger;
        private final Level before;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        CapturedLog(Class<?> of) {
            logger = (Logger) LoggerFactory.getLogger(of);
            before = logger.getLevel();
            logger.setLevel(Level.DEBUG);
            appender.start();
            logger.addAppender(appender);
        }

        synchronized List<String> messages() {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
    }
}
