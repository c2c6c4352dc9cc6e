package io.securenn.protocol.dmaxpool;

import io.securenn.SecureNnException;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DMaxPoolTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 16, 256, 512, 65536})
    void oneHotOfTheSharedIndexInTwoRounds(int n) {
        Seeded s = Seeded.fromEnvOr(1000 + n);
        int count = n >= 512 ? 40 : 20_000;
        long[] ind = new long[count];
        for (int i = 0; i < count; i++) ind[i] = i < n ? i : s.rnd.nextInt(n);   // every index at least once
        long[][] sh = Shares2.split(ind, s);
        var out = SeededCluster.run(s.seed, ctx -> DMaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n));
        long[] expect = new long[count * n];
        for (int w = 0; w < count; w++) expect[w * n + (int) ind[w]] = 1;
        Check.equal(s, expect, Shares2.add(out.of(0), out.of(1)), k -> "window " + k / n + " position " + k % n);
        assertThat(out.bytes()).isEqualTo(DMaxPool.bytes(count, n));
        assertThat(out.bytes()).isLessThanOrEqualTo(16L * (n + 1) * count);
        assertThat(out.rounds()).isEqualTo(DMaxPool.rounds()).isEqualTo(2);
        assertThat(out.streamsInLockStep()).isTrue();
        if (n <= 256) assertThat(out.bytes()).isEqualTo((2L + 8L * n) * count);   // one byte per masked index
    }

    @Test
    void followsMaxPoolOnTheRefreshedIndex() {
        Seeded s = Seeded.fromEnvOr(1100);
        int count = 500, n = 4;
        long[] w = new long[count * n];
        for (int i = 0; i < w.length; i++) w[i] = s.rnd.nextInt(5) - 2;   // many ties
        long[][] sh = Shares2.split(w, s);
        var out = SeededCluster.run(s.seed, ctx -> {
            MaxPool.Result r = MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, MaxPool.Form.TOURNAMENT);
            return DMaxPool.run(ctx, ctx.isHelper() ? null : r.index(), count, n);
        });
        long[] expect = new long[count * n];
        for (int c = 0; c < count; c++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (w[c * n + i] > w[c * n + best]) best = i;
            expect[c * n + best] = 1;
        }
        Check.equal(s, expect, Shares2.add(out.of(0), out.of(1)), k -> "window " + k / n);
    }

    @Test
    void windowSizesThatDoNotDivideTwoToTheSixtyFourAreRefused() {
        for (int n : new int[] {3, 9, 25, 0, -4}) {
            assertThatThrownBy(() -> DMaxPool.run(null, new long[1], 1, n))
                    .isInstanceOf(SecureNnException.class)
                    .hasMessageContaining("power-of-two")
                    .extracting(e -> ((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT);
        }
    }

    @Test
    void indexWidth() {
        assertThat(DMaxPool.indexBytes(1)).isEqualTo(1);
        assertThat(DMaxPool.indexBytes(256)).isEqualTo(1);
        assertThat(DMaxPool.indexBytes(512)).isEqualTo(2);
        assertThat(DMaxPool.indexBytes(65536)).isEqualTo(2);
        assertThat(DMaxPool.indexBytes(1 << 17)).isEqualTo(3);
    }
}
