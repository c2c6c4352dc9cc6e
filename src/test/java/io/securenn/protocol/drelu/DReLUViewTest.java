package io.securenn.protocol.drelu;

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
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import io.securenn.testutil.ViewStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_DReLU at all three parties: P0 and P1 exchange the opened r of ComputeMSB and a Beaver product's
 * E/F, P1 receives P2's dealt shares, P2 receives the masked shares and Π_PC vectors. For inputs all 0 (DReLU 1)
 * and all large negative (DReLU 0), every message has the same distribution; ring-valued ones are uniform.
 * (The Z_67 Π_PC vectors P2 gets are tested further in ShareConvertViewTest and ComputeMSBViewTest.)
 */
class DReLUViewTest {
    static final int N = 8192;

    static SeededCluster.Outcome<long[]> run(Seeded s, long[] a, long expected) {
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), N));
        for (long bit : Shares2.add(out.of(0), out.of(1))) assertThat(bit).as(s.msg("DReLU")).isEqualTo(expected);
        return out;
    }

    @Test
    void everyMessageIsIndependentOfTheSign() {
        Seeded s = Seeded.fromEnvOr(2503);
        var zeros = run(s, new long[N], 1);
        var negatives = run(s, ViewIndependence.largeNegatives(s, N, 62), 0); // DReLU's domain: |a| < 2^62
        var report = ViewIndependence.assertIndependent(s, "DReLU", zeros, negatives,
                RingMessages.holdersAndHelperLengths(8 * N));
        assertThat(report.groups()).isGreaterThanOrEqualTo(7);
        assertThat(report.uniformGroups()).isGreaterThanOrEqualTo(4);
    }

    /**
     * DReLU's output shares, given everything P2 dealt: 1 − MSB(2a) at P0 and −MSB(2a) at P1, where P2 knows each
     * MSB share up to ComputeMSB's common bit β and r's LSB ({@link MsbHypotheses}). Without the refresh one of the
     * four hypotheses reproduces each share and tells P2 the sign of a; with it, none does.
     */
    @Test
    void outputSharesAreFreshGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2513);
        int n = 4096;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            for (long bit : Shares2.add(run.of(0), run.of(1))) assertThat(bit).isEqualTo(1 - t);
            decoded[t] = decodeBits(run.dealt().msbs().getFirst(), Shares2.concat(run.of(0), run.of(1)), n);
        }
        Freshness.assertUndecodable(s, "DReLU: output shares given what P2 dealt", decoded[0], decoded[1]);
    }

    /**
     * P2's two Π_PC vectors (ShareConvert's and ComputeMSB's) given the bit shares it dealt for each: without Π_PC's
     * m_i, P2 reads ShareConvert's mask r (then 2a = x − r) and ComputeMSB's opened r (then MSB(2a) = LSB(r − x))
     * off the ratios of the share pairs ({@link PcAttack}), and has the sign of a. With them, nothing.
     */
    @Test
    void pcVectorsTellNothingGivenTheBitSharesP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2525);
        int n = 2048;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][][] decoded = new long[2][2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            var p2 = run.party(PartyContext.P2);
            ZpWire wire = run.params().zpWire();
            long zp = wire.bytes(n * 64);
            var m0 = p2.messages(0, 8L * n, zp, zp);
            var m1 = p2.messages(1, 8L * n, zp, zp);
            var bits = run.dealt().all(DealerView.Bits.class);
            for (int pc = 0; pc < 2; pc++) {
                long[] x = bits.get(pc).values();
                PcAttack.Found[] found = PcAttack.recover(ViewStats.zp(wire, m0.get(1 + pc), n * 64),
                        ViewStats.zp(wire, m1.get(1 + pc), n * 64), x, bits.get(pc).share1(), n);
                long[] h = new long[4];
                for (int e = 0; e < n; e++) {
                    if (found[e] == null) {
                        h[2]++;
                    } else if (pc == 0) {
                        h[x[e] - (found[e].r() + 1) >= 0 ? 1 : 0]++;                  // DReLU = 1 iff 2a ≥ 0
                    } else {
                        h[1 - (int) (OddRing.sub(found[e].r(), x[e]) & 1)]++;          // 1 − MSB(2a)
                    }
                }
                decoded[pc][t] = h;
            }
        }
        Freshness.assertUndecodable(s, "DReLU: ShareConvert's Π_PC vectors given the dealt bit shares",
                decoded[0][0], decoded[0][1]);
        Freshness.assertUndecodable(s, "DReLU: ComputeMSB's Π_PC vectors given the dealt bit shares",
                decoded[1][0], decoded[1][1]);
    }

    /**
     * What P2 learns from its two Π_PC runs, η′ (ShareConvert) and β′ (ComputeMSB), given the values it dealt
     * (x of ShareConvert, x of ComputeMSB): the common bits η″ and β make each uniform and independent of the
     * secret and of x. The histogram of (η′, β′, MSB of ShareConvert's x, LSB of ComputeMSB's x) is uniform and the
     * same for a = 0 and a < 0; without η″ (or β), η′ (β′) is a function of a and x.
     */
    @Test
    void comparisonOutputsAreIndependentGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2526);
        int n = 8192;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][] h = new long[2][16];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            DealerView.Msb msb = run.dealt().msbs().getFirst();
            long[] eta = msb.sc().etaPrime().values(), beta = msb.betaPrime().values();
            long[] xSc = msb.sc().bits().values(), xMsb = msb.x().x();
            for (int e = 0; e < n; e++) h[t][(int) (eta[e] << 3 | beta[e] << 2 | (xSc[e] >>> 63) << 1 | xMsb[e] & 1)]++;
            ViewStats.assertUniform(s, h[t], "DReLU: (η′, β′, x_SC's MSB, x_MSB's LSB) "
                    + java.util.Arrays.toString(h[t]));
        }
        ViewStats.assertSameDistribution(s, h[0], h[1], "DReLU: (η′, β′) given x_SC's MSB and x_MSB's LSB");
    }

    /** Decodes DReLU shares (P0's then P1's, n each) against the four hypotheses: bins DReLU 0, 1, none, ambiguous. */
    static long[] decodeBits(DealerView.Msb msb, long[] shares, int n) {
        MsbHypotheses m = new MsbHypotheses(msb);
        return Freshness.decode(shares, MsbHypotheses.COUNT, (e, h) -> {
            int j = e / n;
            long share = m.share(e % n, j, h);
            return j == 0 ? 1 - share : -share;     // 1 − MSB: P0 holds 1 − ⟨msb⟩0, P1 holds −⟨msb⟩1
        }, (e, h) -> 1 - m.msb(e % n, h), 2);
    }
}
