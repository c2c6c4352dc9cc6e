package io.securenn.random;

import io.securenn.ring.Zp;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every draw of {@link Prg} against an independent model over the AES-CTR keystream computed in one piece by the
 * JDK's cipher: whatever the stream computes lazily and in whatever pieces, it must draw exactly the values (and
 * advance its position exactly as) the model does over the whole keystream.
 */
class PrgKeystreamTest {
    /** The stream's block: a draw of longs that would straddle a 64 KiB boundary skips the block's last bytes. */
    private static final int BLOCK = 64 * 1024;

    /** The model: a cursor over the keystream, with the block rule for longs. */
    private static final class Model {
        final byte[] ks;
        int pos;

        Model(byte[] key, byte[] iv, int bytes) throws Exception {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            ks = c.doFinal(new byte[bytes]);
        }

        int u8() {
            return ks[pos++] & 0xff;
        }

        long u64() {
            if (BLOCK - pos % BLOCK < 8) pos += BLOCK - pos % BLOCK;
            long v = ByteBuffer.wrap(ks, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            pos += 8;
            return v;
        }

        byte[] reject(int n, int limit, int mod, int plus) {
            byte[] r = new byte[n];
            for (int i = 0; i < n; ) {
                int b = u8();
                if (b < limit) r[i++] = (byte) (b % mod + plus);
            }
            return r;
        }
    }

    @Test
    void everyDrawIsTheModelsOverTheWholeKeystream() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 6; trial++) {
            byte[] key = new byte[16], iv = new byte[16];
            for (int i = 0; i < 16; i++) {
                key[i] = (byte) rnd.nextInt(256);
                iv[i] = (byte) rnd.nextInt(256);
            }
            if (trial == 0) java.util.Arrays.fill(iv, (byte) 0xff); // the counter wraps at once
            Prg prg = new Prg(key, iv);
            Model m = new Model(key, iv, 24 * BLOCK);
            for (int step = 0; step < 60 && m.pos < 20 * BLOCK; step++) {
                // mostly short draws (as a fork or a batch stream makes), now and then one across blocks
                int n = rnd.nextInt(10) == 0 ? rnd.nextInt(3 * BLOCK / 8) : rnd.nextInt(1, 300);
                String what = "seed " + seed + ", trial " + trial + ", step " + step + ", n " + n;
                switch (rnd.nextInt(8)) {
                    case 0 -> {
                        byte[] want = new byte[n];
                        for (int i = 0; i < n; i++) want[i] = (byte) m.u8();
                        assertThat(prg.bytes(n)).as(what).isEqualTo(want);
                    }
                    case 1 -> {
                        long[] want = new long[n];
                        for (int i = 0; i < n; i++) want[i] = m.u64();
                        assertThat(prg.longs(n)).as(what).isEqualTo(want);
                    }
                    case 2 -> assertThat(prg.modP(n)).as(what).isEqualTo(m.reject(n, 3 * Zp.P, Zp.P, 0));
                    case 3 -> assertThat(prg.nonZeroModP(n)).as(what).isEqualTo(m.reject(n, 3 * (Zp.P - 1), Zp.P - 1, 1));
                    case 4 -> assertThat(prg.modPMinusOne(n)).as(what).isEqualTo(m.reject(n, 3 * (Zp.P - 1), Zp.P - 1, 0));
                    case 5 -> {
                        int size = rnd.nextInt(1, 65), count = 1 + n / 64;
                        byte[] want = new byte[count * size];
                        for (int k = 0; k < count; k++) {
                            int base = k * size;
                            for (int i = 0; i < size; i++) want[base + i] = (byte) i;
                            for (int i = size - 1; i > 0; ) {
                                int b = m.u8(), bound = i + 1;
                                if (b >= 256 - 256 % bound) continue;
                                int j = base + b % bound;
                                byte t = want[base + i];
                                want[base + i] = want[j];
                                want[j] = t;
                                i--;
                            }
                        }
                        assertThat(prg.permutations(count, size)).as(what).isEqualTo(want);
                    }
                    case 6 -> {
                        long[] want = new long[n];
                        for (int i = 0; i < n; i++) {
                            long v;
                            do v = m.u64(); while (v == -1L);
                            want[i] = v;
                        }
                        assertThat(prg.oddRing(n)).as(what).isEqualTo(want);
                    }
                    default -> {
                        int b = rnd.nextInt(4);
                        if (b > 0) assertThat(prg.bytes(b)).as(what + " (odd bytes before a long)").hasSize(b);
                        m.pos += b;
                        assertThat(prg.longs(1)[0]).as(what).isEqualTo(m.u64());
                    }
                }
                assertThat(prg.position()).as(what).isEqualTo(m.pos);
            }
        }
    }

    @Test
    void longsNearABlocksEndSkipItsTail() throws Exception {
        byte[] key = new byte[16], iv = new byte[16];
        key[3] = 7;
        Prg prg = new Prg(key, iv);
        Model m = new Model(key, iv, 3 * BLOCK);
        prg.bytes(BLOCK - 5);
        m.pos = BLOCK - 5;
        assertThat(prg.longs(2)).containsExactly(m.u64(), m.u64());
        assertThat(prg.position()).isEqualTo(BLOCK + 16).isEqualTo(m.pos);
    }
}
