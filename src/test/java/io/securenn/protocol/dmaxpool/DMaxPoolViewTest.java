package io.securenn.protocol.dmaxpool;

import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import io.securenn.testutil.ViewStats;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_DMP: P2 receives P0's (⟨ind⟩0 + r) mod n and P1's ⟨ind⟩1 mod n, and from them k = (ind + r) mod n;
 * P1 receives its share of the one-hot e_k. Each index message, and k, is uniform on Z_n and has the same
 * distribution for argmax 0 everywhere and argmax n − 1 everywhere; the one-hot shares are uniform ring values.
 */
class DMaxPoolViewTest {
    static final int COUNT = 16_384, N = 64;

    static SeededCluster.Outcome<long[]> run(Seeded s, long index) {
        long[] ind = new long[COUNT];
        Arrays.fill(ind, index);
        long[][] sh = Shares2.split(ind, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> DMaxPool.run(ctx, Shares2.mine(sh, ctx.id()), COUNT, N));
        long[] oneHot = Shares2.add(out.of(0), out.of(1));
        for (int w = 0; w < COUNT; w++) {
            for (int t = 0; t < N; t++) {
                assertThat(oneHot[w * N + t]).as(s.msg("row " + w + ", column " + t)).isEqualTo(t == index ? 1 : 0);
            }
        }
        return out;
    }

    /** Counts of each value mod n. */
    static long[] modN(byte[] b) {
        long[] h = new long[N];
        for (byte x : b) h[(x & 0xff) % N]++;
        return h;
    }

    static long[] sumModN(byte[] a, byte[] b) {
        long[] h = new long[N];
        for (int i = 0; i < a.length; i++) h[((a[i] & 0xff) + (b[i] & 0xff)) % N]++;
        return h;
    }

    @Test
    void indexMessagesAreUniformAndIndependentOfTheArgmax() {
        Seeded s = Seeded.fromEnvOr(2506);
        var first = run(s, 0);
        var last = run(s, N - 1);
        for (var o : java.util.List.of(first, last)) {
            byte[] a = o.party(PartyContext.P2).from(0).get(0), b = o.party(PartyContext.P2).from(1).get(0);
            assertThat(a).hasSize(COUNT);
            assertThat(b).hasSize(COUNT);
            for (int i = 0; i < COUNT; i++) assertThat((a[i] & 0xff) < N && (b[i] & 0xff) < N).isTrue();
            ViewStats.assertUniform(s, modN(a), "P0's masked index");
            ViewStats.assertUniform(s, modN(b), "P1's index share");
            ViewStats.assertUniform(s, sumModN(a, b), "k = (ind + r) mod n at P2");
        }
        byte[] a1 = first.party(2).from(0).get(0), b1 = first.party(2).from(1).get(0);
        byte[] a2 = last.party(2).from(0).get(0), b2 = last.party(2).from(1).get(0);
        ViewStats.assertSameDistribution(s, sumModN(a1, b1), sumModN(a2, b2), "k at P2");
        var report = ViewIndependence.assertIndependent(s, "DMaxPool", first, last,
                RingMessages.holdersAndHelperLengths(RingMessages.framesOf(first.params(), 8L * COUNT * N)));
        assertThat(report.uniformGroups()).isEqualTo(1); // P1's one-hot shares
    }

    /**
     * The one-hot shares DMaxPool hands on, given what P2 dealt (the shares of e_k, which it knows both of, and k).
     * Unrefreshed, P_j's row is P2's share row rotated by the common r mod n: P2 finds the rotation g at which its
     * share reproduces the row's first entry, and with k = (ind + r) mod n it has ind = k − g. With the refresh no
     * rotation matches.
     */
    @Test
    void oneHotSharesAreFreshGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2518);
        int count = 4096, n = 16;
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long index = t == 0 ? 0 : n - 1;
            long[] ind = new long[count];
            Arrays.fill(ind, index);
            long[][] sh = Shares2.split(ind, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> DMaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n));
            long[] oneHot = Shares2.add(run.of(0), run.of(1));
            for (int w = 0; w < count; w++) assertThat(oneHot[w * n + (int) index]).isEqualTo(1);
            DealerView.Ring dealt = run.dealt().all(DealerView.Ring.class).getFirst();
            long[][] share = {dealt.share0(), dealt.share1()};
            int[] k = new int[count];
            for (int w = 0; w < count; w++) for (int i = 0; i < n; i++) if (dealt.values()[w * n + i] == 1) k[w] = i;
            long[] first = new long[2 * count];   // the first entry of each row, P0's then P1's
            for (int w = 0; w < count; w++) {
                first[w] = run.of(0)[w * n];
                first[count + w] = run.of(1)[w * n];
            }
            decoded[t] = Freshness.decode(first, n, (e, g) -> share[e / count][(e % count) * n + g],
                    (e, g) -> Math.floorMod(k[e % count] - g, n), n);
        }
        Freshness.assertUndecodable(s, "DMaxPool: one-hot shares given what P2 dealt", decoded[0], decoded[1]);
    }

    /**
     * MaxPool (sequential, windows of 4) → DMaxPool, P2's own view: P1 sends it ⟨ind⟩1 mod 4 as MaxPool returned it,
     * and P2 knows the triple of the last comparison's index product. Unless MaxPool refreshed the index, the parity
     * of ⟨ind⟩1 − ⟨Z⟩1 given U and V mod 2 tells P2 whether the maximum is first or last in its window (see
     * MaxPoolViewTest#indexSharesAreFreshGivenTheTriples). P0's message is masked by r.
     */
    @Test
    void indexMessagesAfterMaxPoolAreIndependentOfTheArgmaxGivenTheTriples() {
        Seeded s = Seeded.fromEnvOr(2519);
        int count = 4096, n = 4;
        long[][][] h = new long[2][2][];
        for (int t = 0; t < 2; t++) {
            long[] w = new long[count * n];
            if (t == 1) {
                for (int c = 0; c < count; c++) {
                    long v = -(1L << 59) - (s.rnd.nextLong() >>> 5);
                    for (int i = 0; i < n; i++, v += 1 + (s.rnd.nextLong() >>> 24)) w[c * n + i] = v;
                }
            }
            long[][] sh = Shares2.split(w, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> {
                var r = MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, MaxPool.Form.SEQUENTIAL);
                return DMaxPool.run(ctx, ctx.isHelper() ? null : r.index(), count, n);
            });
            long argmax = t == 0 ? 0 : n - 1;
            long[] oneHot = Shares2.add(run.of(0), run.of(1));
            for (int c = 0; c < count; c++) assertThat(oneHot[c * n + (int) argmax]).isEqualTo(1);
            DealerView.Triple tr = run.dealt().dreluTriples().getLast().get(1);   // the index product
            for (int j = 0; j < 2; j++) {
                var frames = run.party(PartyContext.P2).from(j);
                byte[] m = frames.getLast();   // DMaxPool's index message, the last P2 received from P_j
                assertThat(m).hasSize(count);
                long[] res = new long[count], z = tr.zShare(j);
                for (int c = 0; c < count; c++) res[c] = (m[c] & 0xff) - z[c] - (j == 0 ? n - 1 : 0);
                h[t][j] = Freshness.parities(tr.u(), tr.v(), res);
            }
        }
        for (int j = 0; j < 2; j++) {
            Freshness.assertParitiesIndependent(s, "MaxPool → DMaxPool: P" + j
                    + "'s index message given MaxPool's triple", h[0][j], h[1][j]);
        }
    }
}

