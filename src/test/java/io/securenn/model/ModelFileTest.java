package io.securenn.model;

import io.securenn.SecureNnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryArchitecture() {
        for (Architecture a : Architecture.values()) {
            ModelWeights w = Init.draw(a, 3);
            long[] first = w.tensors().get(0);
            first[0] = Long.MIN_VALUE; // extreme encodings survive
            first[1] = -1;
            Path f = dir.resolve("m-" + a + ".snn");
            ModelFile.write(f, w);
            ModelWeights r = ModelFile.read(f, a);
            assertThat(r.architecture()).isEqualTo(a);
            for (int i = 0; i < w.tensors().size(); i++) assertThat(r.tensors().get(i)).isEqualTo(w.tensors().get(i));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".snn")); // no temp left
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertBad(byte[] data, Architecture expected, String message) {
        assertThatThrownBy(() -> ModelFile.decode(data, "m.snn", expected)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("m.snn").hasMessageContaining(message)
                .satisfies(e -> assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT));
    }

    @Test
    void rejectsCorruptTruncatedAndMismatchedFiles() {
        byte[] good = ModelFile.encode(Init.draw(Architecture.D, 1));
        assertThat(ModelFile.decode(good, "m.snn", Architecture.D).architecture()).isEqualTo(Architecture.D);
        assertBad(good, Architecture.A, "holds network D, but network A was asked for");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertBad(flipped, Architecture.D, "checksum mismatch");
        byte[] sum = good.clone();
        sum[good.length - 1] ^= 1;
        assertBad(sum, Architecture.D, "checksum mismatch");
        for (int cut : new int[] {0, 3, 9, 40, good.length / 2, good.length - 1}) {
            assertBad(Arrays.copyOf(good, cut), Architecture.D, "truncated");
        }
        assertBad(Arrays.copyOf(good, good.length + 2), Architecture.D, "2 unexpected bytes");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertBad(magic, null, "wrong magic");
        byte[] version = good.clone();
        version[5] = 9;
        assertBad(version, null, "unsupported model file version 9");
        byte[] scale = good.clone();
        scale[6] = 16;
        assertBad(scale, null, "fixed-point scale 2^16");
    }

    @Test
    void missingFileIsAOneLineError() {
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("none.snn"), null)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("no such file");
    }
}
