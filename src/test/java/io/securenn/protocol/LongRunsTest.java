package io.securenn.protocol;

import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.relu.ReLU;
import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Larger random runs, outside the default suite: mvn -Dgroups=long -DexcludedTestGroups=none test. */
@Tag("long")
class LongRunsTest {

    @Test
    void aMillionDReLUs() {
        Seeded s = Seeded.fromEnvOr(2001);
        int n = 1_000_000;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i % 3 == 0 ? s.rnd.nextLong() >> 2 : s.rnd.nextLong() >> (2 + s.rnd.nextInt(60));
        long[][] sh = Shares2.split(v, s);
        var out = SeededCluster.run(s.seed, ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
        long[] expect = new long[n];
        for (int i = 0; i < n; i++) expect[i] = v[i] >= 0 ? 1 : 0;
        Check.equal(s, expect, Shares2.add(out.of(0), out.of(1)), i -> "DReLU(" + v[i] + ")");
        assertThat(out.bytes()).isEqualTo(DReLU.bytes(out.params(), n));
        assertThat(out.rounds()).isEqualTo(DReLU.rounds(out.params())).isEqualTo(4);
    }

    @Test
    void halfAMillionReLUs() {
        Seeded s = Seeded.fromEnvOr(2002);
        int n = 500_000;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = s.rnd.nextLong() >> (2 + s.rnd.nextInt(50));
        long[][] sh = Shares2.split(v, s);
        var out = SeededCluster.run(s.seed, ctx -> ReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
        long[] expect = new long[n];
        for (int i = 0; i < n; i++) expect[i] = Math.max(v[i], 0);
        Check.equal(s, expect, Shares2.add(out.of(0).relu(), out.of(1).relu()), i -> "ReLU(" + v[i] + ")");
    }

    @Test
    void maxPoolOverLargeWindowsBothForms() {
        Seeded s = Seeded.fromEnvOr(2003);
        int count = 20_000, n = 16;
        long[] w = new long[count * n];
        for (int i = 0; i < w.length; i++) w[i] = s.rnd.nextInt(64) - 32;   // many ties
        long[][] sh = Shares2.split(w, s);
        long[] max = new long[count], arg = new long[count];
        for (int c = 0; c < count; c++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (w[c * n + i] > w[c * n + best]) best = i;
            max[c] = w[c * n + best];
            arg[c] = best;
        }
        for (MaxPool.Form f : MaxPool.Form.values()) {
            var out = SeededCluster.run(s.seed, ctx -> MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, f));
            Check.equal(s, max, Shares2.add(out.of(0).max(), out.of(1).max()), c -> f + " max " + c);
            Check.equal(s, arg, Shares2.add(out.of(0).index(), out.of(1).index()), c -> f + " argmax " + c);
            assertThat(out.rounds()).isEqualTo(MaxPool.rounds(out.params(), n, f));
        }
    }
}
