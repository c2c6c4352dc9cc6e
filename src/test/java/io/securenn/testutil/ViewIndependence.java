package io.securenn.testutil;

import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistical test that what each party receives does not depend on the secret inputs: two runs of a
 * protocol on different inputs (e.g. all zeros and all large negatives) must give every party views with the
 * same distribution. For every receiver and sender:
 * <ul>
 *   <li>the number and sizes of the messages are identical (they are public);</li>
 *   <li>the messages, grouped by size (so each group holds one kind of message, e.g. the masked shares of every
 *       iteration of Division), have the same byte histogram and, where they are ring values, the same histogram
 *       of the top 8 bits (two-sample chi-square);</li>
 *   <li>joint statistics: what P0 and P1 can reconstruct together with what they sent (the sum of the k-th
 *       message each way, e.g. the opened E and F of a Beaver product) and what P2 can combine from the k-th
 *       messages of P0 and P1, compared the same way.</li>
 * </ul>
 * Messages the caller marks as ring values are also tested against the uniform distribution, in each run. Every
 * group must be large enough for the test ({@link #MIN_BYTES}), so a test cannot pass by testing nothing.
 */
public final class ViewIndependence {
    private ViewIndependence() {}

    public static final int MIN_BYTES = 4096;
    /** Histograms of the top byte need this many values (16 per bin). */
    public static final int MIN_LONGS_FOR_HIGH_BYTE = 4096;

    /** Which received messages are uniform ring values (Z_L or Z_{L−1} elements, 8 bytes each). */
    @FunctionalInterface
    public interface RingMessages {
        boolean isRing(int receiver, int sender, int length);

        /**
         * The lengths of the frames in which a message of longs of this many bytes travels in a session with the
         * given parameters ({@link SessionParams#frameLongs()} values each, the last one shorter).
         */
        static int[] framesOf(SessionParams session, long bytes) {
            long frame = 8L * session.frameLongs();
            return bytes % frame == 0 || bytes < frame ? new int[] {(int) Math.min(bytes, frame)}
                    : new int[] {(int) frame, (int) (bytes % frame)};
        }

        /** Every message between P0 and P1 (masked shares and openings), and P2's frames of these lengths. */
        static RingMessages holdersAndHelperLengths(int... helperLengths) {
            return (r, p, len) -> {
                if (r != 2 && p != 2) return true;
                if (len % 8 != 0) return false;
                for (int l : helperLengths) if (len == l) return true;
                return false;
            };
        }
    }

    /** Counts of what was checked, so callers can assert the test covered what they expect. */
    public record Report(int groups, int uniformGroups, int jointGroups) {}

    public static Report assertIndependent(Seeded s, String protocol, SeededCluster.Outcome<?> a,
                                           SeededCluster.Outcome<?> b, RingMessages ring) {
        int groups = 0, uniform = 0, joint = 0;
        for (int r = 0; r < 3; r++) {
            for (int p = 0; p < 3; p++) {
                if (p == r) continue;
                String who = protocol + ": P" + r + " from P" + p;
                List<byte[]> fa = a.party(r).from(p), fb = b.party(r).from(p);
                assertThat(lengths(fb)).as(s.msg(who + ": message sizes")).isEqualTo(lengths(fa));
                for (var e : groupByLength(fa).entrySet()) {
                    int len = e.getKey();
                    byte[] ga = concat(e.getValue()), gb = concat(groupByLength(fb).get(len));
                    String what = who + ", messages of " + len + " bytes";
                    compare(s, what, ga, gb, len % 8 == 0);
                    groups++;
                    if (ring.isRing(r, p, len)) {
                        assertUniform(s, what + " (run 1)", ga);
                        assertUniform(s, what + " (run 2)", gb);
                        uniform++;
                    }
                }
            }
        }
        // P0 knows the k-th message each way between P0 and P1 (one it sent, one it received); P2 gets both of
        // the k-th messages of P0 and P1
        int[][] pairs = {{0, 1, 1, 0}, {2, 0, 2, 1}};
        for (int[] q : pairs) {
            List<byte[]> x = a.party(q[0]).from(q[1]), y = a.party(q[2]).from(q[3]);
            List<byte[]> xb = b.party(q[0]).from(q[1]), yb = b.party(q[2]).from(q[3]);
            Map<Integer, List<byte[]>> sumA = new LinkedHashMap<>(), sumB = new LinkedHashMap<>();
            Map<Integer, Boolean> allRing = new LinkedHashMap<>();
            for (int k = 0; k < Math.min(x.size(), y.size()); k++) {
                int len = x.get(k).length;
                if (len != y.get(k).length || len % 8 != 0 || len == 0) continue;
                sumA.computeIfAbsent(len, l -> new ArrayList<>()).add(addLongs(x.get(k), y.get(k)));
                sumB.computeIfAbsent(len, l -> new ArrayList<>()).add(addLongs(xb.get(k), yb.get(k)));
                boolean ringPair = ring.isRing(q[0], q[1], len) && ring.isRing(q[2], q[3], len);
                allRing.merge(len, ringPair, Boolean::logicalAnd);
            }
            for (var e : sumA.entrySet()) {
                int len = e.getKey();
                String what = protocol + ": " + (q[0] == 2 ? "P2's sum of the messages of P0 and P1"
                        : "the sum of the messages between P0 and P1") + " of " + len + " bytes";
                byte[] ga = concat(e.getValue()), gb = concat(sumB.get(len));
                compare(s, what, ga, gb, true);
                joint++;
                if (allRing.get(len)) {
                    assertUniform(s, what + " (run 1)", ga);
                    assertUniform(s, what + " (run 2)", gb);
                }
            }
        }
        return new Report(groups, uniform, joint);
    }

    private static void compare(Seeded s, String what, byte[] a, byte[] b, boolean longs) {
        assertThat(a.length).as(s.msg(what + ": too few bytes for a chi-square test (make the test's input larger)"))
                .isGreaterThanOrEqualTo(MIN_BYTES);
        ViewStats.assertSameDistribution(s, bytes(a), bytes(b), what + ": byte values");
        if (longs && a.length / 8 >= MIN_LONGS_FOR_HIGH_BYTE) {
            ViewStats.assertSameDistribution(s, ViewStats.highByteHistogram(ViewStats.longs(a)),
                    ViewStats.highByteHistogram(ViewStats.longs(b)), what + ": top 8 bits");
        }
    }

    private static void assertUniform(Seeded s, String what, byte[] g) {
        assertThat(g.length % 8).as(s.msg(what + ": ring values are 8 bytes each")).isZero();
        long[] v = ViewStats.longs(g);
        ViewStats.assertUniform(s, ViewStats.byteHistogram(v), what + ": bytes uniform");
        if (v.length >= MIN_LONGS_FOR_HIGH_BYTE) {
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(v), what + ": top 8 bits uniform");
        }
    }

    /** n values in [−2^k + 1, −2^(k−1)]: "large negatives" within a protocol's domain |x| < 2^k. */
    public static long[] largeNegatives(Seeded s, int n, int k) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = -(1L << k) + 1 + (s.rnd.nextLong() >>> (65 - k));
        return v;
    }

    /** Counts of each byte value. */
    public static long[] bytes(byte[] b) {
        long[] h = new long[256];
        for (byte x : b) h[x & 0xff]++;
        return h;
    }

    private static List<Integer> lengths(List<byte[]> fs) {
        return fs.stream().map(f -> f.length).toList();
    }

    private static Map<Integer, List<byte[]>> groupByLength(List<byte[]> fs) {
        Map<Integer, List<byte[]>> m = new LinkedHashMap<>();
        for (byte[] f : fs) if (f.length > 0) m.computeIfAbsent(f.length, l -> new ArrayList<>()).add(f);
        return m;
    }

    private static byte[] concat(List<byte[]> fs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] f : fs) o.writeBytes(f);
        return o.toByteArray();
    }

    private static byte[] addLongs(byte[] x, byte[] y) {
        long[] a = ViewStats.longs(x), b = ViewStats.longs(y);
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * r.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(r);
        return bb.array();
    }
}
