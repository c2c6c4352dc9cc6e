package io.securenn.protocol.dmaxpool;

import io.securenn.SecureNnException;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.protocol.sharing.Shares;
import io.securenn.runtime.PartyContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Π_DMP (spec §2.11; correction 3): from shares of each window's argmax index (0 ≤ ind < n, as MaxPool returns
 * it, already refreshed), fresh Z_L shares of the one-hot row e_ind of length n. Needs n | 2^64, i.e. n a power of
 * two (then (a mod 2^64) mod n = a mod n); other window sizes are refused, since the paper gives no protocol.
 *
 * <ol>
 *   <li>P0, P1 draw a common r per window; P0 sends (⟨ind⟩0 + r) mod n, P1 sends ⟨ind⟩1 mod n to P2, each in
 *       {@link #indexBytes} bytes (one byte for n ≤ 256).</li>
 *   <li>P2 adds them mod n, giving k = (ind + r) mod n, and deals shares of e_k (P0's from the P0–P2 stream, P1's
 *       sent).</li>
 *   <li>P0, P1 rotate their rows left by g = r mod n (new[t] = old[(t + g) mod n], so new[ind] = e_k[k] = 1) and
 *       refresh them.</li>
 * </ol>
 * Cost: 2 rounds, count·(2·indexBytes(n) + 8n) bytes (at most 16(n + 1) per window).
 */
public final class DMaxPool {
    private DMaxPool() {}

    /** Bytes for one masked index mod n: the fewest whole bytes holding log2(n) bits (at least one). */
    public static int indexBytes(int n) {
        int bits = Integer.numberOfTrailingZeros(n);
        return Math.max(1, (bits + 7) / 8);
    }

    public static long bytes(int count, int n) {
        return (long) count * (2L * indexBytes(n) + HelperMessage.ringBytes(n));
    }

    public static int rounds() {
        return 2;
    }

    /** Refuses window sizes that do not divide 2^64. */
    public static void requireSupported(int n) {
        if (n < 1 || (n & (n - 1)) != 0) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "DMaxPool needs a window of a power-of-two"
                    + " number of values (n must divide 2^64), got " + n);
        }
    }

    /** One-hot rows (count × n, row-major) of the shared indices (empty at P2). */
    public static long[] run(PartyContext ctx, long[] index, int count, int n) {
        requireSupported(n);
        long total = (long) count * n;
        if (count < 0 || total > Integer.MAX_VALUE - 64) {
            throw new SecureNnException(SecureNnException.Kind.BAD_INPUT, "DMaxPool: " + count + " windows of " + n
                    + " values are too many for one message");
        }
        Shares.requireLength(ctx, index, count, "DMaxPool");
        if (count == 0) return Shares.none();
        try (var _ = ctx.meter("DMaxPool")) {
            int len = (int) total, ib = indexBytes(n);
            long mask = n - 1L;
            if (ctx.isHelper()) {
                long[] a = decode(ctx.receiveBytes(PartyContext.P0, count * ib), count);
                long[] b = decode(ctx.receiveBytes(PartyContext.P1, count * ib), count);
                long[] oneHot = new long[len];
                for (int w = 0; w < count; w++) oneHot[w * n + (int) ((a[w] + b[w]) & mask)] = 1;
                HelperMessage msg = HelperMessage.open(ctx, HelperMessage.ringBytes(len));
                msg.ring(oneHot, len);
                msg.deliver();
                return Shares.none();
            }
            long[] r = ctx.common().longs(count);
            long[] masked = new long[count];
            boolean p0 = ctx.id() == PartyContext.P0;
            for (int w = 0; w < count; w++) masked[w] = (index[w] + (p0 ? r[w] : 0)) & mask;
            ctx.sendBytes(PartyContext.P2, encode(masked, ib));
            HelperMessage msg = HelperMessage.open(ctx, HelperMessage.ringBytes(len));
            long[] shares = msg.ring(null, len);
            msg.deliver();
            long[] out = new long[len];
            for (int w = 0; w < count; w++) {
                int g = (int) (r[w] & mask), base = w * n;
                for (int t = 0; t < n; t++) {
                    int from = t + g;
                    if (from >= n) from -= n;
                    out[base + t] = shares[base + from];
                }
            }
            Sharing.refresh(ctx, out);
            return out;
        }
    }

    private static byte[] encode(long[] v, int width) {
        ByteBuffer b = ByteBuffer.allocate(v.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) for (int k = 0; k < width; k++) b.put((byte) (x >>> (8 * k)));
        return b.array();
    }

    private static long[] decode(byte[] raw, int count) {
        int width = raw.length / Math.max(1, count);
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            long x = 0;
            for (int k = 0; k < width; k++) x |= (long) (raw[i * width + k] & 0xff) << (8 * k);
            v[i] = x;
        }
        return v;
    }
}
