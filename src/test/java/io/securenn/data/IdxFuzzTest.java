package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDX reader (raw bytes, and gzip files on disk) and the dataset checks behind it on mutated MNIST-like
 * files: a file either parses to dimensions that match its data, or fails with a one-line BAD_INPUT error naming
 * the file; no other exception escapes, and a header announcing gigabytes allocates nothing for them.
 */
@Timeout(60)
class IdxFuzzTest {
    static final int CASES = 20_000;

    @TempDir
    Path dir;

    private static byte[] validFile(Seeded s, int rank) {
        int n = 1 + s.rnd.nextInt(6);
        int[] dims = rank == 1 ? new int[] {n} : new int[] {n, 1 + s.rnd.nextInt(5), 1 + s.rnd.nextInt(5)};
        int size = 1;
        for (int d : dims) size *= d;
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) data[i] = (byte) (rank == 1 ? s.rnd.nextInt(10) : s.rnd.nextInt(256));
        return Idx.encode(dims, data);
    }

    private static void checkParsed(Idx.Array a, int rank, String what) {
        assertThat(a.dims()).as(what).hasSize(rank);
        long n = 1;
        for (int d : a.dims()) n *= d;
        assertThat((long) a.data().length).as(what).isEqualTo(n);
    }

    private static void checkError(SecureNnException e, String name, String what) {
        assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
        assertThat(e.getMessage()).as(what).startsWith(name).doesNotContain("\n");
    }

    @Test
    void mutatedRawFilesParseConsistentlyOrFailWithOneLine() {
        Seeded s = Seeded.fromEnvOr(2301);
        Mutator m = new Mutator(s.rnd);
        int parsed = 0, datasets = 0;
        for (int c = 0; c < CASES; c++) {
            int rank = c % 2 == 0 ? 3 : 1;
            byte[] images = m.mutate(validFile(s, 3)), labels = validFile(s, 1);
            if (rank == 1) {
                labels = m.mutate(labels);
                images = validFile(s, 3);
            }
            String what = s.msg("case " + c);
            try {
                Idx.Array im = Idx.parse(images, "images", 3);
                Idx.Array lb = Idx.parse(labels, "labels", 1);
                checkParsed(im, 3, what);
                checkParsed(lb, 1, what);
                parsed++;
                Dataset d = Dataset.of("set", im, lb, Datasets.CLASSES);
                for (int i = 0; i < d.count(); i++) assertThat(d.label(i)).as(what).isBetween(0, 9);
                datasets++;
            } catch (SecureNnException e) {
                assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(e.getMessage()).as(what).matches("(images|labels|set)[: ].*").doesNotContain("\n");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(parsed).as(s.msg("mutated files that still parse")).isBetween(CASES / 100, CASES / 2);
        assertThat(datasets).as(s.msg("of which make a dataset")).isPositive().isLessThan(parsed);
    }

    @Test
    void mutatedGzipFilesOnDiskParseOrFailWithOneLine() throws IOException {
        Seeded s = Seeded.fromEnvOr(2302);
        Mutator m = new Mutator(s.rnd);
        Path f = dir.resolve("images.gz");
        int parsed = 0;
        for (int c = 0; c < 500; c++) { // on disk, so fewer: the raw-bytes test above covers the parser
            byte[] gz = SyntheticMnist.gz(validFile(s, 3));
            // mutate the compressed bytes (mostly corrupt streams) or the content before compressing
            byte[] bytes = c % 2 == 0 ? m.mutate(gz) : SyntheticMnist.gz(m.mutate(validFile(s, 3)));
            Files.write(f, bytes);
            String what = s.msg("case " + c);
            try {
                checkParsed(Idx.read(f, 3), 3, what);
                parsed++;
            } catch (SecureNnException e) {
                checkError(e, f.toString(), what);
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(parsed).as(s.msg("gzip files that still parse")).isPositive();
    }

    @Test
    void aHeaderAnnouncingAGigabyteOfDataIsTruncatedNotAllocated() throws IOException {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] lying = Idx.encode(new int[] {1 << 14, 256, 256}, new byte[1000]); // claims 2^30 bytes
        Path raw = dir.resolve("raw"), gz = dir.resolve("gz");
        Files.write(raw, lying);
        Files.write(gz, SyntheticMnist.gz(lying));
        for (Path f : new Path[] {raw, gz}) {
            long before = mx.getCurrentThreadAllocatedBytes();
            try {
                Idx.read(f, 3);
                throw new AssertionError("a truncated file was accepted");
            } catch (SecureNnException e) {
                assertThat(e.getMessage()).contains("needs 1073741824 data bytes, the file has 1000");
            }
            assertThat(mx.getCurrentThreadAllocatedBytes() - before).as(f + ": bytes allocated").isLessThan(8L << 20);
        }
        byte[] tooBig = Idx.encode(new int[] {1 << 14, 256, 257}, new byte[0]);
        checkError(catchBad(() -> Idx.parse(tooBig, "big", 3)), "big", "over the limit");
    }

    private static SecureNnException catchBad(Runnable r) {
        try {
            r.run();
        } catch (SecureNnException e) {
            return e;
        }
        throw new AssertionError("no error");
    }
}
