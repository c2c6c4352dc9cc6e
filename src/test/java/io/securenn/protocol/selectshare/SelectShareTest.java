package io.securenn.protocol.selectshare;

import io.securenn.runtime.SeededCluster;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SelectShareTest {

    @Test
    void selectsExactlyAndCostsOneProduct() {
        Seeded s = Seeded.fromEnvOr(801);
        int n = 100_000;
        long[] alpha = new long[n], x = s.longs(n), y = s.longs(n);
        long[] edges = {0, 1, -1, 8192, -8192, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < n; i++) alpha[i] = s.rnd.nextInt(2);
        for (int i = 0; i < edges.length; i++) {
            x[i] = edges[i];
            y[i] = edges[edges.length - 1 - i];
        }
        long[][] as = Shares2.split(alpha, s), xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(s.seed, ctx -> SelectShare.run(ctx, Shares2.mine(as, ctx.id()),
                Shares2.mine(xs, ctx.id()), Shares2.mine(ys, ctx.id()), n));
        long[] expect = new long[n];
        for (int i = 0; i < n; i++) expect[i] = alpha[i] == 0 ? x[i] : y[i];
        Check.equal(s, expect, Shares2.add(out.of(0), out.of(1)), i -> "alpha=" + alpha[i]);
        assertThat(out.bytes()).isEqualTo(SelectShare.bytes(n));
        assertThat(out.rounds()).isEqualTo(SelectShare.rounds()).isEqualTo(1);
        assertThat(out.streamsInLockStep()).isTrue();
    }
}
