package io.securenn.data;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file of any version with the given header dict and data bytes (padded as NumPy does). */
    static byte[] file(int major, String dict, byte[] data) {
        int pre = major == 1 ? 10 : 12;
        int pad = (64 - (pre + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) h.length);
        else b.putInt(h.length);
        return b.put(h).put(data).array();
    }

    @Test
    void float32RoundTripIsAtomicAndExact() throws Exception {
        Seeded s = Seeded.fromEnvOr(1401);
        Path f = dir.resolve("out.npy");
        double[] v = new double[3 * 7];
        for (int k = 0; k < v.length; k++) v[k] = (float) (s.rnd.nextDouble() * 10 - 5);
        Npy.writeFloat32(f, new int[] {3, 7}, v);
        Npy.Array a = Npy.read(f);
        assertThat(a.shape()).containsExactly(3, 7);
        assertThat(a.dtype()).isEqualTo(Npy.Dtype.FLOAT32);
        assertThat(a.raw()).containsExactly(v);
        assertThat((Files.size(f) - 4L * v.length) % 64).as("header padded to 64 bytes as NumPy does").isZero();
        try (var l = Files.list(dir)) {
            assertThat(l).as(s.msg("no temporary file left")).containsExactly(f);
        }
    }

    @Test
    void everyVersionAndType() {
        byte[] u1 = {0, (byte) 255, 51, 1, 2, 3};
        Npy.Array a = Npy.parse(file(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", u1), "img.npy");
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.raw()).containsExactly(0, 255, 51, 1, 2, 3);
        assertThat(a.scaled()).containsExactly(0, 1, 0.2, 1 / 255.0, 2 / 255.0, 3 / 255.0);
        ByteBuffer i8 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(0).putLong(9);
        Npy.Array l = Npy.parse(file(2, "{\"shape\": (3,), \"fortran_order\": False, \"descr\": \"<i8\"}", i8.array()), "labels.npy");
        assertThat(l.ints("labels.npy")).containsExactly(7, 0, 9);
        ByteBuffer f8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25);
        Npy.Array d = Npy.parse(file(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 1), }", f8.array()), "x.npy");
        assertThat(d.shape()).containsExactly(1, 2, 1);
        assertThat(d.raw()).containsExactly(1.5, -2.25);
        Npy.Array scalar = Npy.parse(Npy.encode(new int[0], Npy.Dtype.FLOAT64, new double[] {3}), "s.npy");
        assertThat(scalar.shape()).isEmpty();
        assertThat(scalar.raw()).containsExactly(3);
        for (Npy.Dtype t : Npy.Dtype.values()) {
            Npy.Array r = Npy.parse(Npy.encode(new int[] {2, 0}, t, new double[0]), "empty.npy");
            assertThat(r.shape()).containsExactly(2, 0);
            assertThat(r.dtype()).isEqualTo(t);
        }
    }

    private static void bad(byte[] b, String message) {
        assertThatThrownBy(() -> Npy.parse(b, "x.npy")).isInstanceOf(SecureNnException.class).hasMessage(message)
                .satisfies(e -> assertThat(((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT));
    }

    @Test
    void badHeadersAreOneLine() {
        byte[] four = new byte[8];
        bad("PK\u0003\u0004 a zip file".getBytes(StandardCharsets.ISO_8859_1), "x.npy: not a NumPy .npy file");
        byte[] v4 = file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", four);
        v4[6] = 4;
        bad(v4, "x.npy: .npy format version 4.0 is not supported (1.0, 2.0, 3.0)");
        bad(file(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", four),
                "x.npy: dtype '>f4' is not supported (<f4, <f8, |u1 or <i8: little-endian float32, float64, uint8, int64)");
        bad(file(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", four),
                "x.npy: dtype '|O' is not supported (<f4, <f8, |u1 or <i8: little-endian float32, float64, uint8, int64)");
        bad(file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", four), "x.npy: fortran_order True is not supported (C order only)");
        bad(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", four), "x.npy: shape (3) of <f4 needs 12 data bytes, the file has 8");
        bad(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", four),
                "x.npy: shape (4294967296, 4294967296) is not valid");
        bad(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }", four),
                "x.npy: shape (2147483647, 2147483647, 2147483647) of <f4 needs too many data bytes, the file has 8");
        bad(file(1, "{'descr': '<f4', 'fortran_order': False}", four), "x.npy: the header has no 'shape' tuple");
        bad(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", four), "x.npy: malformed .npy header");
        bad(file(1, "['descr', '<f4']", four), "x.npy: malformed .npy header");
        byte[] cut = file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", four);
        bad(java.util.Arrays.copyOf(cut, 40), "x.npy: the header runs past the end of the file (truncated?)");
    }

    @Test
    void mutatedFilesParseConsistentlyOrFailWithOneLine() {
        Seeded s = Seeded.fromEnvOr(1402);
        Mutator m = new Mutator(s.rnd, java.util.List.of("'descr'", "'<f4'", "'|u1'", "'<i8'", "'shape'", "(", ")", ",", "True", "False", "{", "}"));
        byte[][] good = new byte[4][];
        for (int t = 0; t < 4; t++) {
            Npy.Dtype d = Npy.Dtype.values()[t];
            double[] v = new double[6];
            for (int k = 0; k < 6; k++) v[k] = s.rnd.nextInt(100);
            good[t] = Npy.encode(new int[] {2, 3}, d, v);
        }
        int parsed = 0;
        for (int c = 0; c < 10_000; c++) {
            byte[] b = m.mutate(good[c % 4]);
            String what = s.msg("case " + c);
            try {
                Npy.Array a = Npy.parse(b, "m.npy");
                long n = 1;
                for (int d : a.shape()) n *= d;
                assertThat((long) a.count()).as(what).isEqualTo(n);
                parsed++;
            } catch (SecureNnException e) {
                assertThat(e.getMessage()).as(what).startsWith("m.npy: ").doesNotContain("\n");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(parsed).as(s.msg("mutations that still parse")).isPositive().isLessThan(10_000);
    }
}
