package io.securenn.protocol.maxpool;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.securenn.ring.ZpWire.PACKED7;
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
        assertThat(out.bytes()).isEqualTo(MaxPool.bytes(PACKED7, count, n, form));
        assertThat(out.rounds()).isEqualTo(MaxPool.rounds(n, form));
        assertThat(out.streamsInLockStep()).isTrue();
    }

    /** The all-pairs argmax returns Π_MP's index (earliest of ties) with its documented bytes and rounds. */
    @ParameterizedTest
    @CsvSource({"1", "2", "3", "4", "5", "9", "10", "16", "17"})
    void allPairsArgmaxEqualsTheEarliestMaximumWithItsCost(int n) {
        Seeded s = Seeded.fromEnvOr(950 + n);
        int count = n > 10 ? 300 : 1500;
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
        assertThat(out.bytes()).isEqualTo(MaxPool.argmaxBytes(PACKED7, count, n));
        assertThat(out.rounds()).isEqualTo(MaxPool.argmaxRounds(n));
        assertThat(out.streamsInLockStep()).isTrue();
    }

    @Test
    void allPairsArgmaxCostsForTheOutputLayer() {
        // ten classes: 45 DReLUs and 10·(4 + 2 + 1 + 1) bit products per window, 8 + 4 rounds (tournament: 36)
        for (ZpWire w : ZpWire.values()) {
            assertThat(MaxPool.argmaxBytes(w, 1, 10)).isEqualTo(DReLU.bytes(w, 45) + 80 * 40);
            assertThat(MaxPool.argmaxBytes(w, 7, 2)).isEqualTo(DReLU.bytes(w, 7));
            assertThat(MaxPool.argmaxBytes(w, 5, 1)).isZero();
        }
        assertThat(MaxPool.argmaxRounds(10)).isEqualTo(12);
        assertThat(MaxPool.argmaxRounds(2)).isEqualTo(DReLU.rounds());
    }

    @Test
    void costsMatchTheClosedForms() {
        // per comparison: DReLU + two products (8 dealt + 32 exchanged each); a public index saves one product
        long per = DReLU.bytes(PACKED7, 1) + 80;
        assertThat(DReLU.bytes(ZpWire.BYTE, 1) + 80).isEqualTo(568);
        assertThat(MaxPool.bytes(PACKED7, 1, 4, MaxPool.Form.SEQUENTIAL)).isEqualTo(3 * per - 40);
        assertThat(MaxPool.bytes(PACKED7, 1, 4, MaxPool.Form.TOURNAMENT)).isEqualTo(3 * per - 2 * 40);
        assertThat(MaxPool.bytes(PACKED7, 10, 16, MaxPool.Form.TOURNAMENT)).isEqualTo(10 * (15 * per - 8 * 40));
        assertThat(MaxPool.rounds(4, MaxPool.Form.SEQUENTIAL)).isEqualTo(27);
        assertThat(MaxPool.rounds(4, MaxPool.Form.TOURNAMENT)).isEqualTo(18);
        assertThat(MaxPool.rounds(16, MaxPool.Form.SEQUENTIAL)).isEqualTo(135);
        assertThat(MaxPool.rounds(16, MaxPool.Form.TOURNAMENT)).isEqualTo(36);
        assertThat(MaxPool.rounds(9, MaxPool.Form.TOURNAMENT)).isEqualTo(36);
        for (MaxPool.Form f : MaxPool.Form.values())
            for (int n = 2; n <= 64; n++) {
                assertThat(MaxPool.bytes(ZpWire.BYTE, 1, n, f)).isLessThanOrEqualTo(744L * (n - 1));
                assertThat(MaxPool.bytes(PACKED7, 1, n, MaxPool.Form.TOURNAMENT))
                        .isLessThanOrEqualTo(MaxPool.bytes(PACKED7, 1, n, MaxPool.Form.SEQUENTIAL));
            }
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
