package io.securenn.cli;

import io.securenn.SecureNnException.Kind;
import io.securenn.data.Idx;
import io.securenn.model.Architecture;
import io.securenn.model.Init;
import io.securenn.model.ModelFile;
import io.securenn.testutil.SyntheticMnist;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cases of the bad-input catalogue (docs/ERRORS.md) not already covered where their code is tested: each runs
 * the real command line in this JVM and asserts the exit code and the one error line. The catalogue in the docs
 * names the test of every case.
 */
@Timeout(120)
class BadInputCatalogueTest {

    @TempDir
    Path dir;

    private static void expect(CliRun r, Kind kind, String message) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(kind.exitCode);
        assertThat(r.errorLine()).as(r.toString()).startsWith("securenn: error: ").contains(message)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void expectExact(CliRun r, Kind kind, String line) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(kind.exitCode);
        assertThat(r.errorLine()).isEqualTo(line);
    }

    // ---- usage (exit 2) ----

    @Test
    void usageErrors() {
        expectExact(CliRun.of("frobnicate"), Kind.USAGE, "securenn: error: unknown command 'frobnicate' (see: securenn --help)");
        expectExact(CliRun.of("train", "--network", "A", "--frob"), Kind.USAGE,
                "securenn: error: Unknown option: '--frob' (see: securenn train --help)");
        expectExact(CliRun.of("keys", "--party", "1"), Kind.USAGE,
                "securenn: error: Missing required option: '--out=DIR' (see: securenn keys --help)");
        expect(CliRun.of("train", "--network", "A", "--plaintext", "--batch", "abc"), Kind.USAGE,
                "Invalid value for option '--batch': 'abc' is not an int");
        expectExact(CliRun.of("train", "--network", "A", "--plaintext", "--batch", "0", "--dataset", dir.toString()),
                Kind.USAGE, "securenn: error: --batch must be a power of two, got 0");
        expectExact(CliRun.of("train", "--network", "A", "--plaintext", "--epochs", "0", "--dataset", dir.toString()),
                Kind.USAGE, "securenn: error: --epochs must be at least 1");
        expectExact(CliRun.of("infer", "--network", "A", "--plaintext", "--batch", "0", "--model", "m", "--dataset",
                dir.toString()), Kind.USAGE, "securenn: error: --batch must be positive");
    }

    @Test
    void batchLargerThanTheTrainingSet() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        SyntheticMnist.write(data, 16, 8, 1, false);
        expectExact(train(data, 32), Kind.USAGE, "securenn: error: batch size 32 exceeds the 16 training images");
    }

    // ---- cluster config (exit 3, or 6 for an identity problem) ----

    @Test
    void configThatIsADirectoryOrAnEndlessFile() {
        expect(CliRun.of("op", "mul", "--party", "2", "--config", dir.toString()), Kind.BAD_INPUT,
                "cluster config: cannot read " + dir + ": Is a directory");
        expect(CliRun.of("op", "mul", "--party", "2", "--config", "/dev/zero"), Kind.BAD_INPUT,
                "cluster config: /dev/zero is larger than 1 MiB (is it the right file?)");
    }

    @Test
    void expiredCertificateInTheConfig() throws IOException {
        assertThat(CliRun.of("keys", "--out", dir.toString(), "--hosts", "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3").exit())
                .isZero();
        // valid from an hour ago for one minute: expired
        Pem.writeCertificate(dir.resolve("p1.crt"), TlsIdentity.generate(1, Duration.ofMinutes(1)).certificate(), true);
        CliRun r = CliRun.of("op", "mul", "--party", "2", "--config", dir.resolve("cluster.properties").toString());
        expect(r, Kind.TLS_IDENTITY, "the certificate of P1 expired on ");
        assertThat(r.errorLine()).contains("make new keys").contains("p1.crt");
    }

    // ---- data sets (exit 3) ----

    private static CliRun train(Path data) {
        return train(data, 8);
    }

    private static CliRun train(Path data, int batch) {
        return CliRun.of("train", "--network", "A", "--plaintext", "--epochs", "1", "--batch", Integer.toString(batch),
                "--dataset", data.toString(), "--checkpoint-dir", data.resolveSibling("checkpoints").toString());
    }

    private Path dataset(String name) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        SyntheticMnist.write(d, 20, 8, 3, false);
        return d;
    }

    @Test
    void defectiveIdxFilesAreNamed() throws IOException {
        Path truncated = dataset("truncated");
        Path f = truncated.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        expect(train(truncated), Kind.BAD_INPUT, f + ": truncated: the header [20, 28, 28] needs 15680 data bytes, the file has 15580");

        Path magic = dataset("magic");
        Path g = magic.resolve("t10k-labels-idx1-ubyte");
        byte[] m = Files.readAllBytes(g);
        m[0] = 'P';
        Files.write(g, m);
        expect(train(magic), Kind.BAD_INPUT, g + ": not an IDX file (magic 50 00, expected 00 00)");

        Path rank = dataset("rank");
        Path h = rank.resolve("train-labels-idx1-ubyte");
        Files.write(h, Idx.encode(new int[] {20, 1, 1}, new byte[20]));
        expect(train(rank), Kind.BAD_INPUT, h + ": has 3 dimensions, expected 1");

        Path notDir = Files.writeString(dir.resolve("file"), "x");
        expect(train(notDir), Kind.BAD_INPUT, "dataset directory " + notDir + " is not a directory");
    }

    @Test
    void inconsistentImagesAndLabels() throws IOException {
        Path count = dataset("count");
        Files.write(count.resolve("train-labels-idx1-ubyte"), Idx.encode(new int[] {19}, new byte[19]));
        expect(train(count), Kind.BAD_INPUT, "(train): 20 images but 19 labels");

        Path label = dataset("label");
        byte[] labels = new byte[20];
        labels[5] = 12;
        Files.write(label.resolve("train-labels-idx1-ubyte"), Idx.encode(new int[] {20}, labels));
        expect(train(label), Kind.BAD_INPUT, "(train): label 12 of image 5 is not a class 0..9");

        Path differ = dataset("differ");
        Files.write(differ.resolve("train-images-idx3-ubyte"), Idx.encode(new int[] {20, 10, 10}, new byte[2000]));
        expect(train(differ), Kind.BAD_INPUT, differ + ": the training images are 10×10 but the test images 28×28");

        Path size = dataset("size");
        Files.write(size.resolve("train-images-idx3-ubyte"), Idx.encode(new int[] {20, 10, 10}, new byte[2000]));
        Files.write(size.resolve("t10k-images-idx3-ubyte"), Idx.encode(new int[] {8, 10, 10}, new byte[800]));
        expect(train(size), Kind.BAD_INPUT, "images are 10×10, network A needs 784 pixels (28×28)");
    }

    // ---- model files (exit 3) ----

    @Test
    void corruptTruncatedAndEndlessModelFiles() throws IOException {
        Path data = dataset("data");
        byte[] good = ModelFile.encode(Init.draw(Architecture.A, 1));
        Path flipped = dir.resolve("flipped.snn"), cut = dir.resolve("cut.snn");
        byte[] f = good.clone();
        f[good.length / 3] ^= 4;
        Files.write(flipped, f);
        Files.write(cut, Arrays.copyOf(good, good.length / 2));
        String[] infer = {"infer", "--network", "A", "--plaintext", "--dataset", data.toString(), "--model"};
        expectExact(CliRun.of(with(infer, flipped.toString())), Kind.BAD_INPUT,
                "securenn: error: model file " + flipped + ": checksum mismatch (file corrupted)");
        expectExact(CliRun.of(with(infer, cut.toString())), Kind.BAD_INPUT,
                "securenn: error: model file " + cut + ": truncated");
        expectExact(CliRun.of(with(infer, "/dev/zero")), Kind.BAD_INPUT,
                "securenn: error: model file: /dev/zero is larger than 64 MiB (is it the right file?)");
    }

    private static String[] with(String[] a, String last) {
        String[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = last;
        return r;
    }

    // ---- internal errors (exit 70) and the one-line rule ----

    @Test
    void unexpectedErrorsAreOneLineWithTheInternalCode() {
        StringWriter e = new StringWriter();
        int code = Main.fail(new PrintWriter(e), new IllegalStateException("boom\n\tat somewhere"));
        assertThat(code).isEqualTo(Kind.INTERNAL.exitCode);
        assertThat(e.toString()).isEqualTo("securenn: error: internal error: IllegalStateException: boom  at somewhere"
                + System.lineSeparator());
        StringWriter o = new StringWriter();
        assertThat(Main.fail(new PrintWriter(o), new OutOfMemoryError("Java heap space"))).isEqualTo(Kind.INTERNAL.exitCode);
        assertThat(o.toString().strip()).isEqualTo("securenn: error: out of memory (raise -Xmx through SECURENN_JAVA_OPTS)");
        // a project error wrapped by a library keeps its own kind and message; control characters never reach
        // the terminal
        StringWriter w = new StringWriter();
        int wrapped = Main.fail(new PrintWriter(w), new RuntimeException("wrapper",
                io.securenn.SecureNnException.badInput("file a\u001b[2Jb: bad")));
        assertThat(wrapped).isEqualTo(Kind.BAD_INPUT.exitCode);
        assertThat(w.toString().strip()).isEqualTo("securenn: error: file a?[2Jb: bad");
    }
}
