package io.securenn.protocol.drelu;

import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Sessions;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DReLU in both forms against the plaintext sign: the paper's on its domain |a| &lt; 2^62, the masked one on the whole
 * ring (it is exact for every a), each value with random, wrapping and non-wrapping shares, and the cost of every
 * run against the formula, per party for the masked form.
 */
class DReLUTest {
    /** The largest magnitude in the paper form's domain: |a| < 2^62. */
    static final long MAX = (1L << 62) - 1;

    /** Edge values of the paper form's domain: 0, ±1 raw (±2^-13), ±1.0, ±2, the extremes, powers of two near them. */
    static long[] edgeValues(Seeded s) {
        return new long[] {0, 1, -1, 2, -2, 8192, -8192, 8191, -8191, MAX, -MAX, MAX - 1, -MAX + 1, 1L << 61,
                -(1L << 61), (1L << 49) - 1, -(1L << 49), s.rnd.nextLong() >> 2, s.rnd.nextLong() >> 40};
    }

    /**
     * Edge values of the whole ring, for the masked form: the paper's, ±2^62, ±(2^63 − 1), 2^63 (= −2^63), and every
     * value within 64 of 0 and of 2^63 (where the sign flips and where x′ and r′ compare closest).
     */
    static long[] ringEdgeValues(Seeded s) {
        long[] base = edgeValues(s);
        long[] more = {1L << 62, -(1L << 62), Long.MAX_VALUE, -Long.MAX_VALUE, Long.MIN_VALUE, s.rnd.nextLong()};
        long[] v = Arrays.copyOf(base, base.length + more.length + 2 * 129);
        System.arraycopy(more, 0, v, base.length, more.length);
        int at = base.length + more.length;
        for (long k = -64; k <= 64; k++) {
            v[at++] = k;
            v[at++] = Long.MIN_VALUE + k;
        }
        return v;
    }

    /** Each value with random shares, shares that wrap (P0 holds 2^64 − 1) and shares that do not (P0 holds 0). */
    static long[][] threeWays(long[] v, Seeded s) {
        int k = v.length;
        long[] a0 = new long[3 * k], a1 = new long[3 * k];
        for (int i = 0; i < k; i++) {
            long r = s.rnd.nextLong();
            a0[i] = r;
            a1[i] = v[i] - r;
            a0[k + i] = -1L;
            a1[k + i] = v[i] + 1;
            a0[2 * k + i] = 0;
            a1[2 * k + i] = v[i];
        }
        return new long[][] {a0, a1};
    }

    /** Random values: uniform over the paper form's domain, and small fixed-point values (|x| < 64). */
    static long[] randomValues(Seeded s, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 2 == 0 ? s.rnd.nextLong() >> 2 : Math.round((s.rnd.nextDouble() * 2 - 1) * 64 * 8192);
            if (v[i] == -(1L << 62)) v[i] = 0;
        }
        return v;
    }

    /** Random values over the whole ring: uniform, and small fixed-point values, and values near ±2^63. */
    static long[] randomRingValues(Seeded s, int n) {
        long[] v = randomValues(s, n);
        for (int i = 0; i < n; i += 3) v[i] = s.rnd.nextLong();
        for (int i = 1; i < n; i += 6) v[i] = Long.MIN_VALUE + (s.rnd.nextLong() >> 40);
        return v;
    }

    static void assertDrelu(Seeded s, long[][] sh, long[] got) {
        long[] a = Shares2.add(sh[0], sh[1]);
        long[] expect = new long[a.length];
        for (int i = 0; i < a.length; i++) expect[i] = a[i] >= 0 ? 1 : 0;
        Check.equal(s, expect, got, i -> "DReLU(" + a[i] + ")");
    }

    static SeededCluster.Outcome<long[]> drelu(SessionParams session, long seed, long[][] sh) {
        int n = sh[0].length;
        return SeededCluster.run(session, seed, ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
    }

    static SeededCluster.Outcome<long[]> drelu(long seed, long[][] sh) {
        return drelu(SessionParams.defaults(), seed, sh);
    }

    /** The run's bytes and rounds are the formula's, and every stream's holders are in step. */
    static void assertCost(SeededCluster.Outcome<long[]> out, int n) {
        assertThat(out.bytes()).isEqualTo(DReLU.bytes(out.params(), n));
        assertThat(out.rounds()).isEqualTo(DReLU.rounds(out.params()));
        assertThat(out.streamsInLockStep()).isTrue();
        if (out.params().dreluForm() == DReluForm.MASKED) {
            // P0 and P1: their half of x (8 B) and their Π_PC vector (Z); P2: ⟨r⟩1 and the bit shares, then ⟨γ⟩1
            long z = out.params().zpWire().bytes(64 * n);
            assertThat(out.party(0).cost().bytesSent()).isEqualTo(8L * n + z);
            assertThat(out.party(1).cost().bytesSent()).isEqualTo(8L * n + z);
            assertThat(out.party(2).cost().bytesSent()).isEqualTo(16L * n + z);
        }
    }

    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void edgeInputsWithWrappingShares(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(601);
        long[][] sh = threeWays(edgeValues(s), s);
        var out = drelu(Sessions.of(form), s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
        assertCost(out, sh[0].length);
    }

    /** The masked form is exact on the whole ring: the sign of a as a signed 64-bit value, 2^63 = −2^63 included. */
    @Test
    void theMaskedFormIsExactOnTheWholeRing() {
        Seeded s = Seeded.fromEnvOr(604);
        long[][] sh = threeWays(ringEdgeValues(s), s);
        var out = drelu(Sessions.masked(), s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
        assertCost(out, sh[0].length);
        long[][] random = threeWays(randomRingValues(s, 3000), s);
        var more = drelu(Sessions.masked(), s.seed + 1, random);
        assertDrelu(s, random, Shares2.add(more.of(0), more.of(1)));
    }

    @Test
    void hundredThousandRandomInputsCostTheFormulaInFourRounds() {
        Seeded s = Seeded.fromEnvOr(602);
        int n = 100_000;
        long[][] sh = Shares2.split(randomRingValues(s, n), s);
        var out = drelu(s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
        assertCost(out, n);
        assertThat(out.bytes()).isEqualTo(200L * n);
        assertThat(out.rounds()).isEqualTo(4);
    }

    @Test
    void tenThousandRandomInputsInThePaperFormInEightRounds() {
        Seeded s = Seeded.fromEnvOr(605);
        int n = 10_000;
        long[][] sh = Shares2.split(randomValues(s, n), s);
        var out = drelu(Sessions.paper(), s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
        assertCost(out, n);
        assertThat(out.bytes()).isEqualTo(440L * n);
        assertThat(out.rounds()).isEqualTo(8);
    }

    /** Bytes per party and rounds for several n, in both wire formats and in pieces smaller than the input. */
    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void roundsDoNotGrowWithTheNumberOfElements(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(603);
        for (int n : new int[] {1, 7, 5000}) {
            for (ZpWire w : ZpWire.values()) {
                var out = drelu(Sessions.of(w, form), s.seed + n, Shares2.split(randomValues(s, n), s));
                assertCost(out, n);
                assertThat(out.rounds()).isEqualTo(form == DReluForm.PAPER ? 8 : 4);
            }
        }
        // more than one piece: 3000 elements in pieces of 256 (the last one shorter) and frames of 100 longs
        int n = 3000;
        SessionParams tiny = Sessions.of(form).withChunkElements(256).withFrameLongs(100);
        long[][] sh = Shares2.split(randomValues(s, n), s);
        var out = drelu(tiny, s.seed, sh);
        assertDrelu(s, sh, Shares2.add(out.of(0), out.of(1)));
        assertCost(out, n);
    }

    /** The two forms give the same bits on the same shares (on the paper form's domain). */
    @Test
    void bothFormsGiveIdenticalBits() {
        Seeded s = Seeded.fromEnvOr(606);
        long[][] sh = threeWays(randomValues(s, 4000), s);
        var p = drelu(Sessions.paper(), s.seed, sh);
        long[] paper = Shares2.add(p.of(0), p.of(1));
        var m = drelu(Sessions.masked(), s.seed, sh);
        assertThat(Shares2.add(m.of(0), m.of(1))).isEqualTo(paper);
        assertDrelu(s, sh, paper);
    }
}
