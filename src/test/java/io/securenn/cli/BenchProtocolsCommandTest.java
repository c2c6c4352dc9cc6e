package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke test of {@code securenn bench protocols} on its smallest cases with one run (the benchmark itself never
 * runs in the suite): the table, the JSON list's shape, and the counts against the protocols' formulas.
 */
@Timeout(180)
class BenchProtocolsCommandTest {

    @TempDir
    Path dir;

    /** The JSON list's objects, as text (the writer puts each at two spaces of indent). */
    private static List<String> objects(String json) {
        assertThat(json.strip()).startsWith("[").endsWith("]");
        List<String> out = new ArrayList<>();
        for (String part : json.strip().substring(1).split("\n  \\{")) if (!part.isBlank()) out.add(part);
        return out;
    }

    private static double number(String obj, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.Ee]+)").matcher(obj);
        if (!m.find()) throw new AssertionError("no " + key + " in " + obj);
        return Double.parseDouble(m.group(1));
    }

    private static String text(String obj, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"([^\"]*)\"").matcher(obj);
        if (!m.find()) throw new AssertionError("no " + key + " in " + obj);
        return m.group(1);
    }

    @Test
    void smallestCasesOverTlsWriteTheDocumentedJson() throws IOException {
        Path js = dir.resolve("bench.json");
        CliRun r = CliRun.of("bench", "protocols", "--runs", "1", "--only", "matmul#1,dmp#1,drelu#1", "--json", js.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("loopback TLS").contains("36-core").contains("paper ms").doesNotContain("DIFFERS");
        List<String> rows = objects(Files.readString(js));
        assertThat(rows).hasSize(3);
        long[] formulaBytes = {MatMul.bytes(1, 100, 1), DMaxPool.bytes(200, 16), DReLU.bytes(SessionParams.defaults(), 64 * 16)};
        int[] formulaRounds = {MatMul.rounds(), DMaxPool.rounds(), DReLU.rounds(SessionParams.defaults())};
        String[][] names = {{"MatMul", "1,100,1"}, {"DMP", "8x8x50, 4x4"}, {"DReLU", "64x16"}};
        double[][] paper = {{0.33, 0.0032}, {1.9, 0.18}, {11.2, 0.68}};
        for (int i = 0; i < 3; i++) {
            String o = rows.get(i);
            assertThat(text(o, "protocol")).isEqualTo(names[i][0]);
            assertThat(text(o, "dims")).isEqualTo(names[i][1]);
            assertThat(number(o, "seconds_median")).isPositive();
            long total = (long) (number(o, "P0") + number(o, "P1") + number(o, "P2"));
            assertThat(total).as(o).isEqualTo(formulaBytes[i]);
            assertThat((int) number(o, "rounds")).as(o).isEqualTo(formulaRounds[i]);
            assertThat(number(o, "paper_ms")).isEqualTo(paper[i][0]);
            assertThat(number(o, "paper_mb")).isEqualTo(paper[i][1]);
        }
    }

    @Test
    void oneByteZ67AndMemoryLinksAreHonoured() throws IOException {
        Path js = dir.resolve("b.json");
        CliRun r = CliRun.of("bench", "protocols", "--runs", "1", "--only", "drelu#1", "--zp-wire", "byte",
                "--drelu", "paper", "--transport", "memory", "--json", js.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("in-memory links").contains("one byte").contains("DReLU: paper");
        String o = objects(Files.readString(js)).getFirst();
        long total = (long) (number(o, "P0") + number(o, "P1") + number(o, "P2"));
        SessionParams paperByte = SessionParams.defaults().withZpWire(ZpWire.BYTE).withDReluForm(DReluForm.PAPER);
        assertThat(total).isEqualTo(DReLU.bytes(paperByte, 1024)).isEqualTo(488L * 1024);
        assertThat(text(o, "zp_wire")).isEqualTo("byte");
        assertThat(text(o, "drelu")).isEqualTo("paper");
        assertThat(number(o, "formula_bytes")).isEqualTo(488.0 * 1024);
        assertThat(number(o, "rounds")).isEqualTo(8);

        // the default form: the masked DReLU, 224 B per element with one-byte Z_67, in 4 rounds
        Path js2 = dir.resolve("m.json");
        CliRun m = CliRun.of("bench", "protocols", "--runs", "1", "--only", "drelu#1", "--zp-wire", "byte",
                "--transport", "memory", "--json", js2.toString());
        assertThat(m.exit()).as(m.toString()).isZero();
        String om = objects(Files.readString(js2)).getFirst();
        assertThat((long) (number(om, "P0") + number(om, "P1") + number(om, "P2"))).isEqualTo(224L * 1024);
        assertThat(text(om, "drelu")).isEqualTo("masked");
        assertThat(number(om, "rounds")).isEqualTo(4);
    }

    @Test
    void badOptionsGiveOneUsageLine() {
        String[][] cases = {
                {"--runs", "0"}, {"--zp-wire", "nibble"}, {"--drelu", "fast"}, {"--transport", "udp"}, {"--only", "softmax"},
                {"--only", "matmul#4"}};
        String[] expect = {"--runs must be at least 1", "--zp-wire must be packed or byte, got 'nibble'",
                "--drelu must be masked or paper, got 'fast'", "--transport must be tls or memory, got 'udp'", "--only: unknown protocol 'softmax'",
                "--only: matmul has cases 1 to 3, got 'matmul#4'"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("bench", "protocols"));
            args.addAll(List.of(cases[i]));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(SecureNnException.Kind.USAGE.exitCode);
            assertThat(r.errorLine()).isEqualTo("securenn: error: " + expect[i] + (i == 4
                    ? " (known: conv2d, matmul, maxpool, dmp, drelu, relu)" : ""));
        }
    }
}
