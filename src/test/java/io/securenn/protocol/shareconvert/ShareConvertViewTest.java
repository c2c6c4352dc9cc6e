package io.securenn.protocol.shareconvert;

import io.securenn.ring.OddRing;
import io.securenn.ring.Ring64;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.PcAttack;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * P2's view of Π_SC: from each of P0 and P1 the masked share ã_j and then the Π_PC vector. Each is uniform on its
 * own, and what P2 computes from the pairs (x = ã0 + ã1, δ = wrap(ã0, ã1), the reconstructed d vectors and the
 * share ratios) has the same distribution for inputs all 0 and inputs all negative.
 */
class ShareConvertViewTest {
    static final int N = 20_000;

    record View(long[] t0, long[] t1, byte[] d0, byte[] d1) {}

    static View view(Seeded s, long[] a) {
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> ShareConvert.run(ctx, Shares2.mine(sh, ctx.id()), N));
        assertThat(Shares2.addOdd(out.of(0), out.of(1))).containsExactly(a);
        var p2 = out.party(PartyContext.P2);
        // ã_j, then P_j's Π_PC vector (each possibly in several frames)
        ZpWire wire = out.params().zpWire();
        long zp = wire.bytes(N * 64);
        var m0 = p2.messages(0, 8L * N, zp);
        var m1 = p2.messages(1, 8L * N, zp);
        return new View(ViewStats.longs(m0.get(0)), ViewStats.longs(m1.get(0)),
                ViewStats.zp(wire, m0.get(1), N * 64), ViewStats.zp(wire, m1.get(1), N * 64));
    }

    static long[] sum(View v) {
        return Shares2.add(v.t0(), v.t1());
    }

    static long[] wraps(View v) {
        long[] h = new long[2];
        for (int i = 0; i < N; i++) h[(int) Ring64.wrap(v.t0()[i], v.t1()[i])]++;
        return h;
    }

    @Test
    void sharesAreUniformAndPairsAreIndependentOfTheInput() {
        Seeded s = Seeded.fromEnvOr(1401);
        long[] zeros = new long[N], negatives = new long[N];
        for (int i = 0; i < N; i++) negatives[i] = -1 - (s.rnd.nextLong() >>> 2) - 1;  // in [−2^62 − 1, −2]
        View a = view(s, zeros), b = view(s, negatives);
        for (View v : new View[] {a, b}) {
            ViewStats.assertUniform(s, ViewStats.byteHistogram(v.t0()), "bytes of ã0");
            ViewStats.assertUniform(s, ViewStats.byteHistogram(v.t1()), "bytes of ã1");
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(v.t0()), "high bits of ã0");
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(v.t1()), "high bits of ã1");
            ViewStats.assertUniform(s, ViewStats.zpHistogram(v.d0()), "P0's d share");
            ViewStats.assertUniform(s, ViewStats.zpHistogram(v.d1()), "P1's d share");
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(sum(v)), "high bits of x = ã0 + ã1");
        }
        ViewStats.assertSameDistribution(s, ViewStats.highByteHistogram(sum(a)), ViewStats.highByteHistogram(sum(b)),
                "high bits of x");
        ViewStats.assertSameDistribution(s, wraps(a), wraps(b), "wrap of the masked shares");
        ViewStats.assertSameDistribution(s, ViewStats.ratioClasses(a.d0(), a.d1()),
                ViewStats.ratioClasses(b.d0(), b.d1()), "ratio classes of the Π_PC share pairs");
        ViewStats.assertSameDistribution(s, ViewStats.sumHistogram(a.d0(), a.d1()),
                ViewStats.sumHistogram(b.d0(), b.d1()), "reconstructed d values");
        ViewStats.assertSameDistribution(s, ViewStats.zerosPerElement(a.d0(), a.d1()),
                ViewStats.zerosPerElement(b.d0(), b.d1()), "zeros per element");
    }

    /**
     * P1's output share, with P1's input share known to P2 (zero: P0 holds a), given what P2 dealt (the Z_{L−1}
     * shares of δ and η′). Unrefreshed it is ⟨y⟩1 = ⟨a⟩1 − (β1 + ⟨δ⟩1 + ⟨η⟩1) with β1 = wrap(0, ⟨r⟩1) = 0 and
     * ⟨η⟩1 = ±⟨η′⟩1 depending on the common bit η″ alone: P2 tries both signs, and the one that matches gives η″
     * and so η = η′ ⊕ η″ = 1 − wrap(a, r) — with x = a + r known, a bound on the secret a (η = 1 always for
     * a = 0, mostly 0 for large negatives). With the refresh neither sign matches.
     */
    @Test
    void p1sOutputShareIsFreshGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(1402);
        int n = 4096;
        long[][] inputs = {new long[n], new long[n]};
        for (int i = 0; i < n; i++) inputs[1][i] = -1 - (s.rnd.nextLong() >>> 2) - 1;
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.heldByP0(inputs[t]);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> ShareConvert.run(ctx, Shares2.mine(sh, ctx.id()), n));
            assertThat(Shares2.addOdd(run.of(0), run.of(1))).containsExactly(inputs[t]);
            var odd = run.dealt().all(DealerView.Odd.class);
            long[] delta1 = odd.get(0).share1(), eta1 = odd.get(1).share1(), etaPrime = odd.get(1).values();
            long[] y1 = run.of(1);
            decoded[t] = Freshness.decode(y1, 2, (e, h) -> {
                long eta = h == 0 ? eta1[e] : OddRing.neg(eta1[e]);
                return OddRing.sub(0, OddRing.add(OddRing.add(0, delta1[e]), eta));
            }, (e, h) -> (int) (etaPrime[e] ^ h), 2);
        }
        Freshness.assertUndecodable(s, "ShareConvert: P1's output share given what P2 dealt", decoded[0], decoded[1]);
    }

    /**
     * P2's Π_PC vectors given the bit shares of x it dealt: without Π_PC's m_i, P2 reads the mask r off the ratios
     * of the share pairs ({@link PcAttack}) and has a = x − r for every element. With them, nothing is recovered.
     */
    @Test
    void pcVectorsTellNothingGivenTheBitSharesP2Dealt() {
        Seeded s = Seeded.fromEnvOr(1403);
        int n = 2048;
        long[][] inputs = {new long[n], new long[n]};
        for (int i = 0; i < n; i++) inputs[1][i] = -1 - (s.rnd.nextLong() >>> 2) - 1;
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> ShareConvert.run(ctx, Shares2.mine(sh, ctx.id()), n));
            var p2 = run.party(PartyContext.P2);
            ZpWire wire = run.params().zpWire();
            long zp = wire.bytes(n * 64);
            byte[] d0 = ViewStats.zp(wire, p2.messages(0, 8L * n, zp).get(1), n * 64);
            byte[] d1 = ViewStats.zp(wire, p2.messages(1, 8L * n, zp).get(1), n * 64);
            DealerView.Bits bits = run.dealt().all(DealerView.Bits.class).getFirst();
            PcAttack.Found[] found = PcAttack.recover(d0, d1, bits.values(), bits.share1(), n);
            long[] h = new long[4];
            for (int e = 0; e < n; e++) {
                h[found[e] == null ? 2 : bits.values()[e] - (found[e].r() + 1) == 0 ? 0 : 1]++;   // a = x − r
            }
            decoded[t] = h;
        }
        Freshness.assertUndecodable(s, "ShareConvert: the Π_PC vectors given the dealt bit shares", decoded[0],
                decoded[1]);
    }
}
