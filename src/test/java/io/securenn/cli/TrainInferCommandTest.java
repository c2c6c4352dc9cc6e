package io.securenn.cli;

import io.securenn.Json;
import io.securenn.model.Architecture;
import io.securenn.model.ModelFile;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrainInferCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void bCAndDTrainWithTheMeasuredRecipeUnlessTheRateIsGiven() throws Exception {
        Path data = Files.createDirectory(dir.resolve("rdata"));
        SyntheticMnist.write(data, 64, 32, 3, true);
        String[] common = {"--plaintext", "--dataset", data.toString(), "--epochs", "1", "--batch", "32",
                "--checkpoint-dir", dir.resolve("rck").toString(), "--test-limit", "0"};
        Run recipe = run(concat(new String[] {"train", "--network", "B", "--json", dir.resolve("r.json").toString()}, common));
        assertThat(recipe.code()).as(recipe.err()).isZero();
        assertThat(recipe.out()).contains("lr schedule " + TrainCommand.RECIPE_SCHEDULE).contains("momentum 1-2^-3");
        assertThat(Files.readString(dir.resolve("r.json"))).contains("\"momentum_shift\": 3").contains("\"lr_schedule\"");
        Run c = run(concat(new String[] {"train", "--network", "C"}, common));
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("lr schedule " + TrainCommand.RECIPE_SCHEDULE).contains("loss hinge").contains("momentum 1-2^-3");
        Run cSquare = run(concat(new String[] {"train", "--network", "C", "--loss", "square"}, common));
        assertThat(cSquare.out()).contains("loss square").contains("momentum 1-2^-3");
        Run paper = run(concat(new String[] {"train", "--network", "C", "--lr-shift", "5"}, common));
        assertThat(paper.code()).as(paper.err()).isZero();
        assertThat(paper.out()).contains("lr 2^-5").contains("loss square").doesNotContain("momentum");
        Run d = run(concat(new String[] {"train", "--network", "D"}, common));
        assertThat(d.out()).contains("lr schedule " + TrainCommand.RECIPE_SCHEDULE).contains("loss square").contains("momentum 1-2^-3");
        Run plainA = run(concat(new String[] {"train", "--network", "A"}, common));
        assertThat(plainA.out()).contains("lr 2^-4").doesNotContain("momentum");
        Run bad = run(concat(new String[] {"train", "--network", "B", "--lr-schedule", "2:x"}, common));
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("securenn: error:").contains("--lr-schedule");
    }

    @Test
    void trainsSavesAndInfersInPlaintext() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        SyntheticMnist.write(data, 256, 100, 3, true);
        Path json = dir.resolve("m.json"), model = dir.resolve("a.snn");
        Run t = run("train", "--network", "A", "--plaintext", "--dataset", data.toString(), "--epochs", "2",
                "--batch", "32", "--lr-shift", "3", "--seed", "4", "--json", json.toString(), "--save-model", model.toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("epoch 2/2").contains("truncation failures");
        String doc = Files.readString(json);
        assertThat(doc).contains("\"network\": \"A\"").contains("\"loss_function\": \"square\"")
                .contains("\"train_accuracy\"").contains("\"test_accuracy\"").contains("\"P2\": 0")
                .contains("\"expected_truncation_failures\"");
        assertThat(ModelFile.read(model, Architecture.A).architecture()).isEqualTo(Architecture.A);
        // the loss and accuracy curves beside the JSON: a PNG
        byte[] png = Files.readAllBytes(dir.resolve("m.png"));
        assertThat(png).hasSizeGreaterThan(1000);
        assertThat(java.util.Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');

        Path inferJson = dir.resolve("i.json");
        Run i = run("infer", "--network", "A", "--plaintext", "--model", model.toString(), "--dataset", data.toString(),
                "--batch", "64", "--json", inferJson.toString());
        assertThat(i.code()).as(i.err()).isZero();
        assertThat(i.out()).contains("100 test images").contains("confusion matrix");
        String idoc = Files.readString(inferJson);
        assertThat(idoc).contains("\"images\": 100").contains("\"confusion\"").contains("\"accuracy\"");

        Run wrong = run("infer", "--network", "B", "--plaintext", "--model", model.toString(), "--dataset", data.toString());
        assertThat(wrong.code()).isEqualTo(3);
        assertThat(wrong.err()).contains("holds network A, but network B was asked for").doesNotContain("Exception");
    }

    static double number(String text, String regex) {
        var m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void secureTrainingTracksTheTwinAndSecureInferenceMatchesPlaintext() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        SyntheticMnist.write(data, 128, 64, 5, true);
        // checkpoints in the test's directory (the default, ./checkpoints, would land in the working tree)
        String[] common = {"--network", "A", "--dataset", data.toString(), "--epochs", "1", "--batch", "32",
                "--lr-shift", "3", "--seed", "9", "--checkpoint-dir", dir.resolve("checkpoints").toString()};
        Path model = dir.resolve("s.snn"), plainModel = dir.resolve("p.snn");
        Run plain = run(concat(new String[] {"train", "--plaintext", "--save-model", plainModel.toString()}, common));
        Path secJson = dir.resolve("secure.json");
        Run sec = run(concat(new String[] {"train", "--save-model", model.toString(), "--json", secJson.toString()}, common));
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(sec.code()).as(sec.err()).isZero();
        assertThat(sec.out()).contains("secure, three parties over loopback TLS").containsPattern("peak RSS MB \\d+/\\d+/\\d+");
        // each party's resident memory per epoch, like its bytes
        @SuppressWarnings("unchecked")
        var epoch = (java.util.Map<String, Object>) ((java.util.List<Object>) ((java.util.Map<String, Object>)
                Json.parse(Files.readString(secJson))).get("epochs")).get(0);
        for (String key : new String[] {"peak_rss_mb", "rss_mb"}) {
            @SuppressWarnings("unchecked")
            var perParty = (java.util.Map<String, Object>) epoch.get(key);
            assertThat(perParty.keySet()).as(key).containsExactly("P0", "P1", "P2");
            for (Object v : perParty.values()) assertThat(((Number) v).doubleValue()).as(key).isGreaterThan(0);
        }
        assertThat(epoch).doesNotContainKey("peak_rss_mb_P0");
        // same seed, same batches: the loss agrees within truncation noise
        assertThat(number(sec.out(), "loss (\\d+\\.\\d+)")).isCloseTo(number(plain.out(), "loss (\\d+\\.\\d+)"),
                org.assertj.core.data.Offset.offset(0.002));
        // secure inference of the twin's model gives the plaintext predictions
        Run pi = run("infer", "--plaintext", "--network", "A", "--model", plainModel.toString(), "--dataset", data.toString());
        Run si = run("infer", "--network", "A", "--model", plainModel.toString(), "--dataset", data.toString());
        assertThat(si.code()).as(si.err()).isZero();
        assertThat(number(si.out(), "accuracy (\\d+\\.\\d+) %")).isCloseTo(number(pi.out(), "accuracy (\\d+\\.\\d+) %"),
                org.assertj.core.data.Offset.offset(100.0 / 64 + 1e-9));
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run r = run("train", "--network", "A", "--float64", "--dataset", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--float64 needs --plaintext");
        Run b = run("train", "--network", "A", "--plaintext", "--batch", "100", "--dataset", dir.toString());
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("power of two");
        Run n = run("train", "--network", "E", "--plaintext", "--dataset", dir.toString());
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.err()).contains("unknown network");
        Run d = run("train", "--network", "A", "--plaintext", "--dataset", dir.resolve("none").toString());
        assertThat(d.code()).isEqualTo(3);
        assertThat(d.err()).contains("does not exist");
    }
}
