package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster config parser on mutated configs (byte-level mutations and tokens of the format spliced in): it
 * either loads a config whose every party has an address and a readable, distinct certificate, or fails with a
 * one-line BAD_INPUT error; no other exception escapes.
 */
@Timeout(60)
class ClusterConfigFuzzTest {
    static final int CASES = 10_000;

    @TempDir
    Path dir;

    static final List<String> TOKENS = List.of("party.", "party.0.", "party.1.address", "party.2.cert", "party.0.key",
            "party.1.bind", ".address", ".cert", ".key", ".bind", "=", " = ", "#", "\n", "\r\n", "\t", ":", "[", "]",
            "[::1]:7000", "127.0.0.1:7001", "0.0.0.0", "localhost", ":0", ":65536", ":-1", ":99999999999", "3", "-1",
            "00", "p0.crt", "p1.crt", "p2.crt", "p0.key", "missing.crt", "/", "..", "/dev/null", "/dev/zero", "\u0000",
            "\u00e9", "\ufeff", "\ud83d\ude00", "party.9.address = h:1", "party.0.address = 127.0.0.1:7000");

    @Test
    void mutatedConfigsLoadOrFailWithOneLine() {
        String[] cert = new String[3];
        for (int p = 0; p < 3; p++) {
            TlsIdentity id = TlsIdentity.generate(p);
            Pem.writeCertificate(dir.resolve("p" + p + ".crt"), id.certificate(), true);
            if (p == 0) Pem.writePrivateKey(dir.resolve("p0.key"), id.privateKey(), true);
            cert[p] = "p" + p + ".crt";
        }
        String good = """
                # a config as 'securenn keys' writes it
                party.0.address = 127.0.0.1:7000
                party.0.cert = p0.crt
                party.0.key = p0.key

                party.1.address = [::1]:7001
                party.1.cert = p1.crt
                party.1.bind = 0.0.0.0
                party.2.address = host-2.example:7002
                party.2.cert = p2.crt
                """;
        Path file = dir.resolve("cluster.properties");
        ClusterConfig.parse(good.getBytes(StandardCharsets.UTF_8), file); // the seed input itself is valid

        Seeded s = Seeded.fromEnvOr(2201);
        Mutator m = new Mutator(s.rnd, TOKENS);
        int loaded = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] input = m.mutate(good.getBytes(StandardCharsets.UTF_8));
            String what = s.msg("case " + c + ": [" + new String(input, StandardCharsets.UTF_8) + "]");
            try {
                ClusterConfig cfg = ClusterConfig.parse(input, file);
                loaded++;
                for (int p = 0; p < 3; p++) {
                    assertThat(cfg.party(p).address().port()).as(what).isBetween(1, 65535);
                    assertThat(cfg.certificate(p)).as(what).isNotNull();
                }
            } catch (SecureNnException e) {
                assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(e.getMessage()).as(what).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        // some mutations keep the config valid (comments, blank lines, spacing), most do not
        assertThat(loaded).as(s.msg("configs that still load")).isBetween(CASES / 100, CASES / 2);
    }
}
