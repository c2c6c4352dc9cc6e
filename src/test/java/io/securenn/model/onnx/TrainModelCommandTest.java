package io.securenn.model.onnx;

import io.securenn.cli.CliRun;
import io.securenn.data.Dataset;
import io.securenn.data.Datasets;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.securenn.model.onnx.OnnxBuilder.i;
import static io.securenn.model.onnx.OnnxBuilder.ints;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line of issue 14: {@code train --model FILE.onnx} in the twin and securely, {@code --save-model
 * OUT.onnx} read back by onnxruntime (its accuracy on the test set is the twin's), {@code export} of an A–D model
 * file, and the bad inputs refused before any party starts with one line each.
 */
@Timeout(300)
class TrainModelCommandTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static long[] l(long... v) {
        return v;
    }

    static byte[] lenet(long seed, int classes) {
        return lenet(seed, classes, 5);
    }

    /** x[N,1,28,28] → Conv 4×k×k → BatchNormalization → Relu → MaxPool 2 → Flatten → Gemm (transB) → `classes` logits. */
    static byte[] lenet(long seed, int classes, int k) {
        int side = (28 - k + 1) / 2, flat = 4 * side * side;
        OnnxBuilder b = new OnnxBuilder(17, new SplittableRandom(seed));
        b.input("image", -1, 1, 28, 28);
        String c = b.node("Conv", "conv", new String[] {"image", b.init("conv.weight", l(4, 1, k, k), -0.4, 0.4),
                b.init("conv.bias", l(4), -0.1, 0.1)});
        String n = OnnxExportTest.bn(b, "bn", c, 4);
        String r = b.node("Relu", "relu", new String[] {n});
        String p = b.node("MaxPool", "pool", new String[] {r}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        String f = b.node("Flatten", "flatten", new String[] {p}, i("axis", 1));
        b.g.addOutput(OnnxBuilder.valueInfo("scores", -1, classes));
        b.nodeOut("Gemm", "fc", new String[] {f, b.init("fc.weight", l(classes, flat), -0.04, 0.04), b.init("fc.bias", l(classes), -0.05, 0.05)},
                new String[] {"scores"}, i("transB", 1));
        return b.bytes();
    }

    private Path data() throws Exception {
        Path d = dir.resolve("data");
        if (!Files.isDirectory(d)) {
            Files.createDirectory(d);
            SyntheticMnist.write(d, 128, 64, 11, false);
        }
        return d;
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** onnxruntime's accuracy of a model on a test set (argmax, ties to the lower class). */
    static double ortAccuracy(byte[] onnx, String input, Dataset test) {
        int n = test.count(), size = test.imageSize();
        int[] all = new int[n];
        for (int k = 0; k < n; k++) all[k] = k;
        long[] fixed = test.imagesFixed(all);
        float[] x = new float[fixed.length];
        for (int k = 0; k < x.length; k++) x[k] = (float) io.securenn.ring.FixedPoint.decode(fixed[k]);
        Ort.Out out = Ort.run(onnx, input, x, new long[] {n, test.channels(), test.rows(), test.cols()});
        int k = (int) out.shape()[1], correct = 0;
        assertThat(size).isEqualTo(test.channels() * test.rows() * test.cols());
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int c = 1; c < k; c++) if (out.values()[r * k + c] > out.values()[r * k + best]) best = c;
            if (best == test.label(r)) correct++;
        }
        return (double) correct / n;
    }

    @Test
    void trainAnImportedModelInTheTwinAndRunTheResultInOnnxruntime() throws Exception {
        Path model = write("lenet.onnx", lenet(3, 10)), out = dir.resolve("out/trained.onnx"), json = dir.resolve("m.json");
        CliRun t = run("train", "--model", model.toString(), "--plaintext", "--dataset", data().toString(), "--epochs", "2",
                "--batch", "32", "--seed", "4", "--save-model", out.toString(), "--json", json.toString(),
                "--checkpoint-dir", dir.resolve("ck").toString());
        assertThat(t.exit()).as(t.toString()).isZero();
        assertThat(t.out()).contains("training model lenet.onnx (plaintext-fixed backend)").contains("epoch 2/2")
                .contains("momentum 1-2^-3").contains("model written to " + out);
        assertThat(Files.readString(json)).contains("\"model\": \"lenet.onnx\"").contains("\"test_accuracy\"");
        double twin = number(t.out(), "test accuracy (\\d+\\.\\d+) %") / 100;
        assertThat(twin).as("the synthetic task is learnt").isGreaterThan(0.5);
        // onnxruntime on the written file: the twin's accuracy, but for near-ties (one image in 64)
        Dataset test = Datasets.load(data().toString()).test();
        assertThat(ortAccuracy(Files.readAllBytes(out), "image", test)).isCloseTo(twin, org.assertj.core.data.Offset.offset(1.5 / 64));
        // the file keeps its input, output and opset, and lost the folded BatchNormalization
        var m = io.securenn.model.onnx.proto.Onnx.ModelProto.parseFrom(Files.readAllBytes(out));
        assertThat(m.getGraph().getInput(0).getName()).isEqualTo("image");
        assertThat(m.getGraph().getOutput(0).getName()).isEqualTo("scores");
        assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(17);
        assertThat(m.getGraph().getNodeList()).noneMatch(x -> x.getOpType().equals("BatchNormalization"));
        // resume from the checkpoints of the run: the model's id is checked, then nothing is left to do
        CliRun again = run("train", "--model", model.toString(), "--plaintext", "--dataset", data().toString(), "--epochs", "2",
                "--batch", "32", "--seed", "4", "--checkpoint-dir", dir.resolve("ck").toString(), "--resume");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("resumed run").contains("from epoch 3 batch 0").contains("nothing left to train");
        // another architecture's checkpoints are refused
        CliRun other = run("train", "--model", write("other.onnx", lenet(3, 10, 3)).toString(), "--plaintext", "--dataset",
                data().toString(), "--epochs", "2", "--batch", "32", "--checkpoint-dir", dir.resolve("ck").toString(), "--resume");
        assertThat(other.exit()).as(other.toString()).isEqualTo(3);
        assertThat(other.errorLine()).containsPattern("checkpoint \\d+ holds model G[0-9a-f]{12}, this run trains model G[0-9a-f]{12}");
    }

    @Test
    void secureTrainingOfAnImportedModelTracksTheTwin() throws Exception {
        Path model = write("lenet.onnx", lenet(5, 10));
        List<String> common = new ArrayList<>(List.of("train", "--model", model.toString(), "--dataset", data().toString(),
                "--epochs", "1", "--batch", "32", "--limit", "64", "--test-limit", "32", "--seed", "7",
                "--checkpoint-dir", dir.resolve("ck2").toString()));
        List<String> plain = new ArrayList<>(common);
        plain.add("--plaintext");
        List<String> secure = new ArrayList<>(common);
        secure.addAll(List.of("--save-model", dir.resolve("secure.onnx").toString()));
        CliRun p = run(plain.toArray(String[]::new)), s = run(secure.toArray(String[]::new));
        assertThat(p.exit()).as(p.toString()).isZero();
        assertThat(s.exit()).as(s.toString()).isZero();
        assertThat(s.out()).contains("secure, three parties over loopback TLS").contains("MB sent by all parties");
        assertThat(number(s.out(), "loss (\\d+\\.\\d+)")).isCloseTo(number(p.out(), "loss (\\d+\\.\\d+)"),
                org.assertj.core.data.Offset.offset(0.005));
        assertThat(Files.size(dir.resolve("secure.onnx"))).isGreaterThan(1000);
    }

    @Test
    void exportOfABuiltInModelFile() throws Exception {
        Path snn = dir.resolve("a.snn"), onnx = dir.resolve("a.onnx");
        CliRun t = run("train", "--network", "A", "--plaintext", "--dataset", data().toString(), "--epochs", "1", "--batch", "32",
                "--lr-shift", "3", "--save-model", snn.toString(), "--checkpoint-dir", dir.resolve("ck3").toString());
        assertThat(t.exit()).as(t.toString()).isZero();
        CliRun e = run("export", "--model", snn.toString(), "--network", "A", "--out", onnx.toString());
        assertThat(e.exit()).as(e.toString()).isZero();
        assertThat(e.out()).contains("network A written to " + onnx);
        CliRun i = run("infer", "--network", "A", "--plaintext", "--model", snn.toString(), "--dataset", data().toString());
        double twin = number(i.out(), "accuracy (\\d+\\.\\d+) %") / 100;
        assertThat(ortAccuracy(Files.readAllBytes(onnx), "input", Datasets.load(data().toString()).test()))
                .isCloseTo(twin, org.assertj.core.data.Offset.offset(1.5 / 64));
        CliRun wrong = run("export", "--model", snn.toString(), "--network", "B", "--out", dir.resolve("b.onnx").toString());
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.errorLine()).contains("holds network A, but network B was asked for");
    }

    /** A refusal: exit 3, one line, before any party started (nothing printed, no "training …" line). */
    private static void refused(CliRun r, String message) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.errorLine()).as(r.toString()).startsWith("securenn: error: ").contains(message).doesNotContain("Exception");
        assertThat(r.out()).as("nothing ran").isEmpty();
    }

    private CliRun secureTrain(Path model, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of("train", "--model", model.toString(), "--dataset", data().toString(),
                "--epochs", "1", "--batch", "32", "--checkpoint-dir", dir.resolve("ck4").toString()));
        a.addAll(List.of(more));
        return run(a.toArray(String[]::new));
    }

    @Test
    void badModelsAndDataAreRefusedBeforeAnyPartyStarts() throws Exception {
        // an operator that cannot be trained (nor imported)
        OnnxBuilder b = new OnnxBuilder(13, new SplittableRandom(1));
        b.input("x", -1, 1, 28, 28);
        String f = b.node("Flatten", "flat", new String[] {"x"}, i("axis", 1));
        String g = b.node("Gemm", "fc", new String[] {f, b.init("w", l(784, 10), -0.1, 0.1)});
        b.g.addOutput(OnnxBuilder.valueInfo("y", -1, 10));
        b.nodeOut("Sigmoid", "squash", new String[] {g}, new String[] {"y"});
        Path sigmoid = write("sigmoid.onnx", b.bytes());
        refused(secureTrain(sigmoid), "sigmoid.onnx: node 'squash' (Sigmoid): operator Sigmoid is not supported");

        // labels outside the model's outputs
        refused(secureTrain(write("four.onnx", lenet(2, 4))), "is not a class 0..3 (the model ");

        // images of another shape
        refused(secureTrain(write("small.onnx", OnnxExportTest.cnn(3, 13).bytes())),
                "small.onnx: the model's input 1×8×8 does not match the images of " + data() + " (1×28×28)");

        // tied weights: one initializer read by two Gemms
        OnnxBuilder t = new OnnxBuilder(13, new SplittableRandom(2));
        t.input("x", -1, 10);
        String w = t.init("shared", l(10, 10), -0.3, 0.3);
        String h = t.node("Gemm", "first", new String[] {"x", w});
        String r = t.node("Relu", "act", new String[] {h});
        t.g.addOutput(OnnxBuilder.valueInfo("y", -1, 10));
        t.nodeOut("Gemm", "second", new String[] {r, w}, new String[] {"y"});
        refused(secureTrain(write("tied.onnx", t.bytes())), "node 'second' (Gemm): its tensor 'shared' is also read by node 'first'");

        // --save-model of a bias computed in the graph (a Reshape of an initializer) cannot be written back
        OnnxBuilder c = new OnnxBuilder(13, new SplittableRandom(3));
        c.input("x", -1, 1, 28, 28);
        String bias = c.node("Reshape", "shape_bias", new String[] {c.init("bias_flat", l(1, 10), -0.1, 0.1), c.initInts("to", 10)});
        String fl = c.node("Flatten", "flat", new String[] {"x"}, i("axis", 1));
        c.g.addOutput(OnnxBuilder.valueInfo("y", -1, 10));
        c.nodeOut("Gemm", "fc", new String[] {fl, c.init("w", l(784, 10), -0.1, 0.1), bias}, new String[] {"y"});
        Path computed = write("computed.onnx", c.bytes());
        refused(secureTrain(computed, "--save-model", dir.resolve("x.onnx").toString()),
                "computed.onnx: node 'fc' (Gemm): its bias is computed in the graph");
        // without --save-model it trains (plaintext, quickly)
        CliRun ok = run("train", "--model", computed.toString(), "--plaintext", "--dataset", data().toString(), "--epochs", "1",
                "--batch", "32", "--test-limit", "0", "--checkpoint-dir", dir.resolve("ck5").toString());
        assertThat(ok.exit()).as(ok.toString()).isZero();

        // nothing to train
        OnnxBuilder z = new OnnxBuilder(13, new SplittableRandom(4));
        z.input("x", -1, 1, 28, 28);
        String pooled = z.node("GlobalAveragePool", "gap", new String[] {"x"});
        z.g.addOutput(OnnxBuilder.valueInfo("y", -1, 1));
        z.nodeOut("Flatten", "flat", new String[] {pooled}, new String[] {"y"}, i("axis", 1));
        refused(secureTrain(write("empty.onnx", z.bytes())), "empty.onnx: nothing to train");

        // options that do not fit an imported model
        CliRun shares = secureTrain(write("lenet.onnx", lenet(4, 10)), "--save-model-shares", dir.resolve("s").toString());
        assertThat(shares.exit()).isEqualTo(2);
        assertThat(shares.errorLine()).contains("--save-model-shares works with --network A-D");
        CliRun both = run("train", "--network", "A", "--model", dir.resolve("lenet.onnx").toString(), "--plaintext");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.errorLine()).contains("give --network A|B|C|D or --model FILE.onnx");
    }
}
