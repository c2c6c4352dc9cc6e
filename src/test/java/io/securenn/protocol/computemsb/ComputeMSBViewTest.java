package io.securenn.protocol.computemsb;

import io.securenn.ring.OddRing;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.MsbHypotheses;
import io.securenn.testutil.PcAttack;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * P2's view of Π_MSB: one Π_PC vector from each of P0 and P1 (P2's other messages go out, not in). Each share is
 * uniform, and the pair statistics are the same for inputs with MSB 0 (all zero) and MSB 1 (all ≥ 2^63).
 */
class ComputeMSBViewTest {
    static final int N = 20_000;

    record View(byte[] d0, byte[] d1) {}

    static View view(Seeded s, long[] a) {
        long[][] sh = Shares2.splitOdd(a, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> ComputeMSB.run(ctx, Shares2.mine(sh, ctx.id()), N));
        long[] msb = Shares2.add(out.of(0), out.of(1));
        for (int i = 0; i < N; i++) assertThat(msb[i]).isEqualTo(a[i] >>> 63);
        var p2 = out.party(PartyContext.P2);
        ZpWire wire = out.params().zpWire();
        long zp = wire.bytes(N * 64);   // P_j's Π_PC vector, possibly in several frames
        return new View(ViewStats.zp(wire, p2.messages(0, zp).get(0), N * 64),
                ViewStats.zp(wire, p2.messages(1, zp).get(0), N * 64));
    }

    @Test
    void sharesAreUniformAndPairsAreIndependentOfTheInput() {
        Seeded s = Seeded.fromEnvOr(1501);
        long[] zeros = new long[N], high = new long[N];
        for (int i = 0; i < N; i++) {
            long v = (1L << 63) | s.rnd.nextLong();
            high[i] = v == -1L ? 1L << 63 : v;
        }
        View a = view(s, zeros), b = view(s, high);
        for (View v : new View[] {a, b}) {
            ViewStats.assertUniform(s, ViewStats.zpHistogram(v.d0()), "P0's d share");
            ViewStats.assertUniform(s, ViewStats.zpHistogram(v.d1()), "P1's d share");
        }
        ViewStats.assertSameDistribution(s, ViewStats.ratioClasses(a.d0(), a.d1()),
                ViewStats.ratioClasses(b.d0(), b.d1()), "ratio classes of the share pairs");
        ViewStats.assertSameDistribution(s, ViewStats.sumHistogram(a.d0(), a.d1()),
                ViewStats.sumHistogram(b.d0(), b.d1()), "reconstructed d values");
        ViewStats.assertSameDistribution(s, ViewStats.zerosPerElement(a.d0(), a.d1()),
                ViewStats.zerosPerElement(b.d0(), b.d1()), "zeros per element");
    }

    static long[] msbOne(Seeded s, int n) {
        long[] high = new long[n];
        for (int i = 0; i < n; i++) {
            long v = (1L << 63) | s.rnd.nextLong();
            high[i] = v == -1L ? 1L << 63 : v;
        }
        return high;
    }

    /**
     * The output shares ComputeMSB hands on, given everything P2 dealt (x, the shares of its LSB and bits, the triple
     * of γ·δ, the shares of β′): P2 knows each share up to the common bit β and r's LSB, so without the refresh one of
     * its four hypotheses reproduces the share and gives the MSB ({@link MsbHypotheses}). With it, none does.
     */
    @Test
    void outputSharesAreFreshGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(1502);
        int n = 4096;
        long[][] inputs = {new long[n], msbOne(s, n)};
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[] a = inputs[t];
            long[][] sh = Shares2.splitOdd(a, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> ComputeMSB.run(ctx, Shares2.mine(sh, ctx.id()), n));
            long[] msb = Shares2.add(run.of(0), run.of(1));
            for (int i = 0; i < n; i++) assertThat(msb[i]).isEqualTo(a[i] >>> 63);
            MsbHypotheses m = new MsbHypotheses(run.dealt().msbs().getFirst());
            decoded[t] = Freshness.decode(Shares2.concat(run.of(0), run.of(1)), MsbHypotheses.COUNT,
                    (e, h) -> m.share(e % n, e / n, h), (e, h) -> m.msb(e % n, h), 2);
        }
        Freshness.assertUndecodable(s, "ComputeMSB: output shares given what P2 dealt", decoded[0], decoded[1]);
    }

    /**
     * P2's Π_PC vectors given the bit shares of x it dealt: without Π_PC's m_i, P2 reads the opened r = 2a + x off
     * the ratios of the share pairs ({@link PcAttack}), and LSB(r − x) = LSB(2a) is the MSB. With them, nothing.
     */
    @Test
    void pcVectorsTellNothingGivenTheBitSharesP2Dealt() {
        Seeded s = Seeded.fromEnvOr(1503);
        int n = 2048;
        long[][] inputs = {new long[n], msbOne(s, n)};
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.splitOdd(inputs[t], s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> ComputeMSB.run(ctx, Shares2.mine(sh, ctx.id()), n));
            var p2 = run.party(PartyContext.P2);
            ZpWire wire = run.params().zpWire();
            long zp = wire.bytes(n * 64);
            byte[] d0 = ViewStats.zp(wire, p2.messages(0, zp).get(0), n * 64);
            byte[] d1 = ViewStats.zp(wire, p2.messages(1, zp).get(0), n * 64);
            DealerView.Bits bits = run.dealt().all(DealerView.Bits.class).getFirst();
            PcAttack.Found[] found = PcAttack.recover(d0, d1, bits.values(), bits.share1(), n);
            long[] h = new long[4];
            for (int e = 0; e < n; e++) {
                h[found[e] == null ? 2 : (int) (OddRing.sub(found[e].r(), bits.values()[e]) & 1)]++;
            }
            decoded[t] = h;
        }
        Freshness.assertUndecodable(s, "ComputeMSB: the Π_PC vectors given the dealt bit shares", decoded[0],
                decoded[1]);
    }
}
