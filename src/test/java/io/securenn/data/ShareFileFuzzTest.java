package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The share-file reader (the files a data or model owner deals to the servers) on damaged, misplaced and mutated
 * files: each ends in shares of the declared lengths or a one-line BAD_INPUT error naming the file.
 */
@Timeout(60)
class ShareFileFuzzTest {
    static final int CASES = 10_000;

    @TempDir
    Path dir;

    private Path[] deal(Seeded s) {
        Map<String, long[]> tensors = new LinkedHashMap<>();
        tensors.put("images", s.longs(1 + s.rnd.nextInt(8)));
        tensors.put("labels", s.longs(s.rnd.nextInt(4)));
        byte[] seed = new byte[32];
        s.rnd.nextBytes(seed);
        return ShareFile.deal(dir, "dataset", Map.of("count", 3L), tensors, seed).toArray(Path[]::new);
    }

    @Test
    void damagedOrMisplacedShareFilesAreNamed() throws IOException {
        Seeded s = Seeded.fromEnvOr(2901);
        Path[] files = deal(s);
        assertThat(ShareFile.read(files[0], "dataset", 0).shares().get("images")).isNotNull();
        assertBad(() -> ShareFile.read(files[0], "dataset", 1), "share file dataset-P0.snns: is party P0's share, this is P1");
        assertBad(() -> ShareFile.read(files[1], "model", 1), "share file dataset-P1.snns: holds dataset shares, model expected");
        byte[] b = Files.readAllBytes(files[0]);
        b[b.length / 2] ^= 1;
        Files.write(files[0], b);
        assertBad(() -> ShareFile.read(files[0], "dataset", 0), "share file dataset-P0.snns: checksum mismatch (truncated or corrupted)");
        Files.write(files[2], new byte[] {'S', 'N'});
        assertBad(() -> ShareFile.read(files[2], "dataset", 2), "share file dataset-P2.snns: not a securenn share file");
    }

    private static void assertBad(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(SecureNnException.class).hasMessage(message)
                .satisfies(e -> assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT));
    }

    @Test
    void aSeedFileDeclaringMoreThanTheLimitIsRefused() {
        Path f = dir.resolve("huge-P1.snns");
        Map<String, Integer> lengths = new LinkedHashMap<>();
        lengths.put("a", 1 << 27);
        lengths.put("b", (1 << 27) + 1);
        io.securenn.AtomicFiles.write(f, new ShareFile(1, "dataset", Map.of(), lengths, new byte[32], null).encode());
        assertBad(() -> ShareFile.read(f, "dataset", 1), "share file huge-P1.snns: declares more than 2^28 values in all");
    }

    @Test
    void mutatedShareFilesReadConsistentlyOrFailWithOneLine() throws Exception {
        Seeded s = Seeded.fromEnvOr(2902);
        Mutator m = new Mutator(s.rnd);
        Path[] files = deal(s);
        byte[][] good = new byte[3][];
        for (int p = 0; p < 3; p++) good[p] = Files.readAllBytes(files[p]);
        Path f = Path.of("mutated.snns"); // decoded in memory: names the file in messages only
        int read = 0;
        for (int c = 0; c < CASES; c++) {
            int party = c % 3;
            byte[] data = m.mutate(good[party]);
            if (c % 2 == 1 && data.length >= 32) {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(data, data.length - 32));
                System.arraycopy(h, 0, data, data.length - 32, 32);
            }
            String what = s.msg("case " + c);
            try {
                ShareFile sf = ShareFile.decode(data, f, "dataset", party);
                long declared = sf.lengths().values().stream().mapToLong(Integer::longValue).sum();
                assertThat(declared).as(what).isLessThanOrEqualTo(ShareFile.MAX_ELEMENTS);
                // P1 regenerates its shares at the declared lengths: legitimate up to the limit, but slow to
                // test at gigabytes; the limit itself is tested below
                if (declared <= 1 << 20) {
                    for (var e : sf.shares().entrySet()) {
                        assertThat(e.getValue()).as(what).hasSize(sf.lengths().get(e.getKey()));
                    }
                }
                read++;
            } catch (SecureNnException e) {
                assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(e.getMessage()).as(what).startsWith("share file mutated.snns: ").doesNotContain("\n");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(read).as(s.msg("re-signed mutations that still read")).isPositive().isLessThan(CASES / 2);
    }
}
