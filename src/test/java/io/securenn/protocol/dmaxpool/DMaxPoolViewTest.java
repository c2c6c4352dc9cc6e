package io.securenn.protocol.dmaxpool;

import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
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
                RingMessages.holdersAndHelperLengths(RingMessages.framesOf(8L * COUNT * N)));
        assertThat(report.uniformGroups()).isEqualTo(1); // P1's one-hot shares
    }
}
