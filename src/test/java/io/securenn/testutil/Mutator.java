package io.securenn.testutil;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of valid inputs for the fuzz tests: bit flips, random and boundary bytes, 16- and 32-bit
 * boundary values written over length fields, insertions, deletions, duplicated ranges, truncation, and (for
 * text formats) tokens from a dictionary. Each call applies one to four of them.
 */
public final class Mutator {
    private static final int[] BOUNDARY_INTS = {0, 1, -1, 2, 7, 8, 13, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
            0x7fffffff, 0x80000000, 0x3fffffff, 0x40000000, 1 << 20, (1 << 20) + 1, 1 << 30, (1 << 30) + 1};
    private static final byte[] BOUNDARY_BYTES = {0, 1, 2, 3, 4, 5, 8, 9, 0x0a, 0x0d, 0x1f, 0x20, 0x3d, 0x23, 0x2e,
            0x3a, 0x7f, (byte) 0x80, (byte) 0x8b, (byte) 0xc3, (byte) 0xfe, (byte) 0xff};

    private final SplittableRandom rnd;
    private final List<byte[]> dictionary;

    public Mutator(SplittableRandom rnd) {
        this(rnd, List.of());
    }

    /** @param tokens strings a text format is made of (keys, separators, values), spliced in by some mutations */
    public Mutator(SplittableRandom rnd, List<String> tokens) {
        this.rnd = rnd;
        this.dictionary = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public byte[] mutate(byte[] input) {
        byte[] b = input;
        int k = 1 + rnd.nextInt(4);
        for (int i = 0; i < k; i++) b = once(b);
        return b;
    }

    private byte[] once(byte[] b) {
        int ops = dictionary.isEmpty() ? 9 : 10;
        switch (rnd.nextInt(ops)) {
            case 0 -> { // flip one bit
                if (b.length == 0) return b;
                b = b.clone();
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 1 -> { // a random byte
                if (b.length == 0) return b;
                b = b.clone();
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            case 2 -> { // a boundary byte
                if (b.length == 0) return b;
                b = b.clone();
                b[rnd.nextInt(b.length)] = BOUNDARY_BYTES[rnd.nextInt(BOUNDARY_BYTES.length)];
            }
            case 3 -> { // a boundary value over a 32- or 16-bit field, big- or little-endian
                int width = rnd.nextBoolean() ? 4 : 2;
                if (b.length < width) return b;
                b = b.clone();
                int at = rnd.nextInt(b.length - width + 1), v = BOUNDARY_INTS[rnd.nextInt(BOUNDARY_INTS.length)];
                boolean big = rnd.nextInt(4) != 0;
                for (int i = 0; i < width; i++) {
                    int shift = 8 * (big ? width - 1 - i : i);
                    b[at + i] = (byte) (v >>> shift);
                }
            }
            case 4 -> { // insert random bytes
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                b = splice(b, rnd.nextInt(b.length + 1), 0, ins);
            }
            case 5 -> { // delete a range
                if (b.length == 0) return b;
                int at = rnd.nextInt(b.length);
                b = splice(b, at, 1 + rnd.nextInt(Math.min(32, b.length - at)), new byte[0]);
            }
            case 6 -> { // duplicate a range
                if (b.length == 0) return b;
                int at = rnd.nextInt(b.length), len = 1 + rnd.nextInt(Math.min(64, b.length - at));
                b = splice(b, rnd.nextInt(b.length + 1), 0, Arrays.copyOfRange(b, at, at + len));
            }
            case 7 -> { // truncate
                if (b.length == 0) return b;
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            case 8 -> { // append garbage
                byte[] tail = new byte[1 + rnd.nextInt(64)];
                rnd.nextBytes(tail);
                b = splice(b, b.length, 0, tail);
            }
            default -> { // replace a range by a dictionary token
                byte[] tok = dictionary.get(rnd.nextInt(dictionary.size()));
                int at = rnd.nextInt(b.length + 1);
                b = splice(b, at, rnd.nextInt(Math.min(12, b.length - at) + 1), tok);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] r = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(insert, 0, r, at, insert.length);
        System.arraycopy(b, at + remove, r, at + insert.length, b.length - at - remove);
        return r;
    }
}
