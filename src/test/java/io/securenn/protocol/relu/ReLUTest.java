package io.securenn.protocol.relu;

import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Sessions;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReLUTest {
    static final long MAX = (1L << 62) - 1;

    static SeededCluster.Outcome<ReLU.Result> relu(long seed, long[][] sh) {
        return relu(SessionParams.defaults(), seed, sh);
    }

    static SeededCluster.Outcome<ReLU.Result> relu(SessionParams session, long seed, long[][] sh) {
        int n = sh[0].length;
        return SeededCluster.run(session, seed, ctx -> ReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
    }

    static void assertRelu(Seeded s, long[][] sh, SeededCluster.Outcome<ReLU.Result> out) {
        long[] a = Shares2.add(sh[0], sh[1]);
        long[] r = new long[a.length], d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.max(a[i], 0);
            d[i] = a[i] >= 0 ? 1 : 0;
        }
        Check.equal(s, r, Shares2.add(out.of(0).relu(), out.of(1).relu()), i -> "ReLU(" + a[i] + ")");
        Check.equal(s, d, Shares2.add(out.of(0).drelu(), out.of(1).drelu()), i -> "DReLU(" + a[i] + ")");
    }

    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void edgeInputsExactly(DReluForm form) {
        Seeded s = Seeded.fromEnvOr(701);
        long[] v = {0, 1, -1, 8192, -8192, 2, -2, MAX, -MAX, 1L << 61, -(1L << 61), 12345678, -12345678};
        int k = v.length;
        long[] a0 = new long[2 * k], a1 = new long[2 * k];
        for (int i = 0; i < k; i++) {
            a0[i] = s.rnd.nextLong();
            a1[i] = v[i] - a0[i];
            a0[k + i] = -1L;           // shares that wrap
            a1[k + i] = v[i] + 1;
        }
        var out = relu(Sessions.of(form), s.seed, new long[][] {a0, a1});
        assertRelu(s, new long[][] {a0, a1}, out);
        assertThat(out.bytes()).isEqualTo(ReLU.bytes(Sessions.of(form), 2 * k));
        assertThat(out.rounds()).isEqualTo(ReLU.rounds(Sessions.of(form)));
    }

    /** The two DReLU forms give bit-identical ReLU and DReLU outputs on the same shares, each at its own cost. */
    @Test
    void bothDReluFormsGiveIdenticalOutputs() {
        Seeded s = Seeded.fromEnvOr(703);
        int n = 20_000;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i % 2 == 0 ? s.rnd.nextLong() >> 2 : s.rnd.nextLong() >> 40;
        long[][] sh = Shares2.split(v, s);
        long[][] got = new long[2][];
        for (DReluForm form : DReluForm.values()) {
            var out = relu(Sessions.of(form), s.seed, sh);
            assertRelu(s, sh, out);
            assertThat(out.bytes()).isEqualTo(ReLU.bytes(Sessions.of(form), n));
            assertThat(out.rounds()).isEqualTo(ReLU.rounds(Sessions.of(form)));
            assertThat(out.streamsInLockStep()).isTrue();
            got[form.ordinal()] = Shares2.concat(Shares2.add(out.of(0).relu(), out.of(1).relu()),
                    Shares2.add(out.of(0).drelu(), out.of(1).drelu()));
        }
        assertThat(got[1]).as(s.msg("ReLU, masked vs paper DReLU")).isEqualTo(got[0]);
    }

    @Test
    void hundredThousandRandomInputsInFiveRounds() {
        Seeded s = Seeded.fromEnvOr(702);
        int n = 100_000;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i % 2 == 0 ? s.rnd.nextLong() >> 2 : s.rnd.nextLong() >> 40;
        long[][] sh = Shares2.split(v, s);
        var out = relu(s.seed, sh);
        assertRelu(s, sh, out);
        assertThat(out.bytes()).isEqualTo(ReLU.bytes(out.params(), n)).isEqualTo(240L * n);
        assertThat(out.rounds()).isEqualTo(ReLU.rounds(out.params())).isEqualTo(5);
        assertThat(out.streamsInLockStep()).isTrue();
    }
}
