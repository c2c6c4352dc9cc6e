package io.securenn.cli;

import io.securenn.SecureNnException.Kind;
import io.securenn.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The open-model commands as a user runs them (in this JVM): {@code inspect} and {@code infer --model FILE.onnx}
 * with .npy input and output (securely, three parties over loopback TLS, and in the twin), and their bad inputs,
 * each one line before any party starts.
 */
@Timeout(180)
class OnnxCommandsTest {
    private static final Path FIX = Paths.get("src/test/resources/onnx");

    @TempDir
    Path dir;

    @Test
    void inspectPrintsEveryLayerAndTheTotal() throws Exception {
        Path json = dir.resolve("i.json");
        CliRun r = CliRun.of("inspect", FIX.resolve("resnet-dynamo.onnx").toString(), "--batch", "2", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Conv").contains("Add").contains("GlobalAveragePool").contains("Gemm")
                .contains("secret").contains("total:");
        String doc = Files.readString(json);
        assertThat(doc).contains("\"batch\": 2").contains("\"nodes\"").contains("\"total\"");
    }

    /**
     * Serve and infer of several batches mask the weights once per session: inspect says the first batch's and every
     * later batch's bytes (the formulas', as the tests of the protocols and the jobs measure them), per node in the
     * JSON; -Dsecurenn.weightMasks=off (a budget of 0) says per batch; a bad value is one usage line (ERRORS.md 16c).
     */
    @Test
    void inspectSaysTheFirstAndLaterBatchesBytesWithinTheWeightMaskBudget() throws Exception {
        Path model = FIX.resolve("cnn-torchscript.onnx");
        io.securenn.model.ModelGraph g = io.securenn.model.onnx.OnnxImporter.importGraph(model);
        io.securenn.bench.Formulas f = io.securenn.bench.Formulas.implemented(io.securenn.protocol.maxpool.MaxPool.Form.TOURNAMENT,
                io.securenn.runtime.SessionParams.defaults());
        var first = io.securenn.bench.GraphCost.inference(g, 1, false, f, io.securenn.bench.CostingBackend.Weights.FIRST_BATCH);
        var later = io.securenn.bench.GraphCost.inference(g, 1, false, f, io.securenn.bench.CostingBackend.Weights.LATER_BATCH);
        assertThat(later.total().bytes()).isLessThan(first.total().bytes());
        Path json = dir.resolve("masks.json");
        CliRun r = CliRun.of("inspect", model.toString(), "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "first batch %,d bytes", first.total().bytes()))
                .contains(String.format(java.util.Locale.ROOT, "every later batch %,d bytes", later.total().bytes()));
        String doc = Files.readString(json);
        assertThat(doc).contains("\"once_per_session\": true").contains("\"bytes_later_batches\"")
                .contains("\"bytes\": " + later.total().bytes());
        CliRun off = CliRun.withProperty(io.securenn.runtime.SessionParams.WEIGHT_MASKS_PROPERTY, "off", "inspect", model.toString());
        assertThat(off.exit()).as(off.toString()).isZero();
        assertThat(off.out()).contains("weights masked per batch").doesNotContain("every later batch");
        CliRun bad = CliRun.withProperty(io.securenn.runtime.SessionParams.WEIGHT_MASKS_PROPERTY, "lots", "inspect", model.toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.errorLine()).isEqualTo("securenn: error: -Dsecurenn.weightMasks must be 'on', 'off' or a budget in MB, got 'lots'");
    }

    @Test
    void secureInferenceWritesOnnxruntimesOutputs() throws Exception {
        Path y = dir.resolve("y.npy");
        CliRun r = CliRun.of("infer", "--model", FIX.resolve("cnn-torchscript.onnx").toString(),
                "--input", FIX.resolve("cnn-input.npy").toString(), "--output", y.toString(), "--batch", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("predicted classes").contains("rounds").contains("sent: P0");
        Npy.Array got = Npy.read(y), want = Npy.read(FIX.resolve("cnn-torchscript-output.npy"));
        assertThat(got.shape()).containsExactly(want.shape());
        assertThat(got.dtype()).isEqualTo(Npy.Dtype.FLOAT32);
        for (int i = 0; i < want.count(); i++) assertThat(got.raw()[i]).as("output " + i).isCloseTo(want.raw()[i], within(0.05));
        assertThat(Files.list(dir).filter(p -> !p.equals(y)).toList()).as("no temporary file left").isEmpty();
    }

    @Test
    void plaintextLabelsOnly() {
        CliRun r = CliRun.of("infer", "--model", FIX.resolve("mlp-dynamo.onnx").toString(),
                "--input", FIX.resolve("mlp-input.npy").toString(), "--plaintext", "--reveal", "label");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("plaintext-fixed").contains("predicted classes");
    }

    private static void expect(CliRun r, Kind kind, String message) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(kind.exitCode);
        assertThat(r.errorLine()).as(r.toString()).startsWith("securenn: error: ").contains(message)
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("securenn: error:")).count()).isEqualTo(1);
    }

    @Test
    void badInputsAreOneLineBeforeAnyPartyStarts() throws Exception {
        String cnn = FIX.resolve("cnn-torchscript.onnx").toString();
        expect(CliRun.of("infer", "--model", cnn, "--input", FIX.resolve("resnet-input.npy").toString()), Kind.BAD_INPUT,
                "resnet-input.npy: shape [3, 3, 32, 32] does not match the model's input");
        Path ints = dir.resolve("ints.npy");
        Files.write(ints, Npy.encode(new int[] {2, 1, 28, 28}, Npy.Dtype.INT64, new double[2 * 784]));
        expect(CliRun.of("infer", "--model", cnn, "--input", ints.toString()), Kind.BAD_INPUT,
                "ints.npy: dtype <i8 is not an input type (float32, float64 or uint8)");
        Path truncated = dir.resolve("t.onnx");
        byte[] b = Files.readAllBytes(FIX.resolve("cnn-torchscript.onnx"));
        Files.write(truncated, java.util.Arrays.copyOf(b, b.length / 2));
        expect(CliRun.of("infer", "--model", truncated.toString(), "--input", FIX.resolve("cnn-input.npy").toString()),
                Kind.BAD_INPUT, "t.onnx");
        expect(CliRun.of("infer", "--model", cnn, "--input", dir.resolve("missing.npy").toString()), Kind.BAD_INPUT, "missing.npy");
        expect(CliRun.of("infer", "--model", cnn, "--output", dir.resolve("y.npy").toString()), Kind.USAGE, "--output needs --input");
        expect(CliRun.of("infer", "--model", cnn, "--input", FIX.resolve("cnn-input.npy").toString(), "--reveal", "probabilities"),
                Kind.USAGE, "--reveal must be logits or label");
        expect(CliRun.of("infer", "--model", "README.md"), Kind.USAGE, "an ONNX model ends in .onnx");
        expect(CliRun.of("inspect", dir.resolve("none.onnx").toString()), Kind.BAD_INPUT, "none.onnx");
        // labels outside the model's outputs: a dataset with 12 classes for a 10-output model
        Path ds = dir.resolve("ds");
        Files.createDirectories(ds);
        for (String split : new String[] {"train", "test"}) {
            Files.write(ds.resolve(split + "-images.npy"), Npy.encode(new int[] {4, 1, 28, 28}, Npy.Dtype.UINT8, new double[4 * 784]));
            Files.write(ds.resolve(split + "-labels.npy"), Npy.encode(new int[] {4}, Npy.Dtype.INT64, new double[] {0, 11, 3, 2}));
        }
        expect(CliRun.of("infer", "--model", cnn, "--dataset", ds.toString(), "--plaintext"), Kind.BAD_INPUT,
                "the model has 10 outputs, the labels of");
    }
}
