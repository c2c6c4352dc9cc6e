package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    /** Writes the four files of a small MNIST-like dataset (images n×rows×cols) into dir. */
    static void writeDataset(Path dir, int nTrain, int nTest, int rows, int cols, long seed, boolean gz) throws IOException {
        Seeded s = new Seeded(seed);
        for (String prefix : new String[] {"train", "t10k"}) {
            int n = prefix.equals("train") ? nTrain : nTest;
            byte[] px = new byte[n * rows * cols], lb = new byte[n];
            for (int i = 0; i < n; i++) {
                lb[i] = (byte) s.rnd.nextInt(10);
                // a learnable pattern: a bright bar whose row is the label
                for (int j = 0; j < rows * cols; j++) px[i * rows * cols + j] = (byte) s.rnd.nextInt(40);
                int row = (lb[i] * 2 + 4) % rows;
                for (int c = 4; c < cols - 4; c++) px[i * rows * cols + row * cols + c] = (byte) 255;
            }
            byte[] img = Idx.encode(new int[] {n, rows, cols}, px), lab = Idx.encode(new int[] {n}, lb);
            String ext = gz ? ".gz" : "";
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gz ? gzip(img) : img);
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gz ? gzip(lab) : lab);
        }
    }

    @Test
    void readsRawAndGzipIdentically() throws IOException {
        byte[] data = new byte[3 * 4 * 5];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        byte[] file = Idx.encode(new int[] {3, 4, 5}, data);
        Files.write(dir.resolve("raw"), file);
        Files.write(dir.resolve("packed.bin"), gzip(file)); // detected by magic, not by name
        for (String name : new String[] {"raw", "packed.bin"}) {
            Idx.Array a = Idx.read(dir.resolve(name), 3);
            assertThat(a.dims()).containsExactly(3, 4, 5);
            assertThat(a.data()).containsExactly(data);
        }
    }

    private void assertBad(byte[] content, int rank, String message) throws IOException {
        Path f = dir.resolve("bad-" + Math.abs(Arrays.hashCode(content)) + "-" + rank);
        Files.write(f, content);
        assertThatThrownBy(() -> Idx.read(f, rank)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(message)
                .satisfies(e -> assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void rejectsDefectiveFiles() throws IOException {
        byte[] good = Idx.encode(new int[] {2, 3, 3}, new byte[18]);
        assertBad(Arrays.copyOf(good, good.length - 1), 3, "truncated");
        assertBad(Arrays.copyOf(good, 10), 3, "truncated header");
        assertBad(new byte[] {0, 0}, 3, "too short");
        byte[] magic = good.clone();
        magic[0] = 0x12;
        assertBad(magic, 3, "not an IDX file");
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertBad(type, 3, "not supported");
        assertBad(good, 1, "has 3 dimensions, expected 1");
        assertBad(Arrays.copyOf(good, good.length + 5), 3, "5 unexpected bytes");
        assertBad(Arrays.copyOf(gzip(good), 15), 3, "gzip");
        assertThatThrownBy(() -> Idx.read(dir.resolve("missing"), 3)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void datasetChecksCountsAndLabels() {
        Idx.Array images = new Idx.Array(new int[] {3, 2, 2}, new byte[12]);
        Idx.Array labels = new Idx.Array(new int[] {2}, new byte[2]);
        assertThatThrownBy(() -> Dataset.of("x", images, labels, 10)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("3 images but 2 labels");
        Idx.Array badLabel = new Idx.Array(new int[] {3}, new byte[] {1, 10, 2});
        assertThatThrownBy(() -> Dataset.of("x", images, badLabel, 10)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("label 10 of image 1");
    }

    @Test
    void pixelsAreScaledToUnitIntervalThenEncoded() {
        byte[] px = {0, (byte) 255, (byte) 128, 1};
        Dataset d = new Dataset("t", 1, 2, 2, 10, px, new byte[] {7});
        long[] enc = d.imagesFixed(new int[] {0});
        assertThat(enc).containsExactly(0, FixedPoint.ONE, FixedPoint.encode(128 / 255.0), FixedPoint.encode(1 / 255.0));
        assertThat(d.labelsOneHotFixed(new int[] {0})).containsExactly(0, 0, 0, 0, 0, 0, 0, FixedPoint.ONE, 0, 0);
        assertThat(d.labelsInteger(new int[] {0, 0})).containsExactly(7, 7);
        assertThat(d.limit(1).count()).isEqualTo(1);
    }

    @Test
    void loadsADirectoryOfRawOrGzipFiles() throws IOException {
        Path raw = Files.createDirectory(dir.resolve("raw")), gz = Files.createDirectory(dir.resolve("gz"));
        writeDataset(raw, 20, 8, 28, 28, 5, false);
        writeDataset(gz, 20, 8, 28, 28, 5, true);
        Datasets.Split a = Datasets.load(raw.toString()), b = Datasets.load(gz.toString());
        assertThat(a.train().count()).isEqualTo(20);
        assertThat(a.test().count()).isEqualTo(8);
        assertThat(a.train().imagesFixed(new int[] {3})).containsExactly(b.train().imagesFixed(new int[] {3}));
        Files.delete(raw.resolve("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> Datasets.load(raw.toString())).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("missing t10k-labels-idx1-ubyte");
        assertThatThrownBy(() -> Datasets.load(dir.resolve("nope").toString())).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("does not exist");
    }
}
