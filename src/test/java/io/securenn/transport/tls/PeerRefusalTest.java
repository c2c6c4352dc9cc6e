package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.cli.Main;
import io.securenn.testutil.Ports;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Bad-input catalogue cases at the connection level that the transport tests do not cover: an expired
 * certificate is a permanent refusal (no retrying until the connect timeout), and a peer breaking the framing
 * ends a real {@code securenn} party with exit code 5 and one line naming the peer.
 */
@Timeout(60)
@ParameterizedClass
@EnumSource(value = TlsProvider.class, names = {"JDK", "BORINGSSL"})
class PeerRefusalTest {

    @TempDir
    Path dir;

    private final TlsProvider provider;
    private final TransportOptions QUICK;

    PeerRefusalTest(TlsProvider provider) {
        this.provider = provider;
        QUICK = TransportOptions.defaults().withTls(provider)
                .withIdleTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(20));
    }

    @Test
    void aPeerWithAnExpiredCertificateIsRefusedAtOnce() {
        TlsIdentity expired = TlsIdentity.generate(0, Duration.ofMinutes(1)), p1 = TlsIdentity.generate(1);
        TlsNetwork.Listener l0 = TlsNetwork.listen(0, "127.0.0.1", 0);
        TlsNetwork.Listener l1 = TlsNetwork.listen(1, "127.0.0.1", 0);
        CompletableFuture<Object> p0 = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                p0.complete(TlsNetwork.connect(0, expired, Map.of(1, new TlsNetwork.Peer(1, "127.0.0.1", 1,
                        p1.certificate())), l0, QUICK.withConnectTimeout(Duration.ofSeconds(3)), false));
            } catch (Throwable e) {
                p0.completeExceptionally(e);
            }
        });
        long t0 = System.nanoTime();
        Throwable e = catchThrowable(() -> TlsNetwork.connect(1, p1,
                Map.of(0, new TlsNetwork.Peer(0, "127.0.0.1", l0.port(), expired.certificate())), l1, QUICK, false));
        assertThat(e).isInstanceOf(SecureNnException.class)
                .hasMessageStartingWith("P0 at 127.0.0.1:" + l0.port() + ": the certificate of P0 expired on ")
                .hasMessageContaining("make new keys");
        assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY);
        // permanent: not retried until the 20 s connect timeout runs out
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(15));
        catchThrowable(p0::join);
    }

    @Test
    void aPartyWhosePeerBreaksTheFramingExitsWithCode5() throws Exception {
        // P0 runs the real command with a config, which names the ports before anyone listens: again on new
        // ports if one was taken meanwhile
        Ports.fixedInAdvance(3, ports -> {
            String hosts = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            assertThat(Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "keys",
                    "--out", dir.toString(), "--force", "--hosts", hosts)).isZero();
            Path a = Files.writeString(dir.resolve("a.csv"), "1\n");
            StringWriter err = new StringWriter();
            CompletableFuture<Integer> p0 = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> p0.complete(Main.execute(new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true), "op", "mul", "--party", "0", "--config",
                    dir.resolve("cluster.properties").toString(), "--in", a.toString(), "--in2", a.toString(), "--out",
                    dir.resolve("o.csv").toString(), "--connect-timeout", "20s", "--tls-provider", provider.cliName())));
            TlsIdentity p1 = identity(1), p2 = identity(2);
            var p0cert = Pem.readCertificate(dir.resolve("p0.crt"), "P0");
            try (RawPeer r1 = connectWhenUp(ports[0], p1, p0cert, 1, p0, err);
                 RawPeer r2 = connectWhenUp(ports[0], p2, p0cert, 2, p0, err)) {
                assertThat(r1.status()).isZero();
                assertThat(r2.status()).isZero();
                r1.frame(9, 1, 1, 0, new byte[0]); // a frame of unknown type instead of the session hash
                int code = p0.get(30, TimeUnit.SECONDS);
                assertThat(code).as(err.toString()).isEqualTo(SecureNnException.Kind.PEER_MISBEHAVED.exitCode);
                assertThat(err.toString().strip()).isEqualTo("securenn: error: peer P1 misbehaved: frame of unknown type 9");
            }
            assertThat(dir.resolve("o.csv")).doesNotExist();
        });
    }

    private TlsIdentity identity(int p) {
        return new TlsIdentity(Pem.readPrivateKey(dir.resolve("p" + p + ".key"), "key"),
                Pem.readCertificate(dir.resolve("p" + p + ".crt"), "cert"));
    }

    /** Dials like a party: retries while the listener is not up yet; gives up (with P0's error) if P0 has ended. */
    private static RawPeer connectWhenUp(int port, TlsIdentity me, java.security.cert.X509Certificate server, int claimed,
                                         CompletableFuture<Integer> p0, StringWriter p0Err) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return RawPeer.connect(port, me, server, 0, claimed);
            } catch (java.io.IOException e) {
                // not P0 at that port (another program took it before P0 could listen: P0 ends, naming it)
                if (!(e instanceof java.net.ConnectException)) {
                    try {
                        p0.get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        throw e;
                    }
                }
                if (p0.isDone()) throw new AssertionError("P0 ended with code " + p0.join() + ": " + p0Err, e);
                if (System.nanoTime() > until) throw e;
                Thread.sleep(50);
            }
        }
    }
}
