package io.securenn.model;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model-file reader on mutated files: a file either decodes to weights of exactly the architecture's shapes,
 * or fails with a one-line BAD_INPUT error naming the file; no other exception escapes and hostile dimensions
 * allocate nothing. Half the mutated files get a recomputed checksum, so the structure checks behind the
 * checksum are reached too (the checksum detects corruption, it is no defence against a crafted file).
 */
@Timeout(60)
class ModelFileFuzzTest {
    static final int CASES = 20_000;

    @TempDir
    Path dir;

    /**
     * A file in the model format whose tensors are small: the real names of network A (so the arch and name
     * checks pass and the shape check decides), with shapes shrunk to at most 3 per dimension. Encoded here
     * because ModelFile only writes real networks, and a real one is too large to mutate 10^4 times quickly.
     */
    static byte[] smallModel(Seeded s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(ModelFile.MAGIC);
            out.writeShort(ModelFile.VERSION);
            out.writeByte(13);
            name(out, "A");
            List<Architecture.ParamShape> shapes = Architecture.A.parameterShapes();
            out.writeShort(shapes.size());
            for (Architecture.ParamShape p : shapes) {
                name(out, p.name());
                out.writeByte(p.shape().length);
                int n = 1;
                for (int d : p.shape()) {
                    int small = 1 + s.rnd.nextInt(3);
                    out.writeInt(small);
                    n *= small;
                }
                for (int i = 0; i < n; i++) out.writeLong(s.rnd.nextLong());
            }
            return withChecksum(bytes.toByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void name(DataOutputStream out, String n) throws IOException {
        byte[] b = n.getBytes(StandardCharsets.US_ASCII);
        out.writeByte(b.length);
        out.write(b);
    }

    /** body followed by its SHA-256, as the format ends. */
    static byte[] withChecksum(byte[] body) {
        try {
            byte[] all = Arrays.copyOf(body, body.length + 32);
            System.arraycopy(MessageDigest.getInstance("SHA-256").digest(body), 0, all, body.length, 32);
            return all;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void check(byte[] data, String what) {
        try {
            ModelWeights w = ModelFile.decode(data, "m.snn", null);
            List<Architecture.ParamShape> shapes = w.architecture().parameterShapes();
            assertThat(w.tensors()).as(what).hasSameSizeAs(shapes);
            for (int i = 0; i < shapes.size(); i++) assertThat(w.tensors().get(i)).as(what).hasSize(shapes.get(i).size());
        } catch (SecureNnException e) {
            assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
            assertThat(e.getMessage()).as(what).startsWith("model file m.snn: ").doesNotContain("\n");
            assertThat(e.getMessage().chars().allMatch(ch -> ch >= 0x20)).as(what + ": printable").isTrue();
        } catch (Throwable e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    @Test
    void mutatedFilesDecodeOrFailWithOneLine() {
        Seeded s = Seeded.fromEnvOr(2401);
        Mutator m = new Mutator(s.rnd, List.of("A", "B", "C", "D", "fc1.W", "fc1.b", "conv1.W", "\n", "\u001b[2J"));
        for (int c = 0; c < CASES; c++) {
            byte[] mutated = m.mutate(smallModel(s));
            if (c % 2 == 1 && mutated.length >= 32) mutated = withChecksum(Arrays.copyOf(mutated, mutated.length - 32));
            check(mutated, s.msg("case " + c));
        }
    }

    @Test
    void realModelsSurviveMutationAndTheSizeLimitCoversThem() throws IOException {
        Seeded s = Seeded.fromEnvOr(2402);
        Mutator m = new Mutator(s.rnd);
        for (Architecture a : Architecture.values()) {
            byte[] good = ModelFile.encode(Init.draw(a, 5));
            assertThat(good.length).as(a + " model file size").isLessThan(ModelFile.MAX_BYTES / 8);
            for (int c = 0; c < 50; c++) {
                byte[] mutated = m.mutate(good);
                if (c % 2 == 1) mutated = withChecksum(Arrays.copyOf(mutated, Math.max(0, mutated.length - 32)));
                check(mutated, s.msg(a + " case " + c));
            }
        }
        // a file far longer than any model is refused before it is read whole
        Path big = dir.resolve("big.snn");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), ModelFile.MAX_BYTES); // sparse
        }
        try {
            ModelFile.read(big, null);
            throw new AssertionError("an oversized model file was read");
        } catch (SecureNnException e) {
            assertThat(e.getMessage()).contains("is larger than 64 MiB");
        }
        assertThat(Files.size(big)).isEqualTo(ModelFile.MAX_BYTES + 1L);
    }

    @Test
    void hostileDimensionsAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Seeded s = Seeded.fromEnvOr(2403);
        byte[] good = smallModel(s);
        // first tensor header starts after magic(4) version(2) frac(1) arch(2) count(2) name(1+5) rank(1)
        byte[] hostile = good.clone();
        int dim0 = 4 + 2 + 1 + 2 + 2 + 6 + 1;
        hostile[dim0] = 0x7f; // 2^31-ish rows
        long before = mx.getCurrentThreadAllocatedBytes();
        check(withChecksum(Arrays.copyOf(hostile, hostile.length - 32)), s.msg("hostile dimension"));
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).isLessThan(1L << 20);
    }
}
