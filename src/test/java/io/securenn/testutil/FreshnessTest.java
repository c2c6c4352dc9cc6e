package io.securenn.testutil;

import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.PartyContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Negative controls for {@link Freshness}, on the production building blocks that deliberately do not refresh
 * (their callers do): a Beaver product ({@link Beaver#hadamards}) and ComputeMSB's steps without the final
 * zero-share. The statistics must reject them, and accept the same with a refresh added.
 */
class FreshnessTest {
    static final int N = 8192;

    /** x ⊙ y with a triple dealt in a helper message, as the composite protocols do, refreshed or not. */
    static DealerView.Run<long[]> product(Seeded s, long[] x, long[] y, boolean refresh) {
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        return DealerView.run(s.rnd.nextLong(), ctx -> {
            HelperMessage msg = HelperMessage.open(ctx, Beaver.dealBytes(N));
            Beaver.Triple t = Beaver.deal(ctx, msg, N);
            msg.deliver();
            long[] w = Beaver.hadamards(ctx, new long[][] {Shares2.mine(xs, ctx.id())},
                    new long[][] {Shares2.mine(ys, ctx.id())}, new Beaver.Triple[] {t})[0];
            if (refresh) Sharing.refresh(ctx, w);
            return w;
        });
    }

    static long[] parities(DealerView.Run<long[]> run) {
        DealerView.Triple t = run.dealt().all(DealerView.Triple.class).getFirst();
        return Freshness.parities(t.u(), t.v(), Freshness.minus(run.of(1), t.z1()));
    }

    static long[] odd(Seeded s) {
        long[] v = s.longs(N);
        for (int i = 0; i < N; i++) v[i] |= 1;
        return v;
    }

    @Test
    void anUnrefreshedBeaverProductFailsTheParityTestAndARefreshedOnePasses() {
        Seeded s = Seeded.fromEnvOr(2701);
        long[] zeros = new long[N];
        long[] a = parities(product(s, zeros, zeros, false)), b = parities(product(s, odd(s), odd(s), false));
        assertThatThrownBy(() -> Freshness.assertParitiesIndependent(s, "unrefreshed", a, b))
                .isInstanceOf(AssertionError.class).hasMessageContaining("residual bit uniform");
        Freshness.assertParitiesIndependent(s, "refreshed", parities(product(s, zeros, zeros, true)),
                parities(product(s, odd(s), odd(s), true)));
    }

    /** ComputeMSB's steps as {@link ComputeMSB#run} takes them, with or without its final zero-share. */
    static DealerView.Run<long[]> msb(Seeded s, long[] a, boolean refresh) {
        long[][] sh = Shares2.splitOdd(a, s);
        return DealerView.run(s.rnd.nextLong(), ctx -> {
            HelperMessage msg = HelperMessage.open(ctx, ComputeMSB.dealBytes(ctx.params().zpWire(), N));
            ComputeMSB.Pending p = ComputeMSB.dealMask(ctx, msg, N);
            p.sendMasked(Shares2.mine(sh, ctx.id()));
            p.dealRest(msg);
            p.dealBits(msg);
            long[] out = p.complete();
            if (refresh) Sharing.refresh(ctx, out);
            return out;
        });
    }

    static long[] decoded(DealerView.Run<long[]> run) {
        MsbHypotheses m = new MsbHypotheses(run.dealt().msbs().getFirst());
        return Freshness.decode(run.of(PartyContext.P1), MsbHypotheses.COUNT, (e, h) -> m.share(e, 1, h),
                (e, h) -> m.msb(e, h), 2);
    }

    @Test
    void p2DecodesAnUnrefreshedMsbShareAndNotARefreshedOne() {
        Seeded s = Seeded.fromEnvOr(2702);
        long[] zeros = new long[N], high = new long[N];
        for (int i = 0; i < N; i++) high[i] = (1L << 63) | (s.rnd.nextLong() >>> 2);
        long[] a = decoded(msb(s, zeros, false)), b = decoded(msb(s, high, false));
        // every share decodes, to the right MSB
        assertThat(a).containsExactly(N, 0, 0, 0);
        assertThat(b).containsExactly(0, N, 0, 0);
        assertThatThrownBy(() -> Freshness.assertUndecodable(s, "unrefreshed", a, b))
                .isInstanceOf(AssertionError.class);
        Freshness.assertUndecodable(s, "refreshed", decoded(msb(s, zeros, true)), decoded(msb(s, high, true)));
    }
}
