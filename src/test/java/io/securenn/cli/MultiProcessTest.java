package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each party its own OS process, over TLS on loopback, driven through the real command line. */
@Timeout(180)
class MultiProcessTest {

    @TempDir
    Path dir;

    private Processes procs;
    private Path config;
    private Path a, b;

    @BeforeEach
    void setUp() throws IOException {
        a = dir.resolve("A.csv");
        b = dir.resolve("B.csv");
        Files.writeString(a, "1,2,3\n4,5,6\n");
        Files.writeString(b, "0.5,-1\n1,2\n-0.25,0.125\n");
    }

    @AfterEach
    void tearDown() {
        if (procs != null) procs.close();
    }

    /**
     * Runs the scenario with fresh keys and a cluster config for three parties on 127.0.0.1, on ports that were
     * free a moment ago (the config must name them before any party listens); when a party finds its port taken
     * by another program meanwhile, the processes are stopped and the scenario runs again on new ports.
     */
    private void withCluster(Ports.Scenario scenario) throws Exception {
        Ports.fixedInAdvance(3, port -> {
            if (procs != null) procs.close();
            procs = new Processes(dir);
            Files.deleteIfExists(dir.resolve("R.csv"));
            Files.deleteIfExists(dir.resolve("r.json"));
            CliRun k = CliRun.of("keys", "--out", dir.resolve("keys").toString(), "--force", "--hosts",
                    "127.0.0.1:" + port[0] + ",127.0.0.1:" + port[1] + ",127.0.0.1:" + port[2]);
            assertThat(k.exit()).as(k.toString()).isZero();
            config = dir.resolve("keys/cluster.properties");
            try {
                scenario.run(port);
            } catch (Exception | AssertionError e) {
                procs.addPortTakenLines(e);
                throw e;
            }
        });
    }

    /** Party n of the matmul; the idle timeout is short only where a test waits for a failure. */
    private Processes.Proc party(int n) throws IOException {
        return party(n, "30s");
    }

    private Processes.Proc party(int n, String idle) throws IOException {
        return procs.securenn(partyArgs(n, idle).toArray(String[]::new));
    }

    private List<String> partyArgs(int n, String idle) {
        List<String> args = new java.util.ArrayList<>(List.of("op", "matmul", "--party", String.valueOf(n),
                "--config", config.toString(), "--idle-timeout", idle, "--connect-timeout", "60s"));
        if (n == 0) args.addAll(List.of("--in", a.toString(), "--in2", b.toString(), "--out", dir.resolve("R.csv").toString(),
                "--json", dir.resolve("r.json").toString()));
        return args;
    }

    private static final Duration EXIT = Duration.ofSeconds(90);
    /** The test logging configuration shows warnings only; these tests read INFO lines too. */
    private static final String INFO_LOGS = "-DTEST_LOG_LEVEL=INFO";

    @Test
    void threeProcessesCompleteAMatmul() throws Exception {
        withCluster(port -> {
            var p2 = party(2);
            var p1 = party(1);
            var p0 = party(0);
            assertThat(p0.exit(EXIT)).as(p0.stderr()).isZero();
            assertThat(p1.exit(EXIT)).as(p1.stderr()).isZero();
            assertThat(p2.exit(EXIT)).as(p2.stderr()).isZero();
            // [1 2 3; 4 5 6] · [0.5 -1; 1 2; -0.25 0.125] = [1.75 3.375; 5.5 6.75], exact in fixed point
            assertThat(Files.readString(dir.resolve("R.csv"))).isEqualTo("1.75,3.375\n5.5,6.75\n");
            assertThat(p0.stdout()).contains("one process per party over TLS").contains("documented cost: 224 bytes (matches)");
            assertThat(Files.readString(dir.resolve("r.json")))
                    .contains("\"bytes\": {\"P0\": 96, \"P1\": 96, \"P2\": 32}").contains("\"rounds\": 1");
            assertThat(p1.stdout()).contains("P1 sent 96 bytes in the protocol");
            assertThat(p2.stdout()).contains("P2 sent 32 bytes in the protocol");
            assertThat(FixedPoint.parseExact("1.75")).isEqualTo(14336);
        });
    }

    @Test
    void partiesOnDifferentTlsProvidersWorkTogetherAndOneWithoutBoringSslFallsBack() throws Exception {
        withCluster(port -> {
            // P0 on BoringSSL, P1 on the JDK's TLS, P2 left to choose where netty-tcnative is switched off: it falls
            // back to the JDK's TLS and says so once
            var p2 = procs.javaWith(List.of(INFO_LOGS, "-Dio.netty.handler.ssl.noOpenSsl=true"), "io.securenn.cli.Main",
                    partyArgs(2, "30s").toArray(String[]::new));
            List<String> a1 = partyArgs(1, "30s");
            a1.addAll(List.of("--tls-provider", "jdk"));
            var p1 = procs.javaWith(List.of(INFO_LOGS), "io.securenn.cli.Main", a1.toArray(String[]::new));
            List<String> a0 = partyArgs(0, "30s");
            a0.addAll(List.of("--tls-provider", "boringssl"));
            var p0 = procs.javaWith(List.of(INFO_LOGS), "io.securenn.cli.Main", a0.toArray(String[]::new));
            assertThat(p0.exit(EXIT)).as(p0.stderr()).isZero();
            assertThat(p1.exit(EXIT)).as(p1.stderr()).isZero();
            assertThat(p2.exit(EXIT)).as(p2.stderr()).isZero();
            assertThat(Files.readString(dir.resolve("R.csv"))).isEqualTo("1.75,3.375\n5.5,6.75\n");
            assertThat(p0.stderr()).contains("P0: connected to P1, P2 over TLSv1.3 (BoringSSL, ");
            assertThat(p1.stderr()).contains("P1: connected to P0, P2 over TLSv1.3 (JDK, ");
            assertThat(p2.stderr()).contains("P2: connected to P0, P1 over TLSv1.3 (JDK, ");
            List<String> fallback = p2.stderr().lines().filter(l -> l.contains("BoringSSL is not available here")).toList();
            assertThat(fallback).as(p2.stderr()).containsExactly("[test log] INFO TlsEngines: BoringSSL is not available here "
                    + "(UnsupportedOperationException: OpenSSL was explicit disabled with -Dio.netty.handler.ssl.noOpenSsl=true): "
                    + "using the JDK's TLS (slower)");
            assertThat(p0.stderr() + p1.stderr()).doesNotContain("not available");
        });
    }

    @Test
    void plainTcpCarriesOnlyTheBenchmarkPartiesAndOnlyWithConsent() throws Exception {
        withCluster(port -> {
            // a computing command refuses plain TCP, with consent or without: the pair keys would travel in clear
            for (boolean consent : new boolean[] {false, true}) {
                List<String> args = partyArgs(0, "30s");
                args.addAll(List.of("--tls-provider", "none"));
                if (consent) args.add("--insecure-plain-tcp");
                CliRun refused = CliRun.of(args.toArray(String[]::new));
                assertThat(refused.exit()).as(refused.toString()).isEqualTo(SecureNnException.Kind.USAGE.exitCode);
                assertThat(refused.errorLine()).isEqualTo("securenn: error: --tls-provider none (plain TCP) would send "
                        + "the pair keys and every share unencrypted: 'securenn op' refuses it, only the benchmark "
                        + "commands (bench networks) run without TLS");
            }
            // the party processes of bench networks: refused without consent, with it they run over plain TCP
            CliRun noConsent = CliRun.of(workerArgs(0, false));
            assertThat(noConsent.exit()).as(noConsent.toString()).isEqualTo(SecureNnException.Kind.USAGE.exitCode);
            assertThat(noConsent.errorLine()).startsWith("securenn: error: --tls-provider none is plain TCP")
                    .endsWith("needs --insecure-plain-tcp as well");
            List<Processes.Proc> ps = new java.util.ArrayList<>();
            for (int p : new int[] {2, 1, 0}) ps.add(procs.javaWith(List.of(INFO_LOGS), "io.securenn.cli.Main", workerArgs(p, true)));
            for (var p : ps) assertThat(p.exit(EXIT)).as(p.stderr()).isZero();
            for (int p = 0; p < 3; p++) assertThat(dir.resolve("w" + p + ".json")).isNotEmptyFile();
            assertThat(ps.get(2).stderr()).contains("INSECURE plain TCP").contains("over plain TCP (INSECURE");
        });
    }

    /** A party of bench networks' smallest row (as its coordinator starts it), on plain TCP. */
    private String[] workerArgs(int n, boolean consent) throws IOException {
        Files.deleteIfExists(dir.resolve("w" + n + ".json"));
        List<String> args = new java.util.ArrayList<>(List.of("bench", "worker", "--party", String.valueOf(n),
                "--config", config.toString(), "--case", "A:inference:1", "--warmup", "0", "--runs", "1",
                "--idle-timeout", "30s", "--connect-timeout", "60s", "--tls-provider", "none",
                "--result", dir.resolve("w" + n + ".json").toString()));
        if (consent) args.add("--insecure-plain-tcp");
        return args.toArray(String[]::new);
    }

    @Test
    void aPartyWithTheCertificateOfAnotherPartyIsRefusedAndTheRealOneStillGetsIn() throws Exception {
        withCluster(port -> {
            // the impostor runs as P2 but holds P1's key and presents P1's certificate; its config points it at P0
            // only (P1's address is a closed port, so it keeps retrying there while P0 judges it)
            Path keys = dir.resolve("keys");
            assertThat(CliRun.of("keys", "--party", "1", "--out", dir.resolve("rogue").toString(), "--force").exit()).isZero();
            // P1's address in the impostor's config: a port held by a socket that never listens (dialling it is
            // refused, and no other program can listen there meanwhile)
            try (SocketChannel closedPort = SocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                int closed = ((InetSocketAddress) closedPort.getLocalAddress()).getPort();
                String cfg = Files.readString(config)
                        .replaceAll("party\\.1\\.address = .*", "party.1.address = 127.0.0.1:" + closed)
                        .replace("party.1.cert = p1.crt", "party.1.cert = " + dir.resolve("rogue/p1.crt"))
                        .replace("party.2.cert = p2.crt", "party.2.cert = p1.crt")
                        .replace("party.2.key = p2.key", "party.2.key = p1.key");
                Files.writeString(keys.resolve("impostor.properties"), cfg);
                var p0 = party(0);
                var p1 = party(1);
                var impostor = procs.securenn("op", "matmul", "--party", "2", "--config",
                        keys.resolve("impostor.properties").toString(), "--connect-timeout", "60s");
                assertThat(impostor.exit(EXIT)).as(impostor.stderr()).isEqualTo(SecureNnException.Kind.TLS_IDENTITY.exitCode);
                assertThat(impostor.stderr()).contains("securenn: error: P0 at 127.0.0.1:")
                        .contains("refused P2: it pins this party's certificate for another party");
                assertThat(p0.process().isAlive()).isTrue();
                var p2 = party(2);
                assertThat(p0.exit(EXIT)).as(p0.stderr()).isZero();
                assertThat(p1.exit(EXIT)).as(p1.stderr()).isZero();
                assertThat(p2.exit(EXIT)).as(p2.stderr()).isZero();
                assertThat(p0.stderr()).contains("P0: refused a connection from")
                        .contains("it presented the certificate of P1 but claims to be P2");
                assertThat(Files.readString(dir.resolve("R.csv"))).isEqualTo("1.75,3.375\n5.5,6.75\n");
            }
        });
    }

    @Test
    void killingAPartyMakesBothOthersExitNamingIt() throws Exception {
        withCluster(port -> {
            var p2 = procs.java("io.securenn.cli.IdleParty", "2", config.toString(), "3000");
            var p0 = party(0, "3s");
            var p1 = party(1, "3s");
            // READY: P2 has its pair keys, which P0 and P1 send only once they have checked every party's job
            // hash, so both are past the session set-up; from here on only P1 waits for P2 (its share of the
            // triple), and neither can finish the product without it, whenever P2 dies
            p2.awaitOutput("READY", Duration.ofSeconds(60));
            p2.process().destroyForcibly();
            for (var p : List.of(p0, p1)) {
                assertThat(p.exit(Duration.ofSeconds(30))).as(p.stderr()).isEqualTo(SecureNnException.Kind.PEER_LOST.exitCode);
                List<String> errors = p.stderr().lines().filter(l -> l.startsWith("securenn: error:")).toList();
                assertThat(errors).as(p.stderr()).hasSize(1);
                assertThat(errors.get(0)).startsWith("securenn: error: lost peer P2: ");
            }
            assertThat(dir.resolve("R.csv")).doesNotExist();
        });
    }

    @Test
    void aFrozenPartyIsLostAfterTheIdleTimeout() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux") && Files.isExecutable(Path.of("/bin/kill")),
                "needs kill -STOP (Linux)");
        withCluster(port -> {
            var p2 = procs.java("io.securenn.cli.IdleParty", "2", config.toString(), "3000");
            var p0 = party(0, "3s");
            var p1 = party(1, "3s");
            p2.awaitOutput("READY", Duration.ofSeconds(60));   // P0 and P1 are past the set-up (see above)
            Process stop = new ProcessBuilder("/bin/kill", "-STOP", String.valueOf(p2.process().pid())).start();
            assertThat(stop.waitFor()).isZero();
            try {
                for (var p : List.of(p0, p1)) {
                    assertThat(p.exit(Duration.ofSeconds(30))).as(p.stderr()).isEqualTo(SecureNnException.Kind.PEER_LOST.exitCode);
                    List<String> errors = p.stderr().lines().filter(l -> l.startsWith("securenn: error:")).toList();
                    assertThat(errors).as(p.stderr()).hasSize(1);
                    assertThat(errors.get(0)).startsWith("securenn: error: lost peer P2: ");
                }
                // the party that was waiting on P2 saw the silence itself; the other heard of it
                assertThat(p1.stderr()).contains("lost peer P2: silent for more than 3 s (idle timeout)");
            } finally {
                p2.process().destroyForcibly();
            }
        });
    }
}
