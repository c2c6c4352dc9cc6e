package io.securenn.random;

import io.securenn.ring.Vectors;
import io.securenn.ring.Zp;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

/**
 * A deterministic random stream: AES-128 in counter mode (the JDK's provider uses AES-NI) over a zero buffer.
 * The key and IV are fixed when the stream is created and the stream is never reset. Two holders of the same
 * key draw identical values as long as they make identical calls in identical order; {@link #position()} lets
 * tests check that they did.
 *
 * <p>Every method draws a whole vector at once so a protocol step consumes its randomness in one call.
 *
 * <p>The stream is cut into blocks of 64 KiB (a draw of longs that would straddle a block's end skips the block's
 * last bytes), but a block's keystream is computed only as far as it is read ({@link #ensure}): a short-lived
 * stream (a fork, a batch's stream) that draws a few bytes costs a few AES blocks, not 64 KiB. Which bytes are
 * computed when does not change the values: CTR mode's keystream is the same however it is cut.
 */
public final class Prg {
    private static final int BUF = 64 * 1024;

    private final Cipher cipher;
    /** The plaintext of the keystream (read only, shared: a stream allocates only its own 64 KiB buffer). */
    private static final byte[] ZEROS = new byte[BUF];
    private final byte[] buf = new byte[BUF];
    private final ByteBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    private int pos = BUF;
    /** Bytes of the current block computed so far: [pos, filled) is keystream not yet drawn; a multiple of 16. */
    private int filled = BUF;
    private long consumed;

    private static final String TRANSFORMATION = "AES/CTR/NoPadding";
    /**
     * The provider of AES-CTR, found once: {@code Cipher.getInstance} by name alone walks the provider list and its
     * algorithm constraints at every call (2–20 µs, the larger with more providers installed: netty-tcnative's), and
     * a run of a small benchmark row makes dozens of streams (MatMul's masks, forks).
     */
    private static final java.security.Provider PROVIDER = warmUpCipher();

    /**
     * The JDK's AES-CTR runs its AES-NI intrinsic (about 0.2 ns a byte here) only under C2-compiled callers of
     * {@code Cipher.update}, which C2 compiles after thousands of calls. A stream makes few, large calls (up to
     * 64 KiB), so for much of a run its keystream came from the interpreted or C1-compiled Java loop, about 20 times
     * slower (4 ns a byte, measured in a loop of 64 KiB updates in a fresh JVM; 20 to 34 % of the parties' CPU
     * samples in a SqueezeNet inference sat under {@link #ensure}). Once per JVM, before the first stream, 20 000
     * updates of 64 bytes through a throwaway cipher (about 40 ms) get that path compiled. No stream's values depend
     * on it.
     */
    private static java.security.Provider warmUpCipher() {
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
            byte[] out = new byte[64];
            for (int i = 0; i < 20_000; i++) c.update(ZEROS, 0, out.length, out, 0);
            return c.getProvider();
        } catch (GeneralSecurityException e) {
            return null;   // the constructor reports a missing AES-CTR
        }
    }

    public Prg(byte[] key16, byte[] iv16) {
        if (key16.length != 16 || iv16.length != 16) throw new IllegalArgumentException("AES-128 key and IV are 16 bytes");
        try {
            cipher = PROVIDER != null ? Cipher.getInstance(TRANSFORMATION, PROVIDER) : Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, "AES"), new IvParameterSpec(iv16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JDK", e);
        }
    }

    /** Number of bytes drawn so far (both holders of a stream must agree on it after every protocol). */
    public long position() {
        return consumed;
    }

    /** Starts the next block (its keystream computed on demand). */
    private void refill() {
        // a block is left only once its computed part has been read to within 7 bytes of its end; filled is a
        // multiple of 16, so the whole block has been computed and the cipher's counter stands at the next block
        assert filled == BUF;
        pos = 0;
        filled = 0;
    }

    /** The least keystream computed at a time (AES blocks; a few hundred nanoseconds). */
    private static final int MIN_CHUNK = 512;

    /** Computes the current block's keystream up to at least {@code upTo} (at most the block's end). */
    private void ensure(int upTo) {
        if (upTo <= filled) return;
        int target = Math.min(BUF, Math.max((upTo + 15) & ~15, filled + MIN_CHUNK));
        try {
            cipher.update(ZEROS, 0, target - filled, buf, filled);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        filled = target;
    }

    public void nextBytes(byte[] out, int off, int len) {
        consumed += len;
        while (len > 0) {
            if (pos == BUF) refill();
            int n = Math.min(len, BUF - pos);
            ensure(pos + n);
            System.arraycopy(buf, pos, out, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /**
     * A new stream keyed from the next 32 bytes of this one (an AES key and IV). The holders of this stream fork
     * at the same point of it and get identical child streams, which each may then draw from whenever it needs:
     * e.g. P2 draws a whole vector at once while P0 draws the same values piece by piece, rounds later, without
     * holding them in between or putting this stream out of step.
     */
    public Prg fork() {
        return fromSeed(bytes(SEED_BYTES));
    }

    /** Bytes of a stream's seed (AES-128 key and IV). */
    public static final int SEED_BYTES = 32;

    /**
     * A stream from a seed drawn from another stream ({@link #bytes}, {@link #SEED_BYTES} of them): streams from the
     * same seed are identical, so a holder can replay values it did not keep (see {@link #fork}).
     */
    public static Prg fromSeed(byte[] seed) {
        if (seed.length != SEED_BYTES) throw new IllegalArgumentException("a stream seed is " + SEED_BYTES + " bytes");
        return new Prg(java.util.Arrays.copyOfRange(seed, 0, 16), java.util.Arrays.copyOfRange(seed, 16, 32));
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        nextBytes(b, 0, n);
        return b;
    }

    private long nextLong() {
        if (BUF - pos < 8) {
            // keep longs aligned to the buffer: discard the tail (counted as consumed)
            consumed += BUF - pos;
            ensure(BUF);
            refill();
        }
        ensure(pos + 8);
        long v = view.getLong(pos);
        pos += 8;
        consumed += 8;
        return v;
    }

    private int nextByte() {
        if (pos == BUF) refill();
        ensure(pos + 1);
        consumed++;
        return buf[pos++] & 0xff;
    }

    /** n uniform elements of Z_{2^64}. */
    public long[] longs(int n) {
        long[] r = new long[n];
        fill(r);
        return r;
    }

    public void fill(long[] r) {
        fill(r, 0, r.length);
    }

    /**
     * Fills r[off, off + len) with uniform elements of Z_{2^64}. Every draw of this class takes its values one
     * after another from the stream, so drawing a vector in consecutive pieces of one kind gives exactly the values
     * of one draw of the whole (except {@link #bits}, whose pieces must be multiples of 64).
     */
    public void fill(long[] r, int off, int len) {
        // the same values as nextLong() len times, copied in bulk from the stream buffer
        int i = off, end = off + len;
        while (i < end) {
            if (BUF - pos < 8) {
                consumed += BUF - pos;
                ensure(BUF);
                refill();
            }
            int k = Math.min(end - i, (BUF - pos) >>> 3);
            ensure(pos + (k << 3));
            ByteBuffer.wrap(buf, pos, k << 3).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(r, i, k);
            pos += k << 3;
            consumed += (long) k << 3;
            i += k;
        }
    }

    /** n uniform elements of the odd ring Z_{2^64-1} (rejection of 2^64 - 1). */
    public long[] oddRing(int n) {
        long[] r = new long[n];
        oddRing(r, 0, n);
        return r;
    }

    /** Fills r[off, off + len) with uniform elements of the odd ring Z_{2^64-1}. */
    public void oddRing(long[] r, int off, int len) {
        for (int i = off; i < off + len; i++) {
            long v;
            do v = nextLong(); while (v == -1L);
            r[i] = v;
        }
    }

    /** n uniform bits as 0/1 longs. */
    public long[] bits(int n) {
        long[] r = new long[n];
        int i = 0;
        while (i < n) {
            long w = nextLong();
            for (int k = 0; k < 64 && i < n; k++, i++) r[i] = (w >>> k) & 1L;
        }
        return r;
    }

    /**
     * The same n bits as {@link #bits}, left packed: bit i is bit i % 64 of word i / 64 ({@link #bit}), 64 times
     * smaller for vectors that must be kept.
     */
    public long[] bitWords(int n) {
        long[] w = new long[(n + 63) / 64];
        for (int i = 0; i < w.length; i++) w[i] = nextLong();
        if (n % 64 != 0) w[w.length - 1] &= (1L << (n % 64)) - 1;
        return w;
    }

    /** Bit i (0/1) of a vector drawn by {@link #bitWords}. */
    public static long bit(long[] words, int i) {
        return (words[i >>> 6] >>> (i & 63)) & 1L;
    }

    /** Bits [from, to) of a vector drawn by {@link #bitWords}, as 0/1 longs. */
    public static long[] bits(long[] words, int from, int to) {
        long[] r = new long[to - from];
        for (int i = from; i < to; i++) r[i - from] = bit(words, i);
        return r;
    }

    private static final byte[] MOD_P = new byte[256], NONZERO_MOD_P = new byte[256], MOD_P_MINUS_1 = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            MOD_P[b] = (byte) (b % Zp.P);
            MOD_P_MINUS_1[b] = (byte) (b % (Zp.P - 1));
            NONZERO_MOD_P[b] = (byte) (b % (Zp.P - 1) + 1);
        }
    }

    /** n uniform elements of Z_67 (bytes below 201 = 3·67, reduced). */
    public byte[] modP(int n) {
        byte[] r = new byte[n];
        rejectionSample(r, 0, n, 3 * Zp.P, MOD_P);
        return r;
    }

    /** Fills r[off, off + n) with uniform elements of Z_67. */
    public void modP(byte[] r, int off, int n) {
        rejectionSample(r, off, n, 3 * Zp.P, MOD_P);
    }

    /** n uniform elements of Z_67^* (1..66): bytes below 198 = 3·66, reduced and shifted. */
    public byte[] nonZeroModP(int n) {
        byte[] r = new byte[n];
        rejectionSample(r, 0, n, 3 * (Zp.P - 1), NONZERO_MOD_P);
        return r;
    }

    /** n uniform elements of Z_66 (0..65), e.g. discrete logarithms of uniform elements of Z_67^*. */
    public byte[] modPMinusOne(int n) {
        byte[] r = new byte[n];
        rejectionSample(r, 0, n, 3 * (Zp.P - 1), MOD_P_MINUS_1, SAMPLER);
        return r;
    }

    /**
     * The rejection sampler's form: 64 stream bytes at a time ({@link PrgVector}) with AVX-512, 32 at a time
     * ({@link PrgVector256}) with AVX2, where JMH (PrgBench) measured it faster than the scalar loop, else the scalar
     * loop. All three draw the same values and consume the same bytes.
     */
    static final Vectors.Form SAMPLER = Vectors.pick(Vectors.BYTE_LANES, true);

    private void rejectionSample(byte[] r, int off, int n, int limit, byte[] table) {
        rejectionSample(r, off, n, limit, table, SAMPLER);
    }

    /** For the tests: n draws into a new array, in the given form. */
    byte[] rejectionSample(int n, int limit, byte[] table, Vectors.Form form) {
        byte[] r = new byte[n];
        rejectionSample(r, 0, n, limit, table, form);
        return r;
    }

    /**
     * Accepts stream bytes below limit and maps them through table (b mod m, or b mod m + 1, for limit = 3m). The
     * vector forms keep 64 or 32 stream bytes at a time, reduced arithmetically and compressed to the front, so they
     * draw exactly the values, and consume exactly the bytes, of the scalar loop (their twin, cross-checked by the
     * tests).
     */
    private void rejectionSample(byte[] r, int off, int n, int limit, byte[] table, Vectors.Form form) {
        int i = off, end = off + n;
        int m = limit / 3, plusOne = table[0];
        while (i < end) {
            if (pos == BUF) refill();
            // about (end - i)·256/limit bytes give the values still to draw; compute a little more than that
            if (pos == filled) ensure(pos + (int) Math.min(BUF, (long) (end - i) * 256 / limit + 64));
            int p = pos, avail = filled;
            if (form == Vectors.Form.V512 && end - i >= 64 && avail - p >= 64) {
                long done = PrgVector.sample(buf, p, avail, r, i, end, limit, m, plusOne);
                p += (int) (done >>> 32);
                i = (int) done;
            } else if (form == Vectors.Form.V256 && end - i >= 32 && avail - p >= 32) {
                long done = PrgVector256.sample(buf, p, avail, r, i, end, limit, m, plusOne);
                p += (int) (done >>> 32);
                i = (int) done;
            }
            // branch-free: always store, advance only on acceptance (a 78 % branch mispredicts too often)
            int room = end - 1;
            while (i < end && p < avail) {
                int b = buf[p++] & 0xff;
                r[i] = table[b];
                i += (b - limit) >>> 31;
                if (i > room) break;
            }
            consumed += p - pos;
            pos = p;
        }
    }

    /** A uniform integer in [0, bound) for bound ≤ 2^31 (rejection sampling from 32 bits). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive");
        long limit = (1L << 32) - ((1L << 32) % bound);
        long v;
        do {
            v = (nextByte()) | (nextByte() << 8) | (nextByte() << 16) | ((long) nextByte() << 24);
        } while (v >= limit);
        return (int) (v % bound);
    }

    /**
     * count independent uniform permutations of {0..size-1} (size ≤ 256), Fisher–Yates with rejection-sampled
     * bytes, stored consecutively: perm k occupies out[k*size .. k*size+size-1].
     */
    public byte[] permutations(int count, int size) {
        if (size > 256) throw new IllegalArgumentException("permutation size above 256");
        byte[] out = new byte[count * size];
        int[] limit = new int[size + 1];
        for (int bound = 1; bound <= size; bound++) limit[bound] = 256 - (256 % bound);
        for (int k = 0; k < count; k++) {
            int base = k * size;
            for (int i = 0; i < size; i++) out[base + i] = (byte) i;
            int i = size - 1;
            while (i > 0) {
                if (pos == BUF) refill();
                if (pos == filled) ensure(pos + 2 * i + 16);
                int p = pos, avail = filled;
                while (i > 0 && p < avail) {
                    int b = buf[p++] & 0xff;
                    int bound = i + 1;
                    if (b >= limit[bound]) continue;
                    int j = base + b % bound;
                    byte t = out[base + i];
                    out[base + i] = out[j];
                    out[j] = t;
                    i--;
                }
                consumed += p - pos;
                pos = p;
            }
        }
        return out;
    }
}
