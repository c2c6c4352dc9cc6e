package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.testutil.Ports;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.TlsIdentity;
import io.securenn.transport.tls.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class KeysAndConfigTest {

    @TempDir
    Path dir;

    @Test
    void keysMakesThreeIdentitiesAndAConfigThatLoads() throws IOException {
        CliRun r = CliRun.of("keys", "--out", dir.toString(), "--hosts", "10.0.0.1:7000,h1.example:7001,[::1]:7002");
        assertThat(r.exit()).as(r.toString()).isZero();
        for (int p = 0; p < 3; p++) {
            Path key = dir.resolve("p" + p + ".key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            var id = new TlsIdentity(Pem.readPrivateKey(key, "k"), Pem.readCertificate(dir.resolve("p" + p + ".crt"), "c"));
            id.checkMatches("P" + p); // the key belongs to the certificate
            assertThat(r.out()).contains(TlsIdentity.fingerprint(id.certificate()));
        }
        ClusterConfig c = ClusterConfig.load(dir.resolve("cluster.properties"));
        assertThat(c.party(1).address().host()).isEqualTo("h1.example");
        assertThat(c.party(2).address().host()).isEqualTo("::1");
        assertThat(c.party(2).address().port()).isEqualTo(7002);
        assertThat(c.party(0).key()).isEqualTo(dir.resolve("p0.key").toAbsolutePath());
        // no temporary files left behind
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "cluster.properties", "p0.crt", "p0.key", "p1.crt", "p1.key", "p2.crt", "p2.key");
        }
        // nothing is overwritten without --force
        CliRun again = CliRun.of("keys", "--out", dir.toString(), "--hosts", "a:1,b:2,c:3");
        assertThat(again.exit()).isEqualTo(SecureNnException.Kind.BAD_INPUT.exitCode);
        assertThat(again.errorLine()).contains("p0.key already exists (use --force to replace it)");
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "a:1,b:2,c:3", "--force").exit()).isZero();
    }

    @Test
    void onePartyKeyOnlyAndAConfigThatNeedsTheOthersCertificates() throws IOException {
        CliRun r = CliRun.of("keys", "--party", "1", "--out", dir.toString(), "--hosts", "a:7000,b:7001,c:7002");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(dir.resolve("p1.key")).exists();
        assertThat(dir.resolve("p0.key")).doesNotExist();
        assertThat(dir.resolve("p2.crt")).doesNotExist();
        String cfg = Files.readString(dir.resolve("cluster.properties"));
        assertThat(cfg).contains("party.1.key = p1.key").doesNotContain("party.0.key").doesNotContain("party.2.key");
        // until the other certificates are copied in, the config names what is missing
        CliRun op = CliRun.of("op", "mul", "--party", "1", "--config", dir.resolve("cluster.properties").toString());
        assertThat(op.errorLine()).contains("certificate of P0: cannot read").contains("p0.crt: no such file");
    }

    @Test
    void keysArgumentErrors() {
        assertThat(CliRun.of("keys", "--out", dir.toString()).errorLine())
                .contains("give --hosts H0:P0,H1:P1,H2:P2");
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "a:1,b:2").errorLine())
                .contains("--hosts needs exactly three host:port values");
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "a:1,b:x,c:3").errorLine())
                .contains("--hosts (P1): port 'x' is not a number");
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "a:1,b:70000,c:3").errorLine())
                .contains("port 70000 is not in 1..65535");
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "a:1,A:1,c:3").errorLine())
                .contains("P0 and P1 have the same address a:1");
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--party", "5").errorLine())
                .contains("unknown party id 5");
    }

    /** Writes a config from lines into dir (with three real certificates beside it) and runs op as P0 with it. */
    private CliRun opWithConfig(String... lines) throws IOException {
        if (!Files.exists(dir.resolve("p0.crt"))) {
            assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3").exit())
                    .isZero();
        }
        Path cfg = dir.resolve("bad.properties");
        Files.write(cfg, List.of(lines));
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "1\n");
        return CliRun.of("op", "mul", "--party", "0", "--config", cfg.toString(), "--in", a.toString(), "--in2",
                a.toString(), "--out", dir.resolve("o.csv").toString(), "--connect-timeout", "1s");
    }

    private static final String[] GOOD = {
            "party.0.address = 127.0.0.1:1", "party.0.cert = p0.crt", "party.0.key = p0.key",
            "party.1.address = 127.0.0.1:2", "party.1.cert = p1.crt",
            "party.2.address = 127.0.0.1:3", "party.2.cert = p2.crt"};

    private static String[] with(String... replace) {
        List<String> l = new java.util.ArrayList<>(List.of(GOOD));
        for (String r : replace) {
            String key = r.substring(0, r.indexOf('=')).strip();
            l.removeIf(x -> x.startsWith(key + " "));
            if (!r.endsWith("= DROP")) l.add(r);
        }
        return l.toArray(String[]::new);
    }

    @Test
    void badConfigFilesGiveOneErrorLine() throws IOException {
        record Case(String[] lines, String expect, SecureNnException.Kind kind) {}
        List<Case> cases = List.of(
                new Case(with("party.3.address = 127.0.0.1:4"), "line 8: unknown party id 3 (parties are 0, 1 and 2)", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.1.colour = blue"), "unknown key 'party.1.colour'", SecureNnException.Kind.BAD_INPUT),
                new Case(concat(GOOD, "party.1.address = 127.0.0.1:9"), "line 8: party.1.address is given twice", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.2.cert = DROP"), "party.2.cert is missing", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.1.address = 127.0.0.1:1"), "P0 and P1 have the same address 127.0.0.1:1", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.2.cert = p1.crt"), "P1 and P2 have the same certificate", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.1.address = localhost"), "party.1.address: 'localhost' is not host:port", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.1.cert = missing.crt"), "certificate of P1: cannot read", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.1.cert = p0.key"), "p0.key is not a certificate", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.0.key = DROP"), "no private key for P0: add party.0.key", SecureNnException.Kind.USAGE),
                new Case(with("party.0.key = p0.crt"), "holds no unencrypted PKCS#8 private key", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.0.key = nokey.key"), "private key of P0: cannot read", SecureNnException.Kind.BAD_INPUT),
                new Case(with("party.0.key = p1.key"), "the private key does not belong to the certificate", SecureNnException.Kind.TLS_IDENTITY),
                new Case(new String[] {"this is not a config"}, "line 1: expected 'party.<id>.<field> = value'", SecureNnException.Kind.BAD_INPUT));
        for (Case c : cases) {
            CliRun r = opWithConfig(c.lines());
            assertThat(r.exit()).as(String.join("|", c.lines()) + " -> " + r).isEqualTo(c.kind().exitCode);
            assertThat(r.errorLine()).as(String.join("|", c.lines())).startsWith("securenn: error: ").contains(c.expect());
        }
        Path binary = dir.resolve("binary.properties");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(CliRun.of("op", "mul", "--party", "2", "--config", binary.toString()).errorLine())
                .contains("binary.properties is not UTF-8 text");
        CliRun none = CliRun.of("op", "mul", "--party", "2", "--config", dir.resolve("absent.properties").toString());
        assertThat(none.errorLine()).contains("cluster config: cannot read").contains("no such file or directory");
    }

    @Test
    @Timeout(180)   // a retry on new ports waits out the others' connect timeout first
    void partiesStartedWithDifferentParametersRefuseToRun() throws Exception {
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "1\n2\n");
        String cfg = dir.resolve("cluster.properties").toString();
        String[][] args = {
                {"op", "mul", "--party", "0", "--config", cfg, "--in", a.toString(), "--in2", a.toString(),
                        "--out", dir.resolve("o.csv").toString(), "--connect-timeout", "30s"},
                {"op", "mul", "--party", "1", "--config", cfg, "--raw", "--connect-timeout", "30s"},  // differs
                {"op", "mul", "--party", "2", "--config", cfg, "--connect-timeout", "30s"}};
        // the config names the ports before the parties listen: again on new ports if one was taken meanwhile
        Ports.fixedInAdvance(3, port -> {
            assertThat(CliRun.of("keys", "--out", dir.toString(), "--force", "--hosts", "127.0.0.1:" + port[0]
                    + ",127.0.0.1:" + port[1] + ",127.0.0.1:" + port[2]).exit()).isZero();
            // the three parties as threads of this JVM, each running the real command line
            List<java.util.concurrent.CompletableFuture<CliRun>> runs = new java.util.ArrayList<>();
            for (int p = 0; p < 3; p++) {
                String[] x = args[p];
                var f = new java.util.concurrent.CompletableFuture<CliRun>();
                Thread.ofPlatform().daemon().start(() -> f.complete(CliRun.of(x)));
                runs.add(f);
            }
            CliRun p0 = runs.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
            CliRun p1 = runs.get(1).get(60, java.util.concurrent.TimeUnit.SECONDS);
            CliRun p2 = runs.get(2).get(60, java.util.concurrent.TimeUnit.SECONDS);
            // whether a party finds the mismatch itself or hears of it first, it says so (and not "lost peer")
            for (CliRun r : List.of(p0, p1, p2)) {
                assertThat(r.exit()).as(r.toString()).isEqualTo(SecureNnException.Kind.BAD_INPUT.exitCode);
                assertThat(r.errorLine()).containsPattern("different versions?, commands?, job parameters or Z_67 wire formats?");
            }
        });
        assertThat(dir.resolve("o.csv")).doesNotExist();
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
