package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint reader on damaged and on mutated files: a damaged file is named with a one-line BAD_INPUT error;
 * a mutated one (half of them with a recomputed checksum, so the structure checks are reached) either decodes
 * consistently or fails the same way; nothing else escapes, and hostile lengths allocate nothing.
 */
@Timeout(60)
class CheckpointFuzzTest {
    static final int CASES = 10_000;

    static Checkpoint sample(Seeded s) {
        List<long[]> ts = new ArrayList<>();
        for (int i = 0; i < 1 + s.rnd.nextInt(4); i++) ts.add(s.longs(s.rnd.nextInt(6)));
        byte[] run = new byte[16];
        s.rnd.nextBytes(run);
        return new Checkpoint(s.rnd.nextInt(3), run, "A", s.rnd.nextInt(5), s.rnd.nextInt(100), s.rnd.nextLong(1000),
                s.longs(3), ts);
    }

    static byte[] resign(byte[] data) {
        if (data.length < 32) return data;
        try {
            byte[] out = data.clone();
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(data, data.length - 32));
            System.arraycopy(h, 0, out, data.length - 32, 32);
            return out;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void damagedCheckpointsAreNamed() {
        Seeded s = Seeded.fromEnvOr(2801);
        byte[] good = sample(s).encode();
        assertThat(Checkpoint.decode(good, "c.snnc").tensors()).isNotEmpty();
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        assertBad(flipped, "checkpoint c.snnc: checksum mismatch (truncated or corrupted)");
        assertBad(Arrays.copyOf(good, good.length - 9), "checkpoint c.snnc: checksum mismatch (truncated or corrupted)");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertBad(magic, "checkpoint c.snnc: not a securenn checkpoint (wrong magic)");
        assertBad(new byte[3], "checkpoint c.snnc: not a securenn checkpoint (wrong magic)");
    }

    private static void assertBad(byte[] data, String message) {
        assertThatThrownBy(() -> Checkpoint.decode(data, "c.snnc")).isInstanceOf(SecureNnException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT));
    }

    @Test
    void mutatedCheckpointsDecodeConsistentlyOrFailWithOneLine() {
        Seeded s = Seeded.fromEnvOr(2802);
        Mutator m = new Mutator(s.rnd);
        int decoded = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] data = m.mutate(sample(s).encode());
            if (c % 2 == 1) data = resign(data);
            String what = s.msg("case " + c);
            try {
                Checkpoint k = Checkpoint.decode(data, "c.snnc");
                assertThat(k.runId()).as(what).hasSize(16);
                // what decodes encodes back to the same bytes: no field was read from the wrong place (non-ASCII
                // bytes of the architecture name decode to U+FFFD, so compare only the length then)
                if (k.architecture().chars().anyMatch(ch -> ch > 0x7f)) assertThat(k.encode()).as(what).hasSameSizeAs(data);
                else assertThat(k.encode()).as(what).isEqualTo(data);
                decoded++;
            } catch (SecureNnException e) {
                assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(e.getMessage()).as(what).startsWith("checkpoint c.snnc: ").doesNotContain("\n");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(decoded).as(s.msg("re-signed mutations that still decode")).isBetween(CASES / 100, CASES / 2);
    }
}
