package io.securenn.cli;

import io.securenn.Json;
import io.securenn.bench.BenchCase;
import io.securenn.bench.CostModel;
import io.securenn.bench.Formulas;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bench networks end to end on the smallest row (three party processes over loopback TLS; a smoke test, not a
 * benchmark), bench model, and the usage errors.
 */
class BenchCommandTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void networksRunsThreePartyProcessesAndWritesTheIssuesJsonAndAReport(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("rows.json"), report = dir.resolve("out/loopback.md");
        CliRun r = CliRun.of("bench", "networks", "--only", "A:inference:1", "--runs", "2", "--warmup", "0", "--warmup-seconds", "0",
                "--json", json.toString(), "--report", report.toString(),
                "--jvm-options", "-Xss16m -XX:TieredStopAtLevel=1 -Xshare:auto --add-modules jdk.incubator.vector",
                "--worker-classpath", Processes.classPath());
        assertThat(r.exit()).as(r.toString()).isZero();
        // the party processes ran in the default session (the masked DReLU): the model's rounds (22; 34 in the paper form)
        long modelRounds = CostModel.predict(BenchCase.parse("A:inference:1"),
                Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults())).total().rounds();
        assertThat(modelRounds).isEqualTo(22);
        assertThat(r.out()).contains("A inference b1").contains(modelRounds + " rounds");

        List<Object> rows = (List<Object>) Json.parse(Files.readString(json));
        assertThat(rows).hasSize(1);
        Map<String, Object> row = (Map<String, Object>) rows.get(0);
        assertThat(row.keySet()).containsExactly("network", "mode", "batch", "profile", "seconds_median", "seconds_min",
                "bytes", "rounds", "peak_mb", "paper_seconds", "paper_mb");
        assertThat(row).containsEntry("network", "A").containsEntry("mode", "inference").containsEntry("batch", 1L)
                .containsEntry("profile", "loopback").containsEntry("paper_seconds", 0.043).containsEntry("paper_mb", 2.1);
        double median = ((Number) row.get("seconds_median")).doubleValue(), min = ((Number) row.get("seconds_min")).doubleValue();
        assertThat(min).isPositive().isLessThanOrEqualTo(median);
        Map<String, Object> bytes = (Map<String, Object>) row.get("bytes"), peak = (Map<String, Object>) row.get("peak_mb");
        assertThat(bytes.keySet()).containsExactly("P0", "P1", "P2");
        assertThat(peak.keySet()).containsExactly("P0", "P1", "P2");
        long total = 0;
        for (Object v : bytes.values()) total += ((Number) v).longValue();
        // the helper's dealing is counted: P2 sends (Beaver ⟨Z⟩1, bit shares, …)
        assertThat(((Number) bytes.get("P2")).longValue()).isPositive();
        var model = CostModel.predict(BenchCase.parse("A:inference:1"), Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults()));
        assertThat(total).isEqualTo(model.total().bytes());
        assertThat(((Number) row.get("rounds")).longValue()).isEqualTo(model.total().rounds());
        // JVM peak resident memory of each party process: tens of MB at least
        for (Object v : peak.values()) assertThat(((Number) v).doubleValue()).isGreaterThan(20);

        String md = Files.readString(report);
        assertThat(md).contains("| A inference b1 |").contains("nproc: ")
                .contains("Mechanism: loopback interface, no shaping")
                .contains("Every layer pass of every row sent exactly the predicted bytes");
        for (Path png : List.of(dir.resolve("out/loopback-time.png"), dir.resolve("out/loopback-mb.png"))) {
            byte[] b = Files.readAllBytes(png);
            assertThat(b).as(png.toString()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void modelMatchesAMeasuredRunAndListsTheLayerPasses() {
        CliRun r = CliRun.of("bench", "model", "--only", "A:inference:1,A:training:8", "--measure", "--scopes");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("A inference b1").contains("A training b8").contains("L0 FC 784→128 forward")
                .contains("loss ASM").contains("Reveal");
        long matching = r.out().lines().filter(l -> l.matches("^A (inference|training) b\\d+ .*\\snone$")).count();
        assertThat(matching).as(r.out()).isEqualTo(2);
    }

    /** Runs the command line with -Dsecurenn.zpWire set to value (the CLI reads it when it builds the session). */
    private static CliRun withZpWireProperty(String value, String... args) {
        return withProperty(ZpWire.PROPERTY, value, args);
    }

    /** Runs the command line with the system property set to value. */
    private static CliRun withProperty(String property, String value, String... args) {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return CliRun.of(args);
        } finally {
            if (before == null) System.clearProperty(property); else System.setProperty(property, before);
        }
    }

    /**
     * -Dsecurenn.drelu picks the session's DReLU form: the prediction (and a secure run in that session, which
     * sends exactly it) is the paper form's with "paper", the masked form's by default; a bad value is refused.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void modelTakesTheDReluFormFromThePropertyIntoTheSessionAndRefusesABadOne() {
        BenchCase c = BenchCase.parse("A:inference:1");
        long paper = CostModel.predict(c, Formulas.implemented(MaxPool.Form.TOURNAMENT,
                SessionParams.defaults().withDReluForm(DReluForm.PAPER))).total().bytes();
        long masked = CostModel.predict(c, Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults()))
                .total().bytes();
        assertThat(paper).isGreaterThan(masked);
        CliRun r = withProperty(DReluForm.PROPERTY, "paper", "bench", "model", "--only", "A:inference:1", "--measure");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("DReLU paper").containsPattern("(?m)^A inference b1 +" + paper + " .*\\snone$");
        CliRun d = CliRun.of("bench", "model", "--only", "A:inference:1");
        assertThat(d.out()).contains("DReLU masked").containsPattern("(?m)^A inference b1 +" + masked + " ");

        CliRun bad = withProperty(DReluForm.PROPERTY, "fast", "bench", "model", "--only", "A:inference:1");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.errorLine())
                .isEqualTo("securenn: error: -Dsecurenn.drelu must be 'masked' or 'paper', got 'fast'");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void modelTakesTheZ67WireFormatFromThePropertyIntoTheSessionAndRefusesABadOne() {
        BenchCase c = BenchCase.parse("A:inference:1");
        long bytes = CostModel.predict(c, Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults().withZpWire(ZpWire.BYTE))).total().bytes();
        assertThat(bytes).isGreaterThan(
                CostModel.predict(c, Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults())).total().bytes());
        CliRun r = withZpWireProperty("byte", "bench", "model", "--only", "A:inference:1", "--measure");
        assertThat(r.exit()).as(r.toString()).isZero();
        // the prediction in one-byte Z_67, and a secure run in a session with that format sends exactly it
        assertThat(r.out()).contains("Z_67 wire BYTE").containsPattern("(?m)^A inference b1 +" + bytes + " .*\\snone$");

        CliRun bad = withZpWireProperty("nibble", "bench", "model", "--only", "A:inference:1");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.errorLine())
                .isEqualTo("securenn: error: -Dsecurenn.zpWire must be 'byte' or 'packed7', got 'nibble'");
    }

    @Test
    void badOptionsAreUsageErrors() {
        String[][] cases = {
                {"bench", "networks", "--profile", "custom"},
                {"bench", "networks", "--profile", "lan", "--rate", "10"},
                {"bench", "networks", "--profile", "moon"},
                {"bench", "networks", "--profile", "custom", "--rate", "10", "--delay", "5parsecs"},
                {"bench", "networks", "--only", "E"},
                {"bench", "networks", "--runs", "0"},
                {"bench", "networks", "--only", "A:training:100"},
                {"bench", "model", "--only", "A:sleeping:1"},
                {"bench", "worker", "--case", "A:inference:1", "--result", "x.json"},
                {"bench", "networks", "--model", "README.md"},
                {"bench", "networks", "--model", "model.onnx", "--batch", "0"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of(c);
            assertThat(r.exit()).as(String.join(" ", c) + "\n" + r).isEqualTo(2);
            assertThat(r.errorLine()).startsWith("securenn: error: ");
        }
    }

    /** A model the importer refuses is refused before any party starts, with the importer's line (bad input). */
    @Test
    void aModelRowOfAMissingOrBadFileIsRefusedBeforeAnyPartyStarts(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "not a model");
        CliRun r = CliRun.of("bench", "networks", "--model", bad.toString(), "--runs", "1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.errorLine()).isEqualTo("securenn: error: " + bad + ": not an ONNX model, or truncated (not a valid protobuf message)");
        assertThat(r.out()).doesNotContain("row(s)");
    }

    @Test
    void aNamespaceScriptThatCannotRunStopsTheWholeBenchAsAUsageError(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("netns.sh");
        Files.writeString(script, "echo 'netns-bench: error: needs root (network namespaces, tc)' >&2\nexit 2\n");
        CliRun r = CliRun.of("bench", "networks", "--profile", "lan", "--netns-script", script.toString(), "--runs", "1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.errorLine()).isEqualTo("securenn: error: netns-bench.sh: netns-bench: error: needs root (network namespaces, tc)");
        assertThat(r.out()).doesNotContain("FAILED");   // stopped at the first row, not one failure per row
    }

    @Test
    void benchAloneListsItsCommands() {
        CliRun r = CliRun.of("bench");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("networks").contains("model").doesNotContain("worker");
    }

    @Test
    void jsonReadsWhatItWrites() {
        Object doc = Json.parse(Json.toJson(Map.of("a", List.of(1L, 2.5, "x\"y\n"), "b", Map.of())));
        assertThat(doc).isEqualTo(Map.of("a", List.of(1L, 2.5, "x\"y\n"), "b", Map.of()));
        assertThat(Json.parse(" [true, false, null, -3, 1e3, \"\\u0041\"] ")).isEqualTo(java.util.Arrays.asList(true, false, null, -3L, 1000.0, "A"));
        for (String bad : new String[] {"{", "[1,]", "{\"a\" 1}", "tru", "\"open", "1 2"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.parse(bad)).as(bad)
                    .isInstanceOf(io.securenn.SecureNnException.class).hasMessageStartingWith("malformed JSON");
        }
    }
}
