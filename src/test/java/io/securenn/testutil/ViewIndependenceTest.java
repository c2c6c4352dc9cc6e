package io.securenn.testutil;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Negative controls for {@link ViewIndependence}: "protocols" that do leak their input must fail it, through a
 * single party's messages, through what P0 and P1 see together, and through what P2 can combine; a protocol that
 * sends only fresh masks passes.
 */
class ViewIndependenceTest {
    static final int N = 8192;

    static SeededCluster.Outcome<long[]> run(Seeded s, long[] x, BiFunction<PartyContext, long[], long[]> job) {
        long[][] sh = Shares2.split(x, s);
        return SeededCluster.run(s.rnd.nextLong(), ctx -> job.apply(ctx, Shares2.mine(sh, ctx.id())));
    }

    static void check(Seeded s, BiFunction<PartyContext, long[], long[]> job) {
        var a = run(s, new long[N], job);
        var b = run(s, ViewIndependence.largeNegatives(s, N, 62), job);
        ViewIndependence.assertIndependent(s, "control", a, b, ViewIndependence.RingMessages.holdersAndHelperLengths(8 * N));
    }

    @Test
    void openingTheInputIsDetectedFromTheHoldersJointView() {
        Seeded s = Seeded.fromEnvOr(2601);
        assertThatThrownBy(() -> check(s, (ctx, x) -> Sharing.reveal(ctx, x, Sharing.Recipient.BOTH)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the sum of the messages between P0 and P1");
    }

    @Test
    void sharesSentToTheHelperAreDetectedFromItsSum() {
        Seeded s = Seeded.fromEnvOr(2602);
        assertThatThrownBy(() -> check(s, (ctx, x) -> {
            if (ctx.isHelper()) {
                ctx.receiveLongs(0, N);
                ctx.receiveLongs(1, N);
            } else {
                ctx.sendLongs(2, x);
            }
            return x;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("P2's sum of the messages of P0 and P1");
    }

    @Test
    void aBiasedMessageIsDetectedOnItsOwn() {
        Seeded s = Seeded.fromEnvOr(2603);
        // P0 learns the input and masks it for P2 with only 56 random bits: the top byte carries the input
        assertThatThrownBy(() -> check(s, (ctx, x) -> {
            long[] plain = Sharing.reveal(ctx, x, Sharing.Recipient.P0);
            if (ctx.id() == 0) {
                long[] m = ctx.local().longs(N);
                for (int i = 0; i < N; i++) m[i] = plain[i] + (m[i] >>> 8);
                ctx.sendLongs(2, m);
            } else if (ctx.isHelper()) {
                ctx.receiveLongs(0, N);
            }
            return x;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("P2 from P0, messages of " + 8 * N + " bytes");
    }

    @Test
    void freshMasksPass() {
        Seeded s = Seeded.fromEnvOr(2604);
        var a = run(s, new long[N], ViewIndependenceTest::maskedExchange);
        var b = run(s, ViewIndependence.largeNegatives(s, N, 62), ViewIndependenceTest::maskedExchange);
        var report = ViewIndependence.assertIndependent(s, "masked", a, b,
                ViewIndependence.RingMessages.holdersAndHelperLengths(8 * N));
        // P0 and P1 from each other, P2 from both; joint: the holders' exchange and P2's pair
        assertThat(report).isEqualTo(new ViewIndependence.Report(4, 4, 2));
    }

    /** Each share holder sends the other, and P2, its share under a fresh private mask. */
    static long[] maskedExchange(PartyContext ctx, long[] x) {
        if (ctx.isHelper()) {
            ctx.receiveLongs(0, N);
            ctx.receiveLongs(1, N);
            return x;
        }
        long[] m = ctx.local().longs(N);
        for (int i = 0; i < N; i++) m[i] += x[i];
        ctx.sendLongs(ctx.other(), m);
        long[] m2 = ctx.local().longs(N);
        for (int i = 0; i < N; i++) m2[i] += x[i];
        ctx.sendLongs(2, m2);
        ctx.receiveLongs(ctx.other(), N);
        return x;
    }
}
