package io.securenn.protocol.maxpool;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Sessions;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaxPoolTest {
    /** MaxPool's domain: |x| < 2^61 so that differences stay in DReLU's range. */
    static final long MAX = (1L << 61) - 1;

    /** Windows with ties, extremes and small fixed-point values mixed with random ones. */
    static long[] windows(Seeded s, int count, int n) {
        long[] w = new long[count * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = switch (s.rnd.nextInt(6)) {
                case 0 -> s.rnd.nextInt(3) - 1;                              // ties among −1, 0, 1
                case 1 -> s.rnd.nextBoolean() ? MAX : -MAX;
                case 2 -> s.rnd.nextLong() >> 3;
                default -> Math.round((s.rnd.nextDouble() * 2 - 1) * 8 * 8192);
            };
        }
        // a few fully tied windows and windows sorted ascending/descending
        for (int k = 0; k < Math.min(count, 3); k++) for (int i = 0; i < n; i++) w[k * n + i] = 7 * (k - 1);
        if (count > 4) for (int i = 0; i < n; i++) {
            w[3 * n + i] = i;
            w[4 * n + i] = -i;
        }
        return w;
    }

    static SeededCluster.Outcome<MaxPool.Result> pool(long seed, long[][] sh, int count, int n, MaxPool.Form f) {
        return SeededCluster.run(seed, ctx -> MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, f));
    }

    static void assertPooled(Seeded s, long[] w, int count, int n, SeededCluster.Outcome<MaxPool.Result> out) {
        long[] max = new long[count], arg = new long[count];
        for (int c = 0; c < count; c++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (w[c * n + i] > w[c * n + best]) best = i;   // strict: earliest wins ties
            max[c] = w[c * n + best];
            arg[c] = best;
        }
        Check.equal(s, max, Shares2.add(out.of(0).max(), out.of(1).max()), c -> "max of window " + c);
        Check.equal(s, arg, Shares2.add(out.of(0).index(), out.of(1).index()), c -> "argmax of window " + c);
    }

    @ParameterizedTest
    @CsvSource({"SEQUENTIAL,1", "SEQUENTIAL,2", "SEQUENTIAL,3", "SEQUENTIAL,4", "SEQUENTIAL,5", "SEQUENTIAL,9",
            "SEQUENTIAL,16", "SEQUENTIAL,25",
            "TOURNAMENT,1", "TOURNAMENT,2", "TOURNAMENT,3", "TOURNAMENT,4", "TOURNAMENT,5", "TOURNAMENT,9",
            "TOURNAMENT,16", "TOURNAMENT,25"})
    void maxAndArgmaxExactWithTiesAndTheCostFormula(MaxPool.Form form, int n) {
        Seeded s = Seeded.fromEnvOr(900 + n * 2L + form.ordinal());
        int count = 3000;
        long[] w = windows(s, count, n);
        long[][] sh = Shares2.split(w, s);
        var out = pool(s.seed, sh, count, n, form);
        assertPooled(s, w, count, n, out);
        assertThat(out.bytes()).isEqualTo(MaxPool.bytes(out.params(), count, n, form));
        assertThat(out.rounds()).isEqualTo(MaxPool.rounds(out.params(), n, form));
        assertThat(out.streamsInLockStep()).isTrue();
    }

    /**
     * The argmax (all pairs up to 16 values, the tournament above) returns Π_MP's index (earliest of ties) with its
     * documented bytes and rounds.
     */
    @ParameterizedTest
    @CsvSource({"1", "2", "3", "4", "5", "9", "10", "16", "17", "40", "1000"})
    void argmaxEqualsTheEarliestMaximumWithItsCost(int n) {
        Seeded s = Seeded.fromEnvOr(950 + n);
        int count = n > 100 ? 6 : n > 10 ? 300 : 1500;
        long[] w = windows(s, count, n);
        long[][] sh = Shares2.split(w, s);
        var out = SeededCluster.run(s.seed, ctx -> MaxPool.argmax(ctx, Shares2.mine(sh, ctx.id()), count, n));
        long[] arg = new long[count];
        for (int c = 0; c < count; c++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (w[c * n + i] > w[c * n + best]) best = i;
            arg[c] = best;
        }
        Check.equal(s, arg, Shares2.add(out.of(0), out.of(1)), c -> "argmax of window " + c);
        assertThat(out.bytes()).isEqualTo(MaxPool.argmaxBytes(out.params(), count, n));
        assertThat(out.rounds()).isEqualTo(MaxPool.argmaxRounds(out.params(), n));
        assertThat(out.streamsInLockStep()).isTrue();
    }

    @Test
    void allPairsArgmaxCostsForTheOutputLayer() {
        // ten classes: 45 DReLUs and 10·(4 + 2 + 1 + 1) bit products per window, 8 + 4 rounds (tournament: 36) in
        // the paper's DReLU form, 4 + 4 in the masked form
        for (ZpWire w : ZpWire.values()) {
            for (DReluForm f : DReluForm.values()) {
                SessionParams p = Sessions.of(w, f);
                assertThat(MaxPool.argmaxBytes(p, 1, 10)).isEqualTo(DReLU.bytes(p, 45) + 80 * 40);
                assertThat(MaxPool.argmaxBytes(p, 7, 2)).isEqualTo(DReLU.bytes(p, 7));
                assertThat(MaxPool.argmaxBytes(p, 5, 1)).isZero();
            }
        }
        // wider than 16 values: the tournament (ImageNet's 1 000 classes: 999 comparisons per row, not 499 500)
        for (int n : new int[] {17, 100, 1000}) {
            for (SessionParams p : new SessionParams[] {Sessions.paper(), Sessions.masked()}) {
                assertThat(MaxPool.argmaxBytes(p, 3, n)).isEqualTo(MaxPool.bytes(p, 3, n, MaxPool.Form.TOURNAMENT));
                assertThat(MaxPool.argmaxRounds(p, n)).isEqualTo(MaxPool.rounds(p, n, MaxPool.Form.TOURNAMENT));
            }
        }
        assertThat(MaxPool.argmaxRounds(Sessions.paper(), 10)).isEqualTo(12);
        assertThat(MaxPool.argmaxRounds(Sessions.masked(), 10)).isEqualTo(8);
        assertThat(MaxPool.argmaxRounds(Sessions.paper(), 2)).isEqualTo(DReLU.rounds(Sessions.paper()));
    }

    @Test
    void costsMatchTheClosedForms() {
        // per comparison: DReLU + two products (8 dealt + 32 exchanged each); a public index saves one product
        SessionParams paper = Sessions.paper(), masked = Sessions.masked();
        for (SessionParams p : new SessionParams[] {paper, masked}) {
            long per = DReLU.bytes(p, 1) + 80;
            assertThat(MaxPool.bytes(p, 1, 4, MaxPool.Form.SEQUENTIAL)).isEqualTo(3 * per - 40);
            assertThat(MaxPool.bytes(p, 1, 4, MaxPool.Form.TOURNAMENT)).isEqualTo(3 * per - 2 * 40);
            assertThat(MaxPool.bytes(p, 10, 16, MaxPool.Form.TOURNAMENT)).isEqualTo(10 * (15 * per - 8 * 40));
        }
        assertThat(DReLU.bytes(paper.withZpWire(ZpWire.BYTE), 1) + 80).isEqualTo(568);
        assertThat(DReLU.bytes(masked.withZpWire(ZpWire.BYTE), 1) + 80).isEqualTo(304);
        assertThat(DReLU.bytes(masked, 1) + 80).isEqualTo(280);
        assertThat(MaxPool.rounds(paper, 4, MaxPool.Form.SEQUENTIAL)).isEqualTo(27);
        assertThat(MaxPool.rounds(paper, 4, MaxPool.Form.TOURNAMENT)).isEqualTo(18);
        assertThat(MaxPool.rounds(paper, 16, MaxPool.Form.SEQUENTIAL)).isEqualTo(135);
        assertThat(MaxPool.rounds(paper, 16, MaxPool.Form.TOURNAMENT)).isEqualTo(36);
        assertThat(MaxPool.rounds(paper, 9, MaxPool.Form.TOURNAMENT)).isEqualTo(36);
        assertThat(MaxPool.rounds(masked, 4, MaxPool.Form.SEQUENTIAL)).isEqualTo(13);   // 5 + 4 + 4: the next dealing travels ahead
        assertThat(MaxPool.rounds(masked, 16, MaxPool.Form.TOURNAMENT)).isEqualTo(17);
        for (MaxPool.Form f : MaxPool.Form.values())
            for (int n = 2; n <= 64; n++) {
                for (DReluForm d : DReluForm.values()) {
                    assertThat(MaxPool.bytes(Sessions.of(ZpWire.BYTE, d), 1, n, f)).isLessThanOrEqualTo(744L * (n - 1));
                }
                assertThat(MaxPool.bytes(masked, 1, n, f)).isLessThan(MaxPool.bytes(paper, 1, n, f));
                assertThat(MaxPool.bytes(paper, 1, n, MaxPool.Form.TOURNAMENT))
                        .isLessThanOrEqualTo(MaxPool.bytes(paper, 1, n, MaxPool.Form.SEQUENTIAL));
            }
    }

    /**
     * Both DReLU forms give the same max and index on the same shares, each with its own documented cost (the values
     * span MaxPool's domain, ties included).
     */
    @ParameterizedTest
    @CsvSource({"SEQUENTIAL,4", "TOURNAMENT,9"})
    void bothDReluFormsGiveIdenticalOutputs(MaxPool.Form form, int n) {
        Seeded s = Seeded.fromEnvOr(970 + n);
        int count = 2000;
        long[] w = windows(s, count, n);
        long[][] sh = Shares2.split(w, s);
        long[][] got = new long[2][];
        for (DReluForm d : DReluForm.values()) {
            var out = SeededCluster.run(Sessions.of(d), s.seed,
                    ctx -> MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, form));
            assertPooled(s, w, count, n, out);
            assertThat(out.bytes()).isEqualTo(MaxPool.bytes(Sessions.of(d), count, n, form));
            assertThat(out.rounds()).isEqualTo(MaxPool.rounds(Sessions.of(d), n, form));
            got[d.ordinal()] = Shares2.concat(Shares2.add(out.of(0).max(), out.of(1).max()),
                    Shares2.add(out.of(0).index(), out.of(1).index()));
        }
        assertThat(got[1]).as(s.msg("MaxPool, masked vs paper DReLU")).isEqualTo(got[0]);
    }

    @Test
    void hundredThousandRandomWindowsOfTwoByTwo() {
        Seeded s = Seeded.fromEnvOr(950);
        int count = 25_000, n = 4;   // 10^5 values
        long[] w = windows(s, count, n);
        var out = pool(s.seed, Shares2.split(w, s), count, n, MaxPool.Form.TOURNAMENT);
        assertPooled(s, w, count, n, out);
    }

    @Test
    void emptyWindowsAreRefused() {
        assertThatThrownBy(() -> MaxPool.run(null, new long[0], 1, 0, MaxPool.Form.SEQUENTIAL))
                .isInstanceOf(SecureNnException.class).hasMessageContaining("at least one value");
    }
}
