package io.securenn.protocol.drelu;

import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.ring.OddRing;
import io.securenn.ring.Zp;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.MsbHypotheses;
import io.securenn.testutil.PcAttack;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Sessions;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import io.securenn.testutil.ViewStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of DReLU at all three parties, in both forms.
 *
 * <p>The paper's form (ShareConvert then ComputeMSB): P0 and P1 exchange the opened r of ComputeMSB and a Beaver
 * product's E/F, P1 receives P2's dealt shares, P2 receives the masked shares and Π_PC vectors. (The Z_67 Π_PC
 * vectors P2 gets are tested further in ShareConvertViewTest and ComputeMSBViewTest.)
 *
 * <p>The masked form: P0 and P1 exchange their halves of x = a + r, P1 receives P2's dealt shares (⟨r⟩1, the bit
 * shares of r′, ⟨γ⟩1), P2 receives the two Π_PC vectors. The tests whose names start with "masked" check, each
 * with a negative control in test code: the opened x is uniform and independent of a (with r = 0 it is a itself);
 * P2's Π_PC vectors tell nothing given the bit shares it dealt (without the m_i, {@link PcAttack} reads x′ and so
 * a's low 63 bits); β′ is uniform given r (without β it is r′ &gt; x′, a function of a); the output shares are fresh
 * given γ's shares (without the zero-share P2 decodes every bit).
 *
 * <p>For inputs all 0 (DReLU 1) and all large negative (DReLU 0), every message has the same distribution;
 * ring-valued ones are uniform.
 */
class DReLUViewTest {
    static final int N = 8192;
    static final SessionParams PAPER = Sessions.paper(), MASKED = Sessions.masked();

    static SeededCluster.Outcome<long[]> run(SessionParams session, Seeded s, long[] a, long expected) {
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(session, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), N));
        for (long bit : Shares2.add(out.of(0), out.of(1))) assertThat(bit).as(s.msg("DReLU")).isEqualTo(expected);
        return out;
    }

    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void everyMessageIsIndependentOfTheSign(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(2503);
        SessionParams session = Sessions.of(form);
        var zeros = run(session, s, new long[N], 1);
        var negatives = run(session, s, ViewIndependence.largeNegatives(s, N, 62), 0); // the paper form's domain
        var report = ViewIndependence.assertIndependent(s, "DReLU " + form, zeros, negatives,
                RingMessages.holdersAndHelperLengths(8 * N));
        // paper: 7 groups, 4 of them uniform ring values; masked: the x halves each way, P2's two messages to P1
        // (the first one mixes ring values and bit shares, ⟨γ⟩1 is ring values) and the two Π_PC vectors
        assertThat(report.groups()).isGreaterThanOrEqualTo(form == DReluForm.PAPER ? 7 : 6);
        assertThat(report.uniformGroups()).isGreaterThanOrEqualTo(form == DReluForm.PAPER ? 4 : 3);
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
            var run = DealerView.run(PAPER, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
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
            var run = DealerView.run(PAPER, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
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
            var run = DealerView.run(PAPER, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            DealerView.Msb msb = run.dealt().msbs().getFirst();
            long[] eta = msb.sc().etaPrime().values(), beta = msb.betaPrime().values();
            long[] xSc = msb.sc().bits().values(), xMsb = msb.x().x();
            for (int e = 0; e < n; e++) h[t][(int) (eta[e] << 3 | beta[e] << 2 | (xSc[e] >>> 63) << 1 | xMsb[e] & 1)]++;
            ViewStats.assertUniform(s, h[t], "DReLU: (η′, β′, x_SC's MSB, x_MSB's LSB) "
                    + java.util.Arrays.toString(h[t]));
        }
        ViewStats.assertSameDistribution(s, h[0], h[1], "DReLU: (η′, β′) given x_SC's MSB and x_MSB's LSB");
    }

    // ---- the masked form

    /** The halves of x = a + r the holders exchanged, added up (test code: P2 never sees them). */
    static long[] openedX(SeededCluster.PartyRun<?> p0, SeededCluster.PartyRun<?> p1, int n) {
        return Shares2.add(ViewStats.longs(p0.messages(PartyContext.P1, 8L * n).getFirst()),
                ViewStats.longs(p1.messages(PartyContext.P0, 8L * n).getFirst()));
    }

    /**
     * What P0 and P1 see of each other: the halves ⟨a⟩_j + ⟨r⟩_j and their sum x = a + r are uniform and have the
     * same distribution for a ≥ 0 (all zero) and a &lt; 0 (large negatives near −2^63, the masked form takes the whole
     * ring). Negative control: with r drawn as zero the exchanged x would be a itself, which the same statistic tells
     * apart by far.
     */
    @Test
    void maskedTheOpenedXIsUniformAndIndependentOfTheInput() {
        Seeded s = Seeded.fromEnvOr(2531);
        int n = 8192;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 63)};
        long[][] x = new long[2][], withoutR = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(MASKED, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            for (long bit : Shares2.add(run.of(0), run.of(1))) assertThat(bit).isEqualTo(1 - t);
            long[] fromP1 = ViewStats.longs(run.party(0).messages(PartyContext.P1, 8L * n).getFirst());
            long[] fromP0 = ViewStats.longs(run.party(1).messages(PartyContext.P0, 8L * n).getFirst());
            x[t] = Shares2.add(fromP0, fromP1);
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(fromP1), "DReLU (masked): top bits of P1's half at P0");
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(fromP0), "DReLU (masked): top bits of P0's half at P1");
            ViewStats.assertUniform(s, ViewStats.byteHistogram(x[t]), "DReLU (masked): bytes of the opened x");
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(x[t]), "DReLU (masked): top bits of the opened x");
            withoutR[t] = Freshness.minus(x[t], run.dealt().maskedDrelus().getFirst().r().values());
            assertThat(withoutR[t]).isEqualTo(inputs[t]);
        }
        ViewStats.assertSameDistribution(s, ViewStats.highByteHistogram(x[0]), ViewStats.highByteHistogram(x[1]),
                "DReLU (masked): top bits of x for a ≥ 0 and a < 0");
        ViewStats.assertSameDistribution(s, ViewStats.byteHistogram(x[0]), ViewStats.byteHistogram(x[1]),
                "DReLU (masked): bytes of x for a ≥ 0 and a < 0");
        ViewStats.assertDifferentDistribution(s, ViewStats.highByteHistogram(withoutR[0]),
                ViewStats.highByteHistogram(withoutR[1]), "negative control: the opened x with r = 0");
    }

    /**
     * P2's two Π_PC vectors given the bit shares of r′ it dealt: the comparand is x′, the holders' public value.
     * Without Π_PC's m_i, P2 would read x′ off the share ratios ({@link PcAttack}) and with r′ have a's low 63 bits;
     * with them, no element matches. The negative control runs P_j's local work of Π_PC (production code,
     * {@link PrivateCompare#maskedShares}) on the same dealt shares and the same x′ with m = 0: the attack then
     * decodes the sign of (nearly) every element.
     */
    @Test
    void maskedPcVectorsTellNothingGivenTheBitSharesP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2532);
        int n = 2048, len = 64 * n;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(MASKED, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            DealerView.MaskedDrelu d = run.dealt().maskedDrelus().getFirst();
            ZpWire wire = run.params().zpWire();
            long zp = wire.bytes(len);
            var p2 = run.party(PartyContext.P2);
            byte[] d0 = ViewStats.zp(wire, p2.messages(PartyContext.P0, zp).getFirst(), len);
            byte[] d1 = ViewStats.zp(wire, p2.messages(PartyContext.P1, zp).getFirst(), len);
            long[] rLow = d.bits().values();
            byte[] share1 = d.bits().share1();
            decoded[t] = attack(d0, d1, rLow, share1, n);

            long[] x = openedX(run.party(0), run.party(1), n);
            long[] xLow = new long[n], beta = new long[n];
            byte[] share0 = new byte[len], a = new byte[len], rotation = new byte[n];
            for (int e = 0; e < n; e++) {
                xLow[e] = x[e] & Long.MAX_VALUE;
                beta[e] = s.rnd.nextInt(2);
                rotation[e] = (byte) s.rnd.nextInt(256);
                for (int k = 0; k < 64; k++) {
                    share0[64 * e + k] = (byte) Math.floorMod((int) (rLow[e] >>> (63 - k) & 1) - share1[64 * e + k], Zp.P);
                }
            }
            for (int i = 0; i < len; i++) a[i] = (byte) s.rnd.nextInt(Zp.P - 1);
            byte[] noM = new byte[len];
            long[] control = attack(PrivateCompare.maskedShares(0, share0, xLow, beta, a, rotation, noM, new byte[0], n),
                    PrivateCompare.maskedShares(1, share1, xLow, beta, a, rotation, noM, new byte[0], n), rLow, share1, n);
            assertThat(control[1 - t]).as(s.msg("negative control: without the m_i P2 decodes the sign "
                    + Arrays.toString(control))).isGreaterThan(n * 9L / 10);
        }
        Freshness.assertUndecodable(s, "DReLU (masked): Π_PC vectors given the dealt bit shares of r′", decoded[0],
                decoded[1]);
    }

    /** {@link PcAttack} on P2's Π_PC vectors: bins DReLU 0, 1 (a's low 63 bits are x′ − r′: |a| < 2^62 here), none. */
    static long[] attack(byte[] d0, byte[] d1, long[] rLow, byte[] share1, int n) {
        PcAttack.Found[] found = PcAttack.recover(d0, d1, rLow, share1, n);
        long[] h = new long[4];
        for (int e = 0; e < n; e++) {
            if (found[e] == null) {
                h[2]++;
            } else {
                long low = (found[e].r() - rLow[e]) & Long.MAX_VALUE;
                h[(low >>> 62) == 0 ? 1 : 0]++;
            }
        }
        return h;
    }

    /**
     * What P2 learns from Π_PC, β′ = β ⊕ (r′ &gt; x′), given the r it drew: the common bit β makes it uniform and
     * independent of a and r. The histogram of (β′, r₆₃, r's bit 62) is uniform and the same for a = 0 and a &lt; 0.
     * Negative control: without β, β′ would be r′ &gt; x′ (computed here from the opened x), which is always 0 for
     * a = 0 and often 1 for a &lt; 0.
     */
    @Test
    void maskedComparisonOutputIsIndependentGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2533);
        int n = 8192;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][] h = new long[2][8], control = new long[2][8];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(MASKED, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            DealerView.MaskedDrelu d = run.dealt().maskedDrelus().getFirst();
            long[] r = d.r().values(), x = openedX(run.party(0), run.party(1), n);
            for (int e = 0; e < n; e++) {
                int rBits = (int) ((r[e] >>> 63) << 1 | (r[e] >>> 62) & 1);
                h[t][(int) d.betaPrime(e) << 2 | rBits]++;
                long w = (r[e] & Long.MAX_VALUE) > (x[e] & Long.MAX_VALUE) ? 1 : 0;
                control[t][(int) w << 2 | rBits]++;
            }
            ViewStats.assertUniform(s, h[t], "DReLU (masked): (β′, r₆₃, r₆₂) " + Arrays.toString(h[t]));
        }
        ViewStats.assertSameDistribution(s, h[0], h[1], "DReLU (masked): β′ given r, for a = 0 and a < 0");
        ViewStats.assertDifferentDistribution(s, control[0], control[1], "negative control: β′ without β");
    }

    /**
     * The output shares given everything P2 dealt: before the refresh P_j holds [j = 0](1 − c) − (1 − 2c)·⟨γ⟩_j, and
     * P2 knows ⟨γ⟩_j, so of the two hypotheses c = 0, 1 one reproduces each share and tells P2 the bit. With the
     * zero-share none does. Negative control: the protocol's own steps without the final zero-share
     * ({@link MaskedReveal}, run by the test) are decoded on every share.
     */
    @Test
    void maskedOutputSharesAreFreshGivenWhatP2Dealt() {
        Seeded s = Seeded.fromEnvOr(2534);
        int n = 4096;
        long[][] inputs = {new long[n], ViewIndependence.largeNegatives(s, n, 62)};
        long[][] decoded = new long[2][];
        for (int t = 0; t < 2; t++) {
            long[][] sh = Shares2.split(inputs[t], s);
            var run = DealerView.run(MASKED, s.rnd.nextLong(), ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
            for (long bit : Shares2.add(run.of(0), run.of(1))) assertThat(bit).isEqualTo(1 - t);
            decoded[t] = decodeMasked(run.dealt().maskedDrelus().getFirst(), Shares2.concat(run.of(0), run.of(1)), n);

            var bare = DealerView.run(MASKED, s.rnd.nextLong(), ctx -> {
                try (var _ = ctx.meter("DReLU")) {
                    MaskedReveal m = MaskedReveal.deal(ctx, n, new int[0], new Beaver.Triple[0]);
                    m.open(Shares2.mine(sh, ctx.id()));
                    m.compare();
                    return m.finish();
                }
            });
            for (long bit : Shares2.add(bare.of(0), bare.of(1))) assertThat(bit).isEqualTo(1 - t);
            long[] h = decodeMasked(bare.dealt().maskedDrelus().getFirst(), Shares2.concat(bare.of(0), bare.of(1)), n);
            assertThat(h[1 - t]).as(s.msg("negative control: without the zero-share P2 decodes every share "
                    + Arrays.toString(h))).isEqualTo(2L * n);
        }
        Freshness.assertUndecodable(s, "DReLU (masked): output shares given what P2 dealt", decoded[0], decoded[1]);
    }

    /** Decodes masked-form DReLU shares (P0's then P1's, n each) against c = 0, 1: bins DReLU 0, 1, none, ambiguous. */
    static long[] decodeMasked(DealerView.MaskedDrelu d, long[] shares, int n) {
        long[] gamma = d.gamma().values();
        long[][] g = {d.gamma().share(0), d.gamma().share(1)};
        return Freshness.decode(shares, 2, (e, c) -> {
            int j = e / n;
            long gj = g[j][e % n];
            return c == 0 ? (j == 0 ? 1 - gj : -gj) : gj;
        }, (e, c) -> 1 - (int) (c ^ gamma[e % n]), 2);
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
