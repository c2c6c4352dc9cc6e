package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.ring.FixedPoint;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] b) throws IOException {
        return SyntheticMnist.gz(b);
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
        SyntheticMnist.write(raw, 20, 8, 5, false);
        SyntheticMnist.write(gz, 20, 8, 5, true);
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
