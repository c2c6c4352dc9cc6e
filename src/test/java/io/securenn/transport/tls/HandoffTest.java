package io.securenn.transport.tls;

import io.securenn.runtime.Cluster;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.CommStats;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thread hand-offs per message over real TLS links (counters, not timings): with the party's own thread writing
 * small frames and reading its links, a chain of dependent messages crosses no thread; with the earlier structure
 * ({@code threadedIo}: writer and reader threads) every message costs two hand-offs. Bytes, frames and rounds are
 * the same either way. And the guarantee the writer thread exists for still holds when the sending thread writes
 * itself: two parties that send each other far more than the socket buffers hold before reading do not deadlock.
 */
@Timeout(120)
@ParameterizedClass
@EnumSource(value = TlsProvider.class, names = {"JDK", "BORINGSSL"})
class HandoffTest {
    private static final int ROUNDS = 200;
    private final TransportOptions options;

    HandoffTest(TlsProvider provider) {
        options = TransportOptions.defaults().withTls(provider).withIdleTimeout(Duration.ofSeconds(10))
                .withConnectTimeout(Duration.ofSeconds(20));
    }

    /** ROUNDS dependent rounds: P0 → P1 → P2 → P0, each message a few longs that depend on the one received. */
    private record Run(CommStats.Handoffs[] handoffs, long[] bytes, long[] frames, int[] clock, long result) {}

    private Run ring(TransportOptions o, long seed) {
        var res = LocalCluster.run(Cluster.local(o), "ring", "", SessionParams.defaults(), ctx -> {
            int me = ctx.id(), next = (me + 1) % 3, prev = (me + 2) % 3;
            CommStats.Handoffs before = ctx.stats().handoffs();
            CommStats.Snapshot s0 = ctx.stats().snapshot();
            long v = seed;
            for (int r = 0; r < ROUNDS; r++) {
                if (me == 0) {
                    ctx.sendLongs(next, new long[] {v, r});
                    v = ctx.receiveLongs(prev, 2)[0];
                } else {
                    long got = ctx.receiveLongs(prev, 2)[0];
                    v = got * 31 + me;
                    ctx.sendLongs(next, new long[] {v, r});
                }
            }
            CommStats.Snapshot d = ctx.stats().snapshot().minus(s0);
            return new Object[] {ctx.stats().handoffs().minus(before), d.bytesSent(), d.frames(), d.clock(), v};
        });
        CommStats.Handoffs[] h = new CommStats.Handoffs[3];
        long[] bytes = new long[3], frames = new long[3];
        int[] clock = new int[3];
        for (int p = 0; p < 3; p++) {
            Object[] r = res.of(p);
            h[p] = (CommStats.Handoffs) r[0];
            bytes[p] = (long) r[1];
            frames[p] = (long) r[2];
            clock[p] = (int) r[3];
        }
        return new Run(h, bytes, frames, clock, (long) res.of(0)[4]);
    }

    @Test
    void aChainOfMessagesCrossesNoThreadAndCostsTheSameBytesAndRounds() {
        long seed = new SplittableRandom().nextLong();
        Run inline = ring(options, seed);
        Run threaded = ring(options.withThreadedIo(true), seed);
        String why = "seed " + seed + ", inline " + Arrays.toString(inline.handoffs) + ", threaded "
                + Arrays.toString(threaded.handoffs);
        long expected = seed;
        for (int r = 0; r < ROUNDS; r++) expected = (expected * 31 + 1) * 31 + 2;
        assertThat(inline.result).as(why).isEqualTo(expected);
        assertThat(threaded.result).as(why).isEqualTo(expected);
        for (int p = 0; p < 3; p++) {
            CommStats.Handoffs in = inline.handoffs[p], th = threaded.handoffs[p];
            // every message of the chain is waited for, so each receive either read it itself or was woken
            assertThat(in.directWrites()).as(why).isEqualTo(ROUNDS);
            assertThat(in.queuedWrites()).as(why).isZero();
            // the drain thread may hold the role when a party starts waiting (once, after a pause): a few at most
            assertThat(in.wokenReceives()).as(why).isLessThanOrEqualTo(3);
            assertThat(in.inlineReceives() + in.readyReceives() + in.wokenReceives()).as(why).isEqualTo(ROUNDS);
            assertThat(th.directWrites()).as(why).isZero();
            assertThat(th.queuedWrites()).as(why).isEqualTo(ROUNDS);
            assertThat(th.handoffs()).as(why).isGreaterThanOrEqualTo(ROUNDS + ROUNDS / 2);
            assertThat(in.handoffs()).as(why).isLessThanOrEqualTo(3);
        }
        assertThat(inline.bytes).as(why).containsExactly(threaded.bytes);
        assertThat(inline.frames).as(why).containsExactly(threaded.frames);
        assertThat(inline.clock).as(why).containsExactly(threaded.clock);
        assertThat(inline.clock[0]).as(why).isEqualTo(3 * ROUNDS);
    }

    @Test
    void directWritesBeyondTheSocketBuffersDoNotDeadlock() {
        // both send ~72 MiB before reading anything: the sending thread writes the 32 KiB frames while the socket
        // takes them, the socket fills, the rest and the 256 KiB frames go to the writer thread, nothing waits
        // frames of 32 KiB and of 256 KiB in turn
        int frames = 512, small = (Wire.DIRECT_MAX - 64) / 8, large = 1 << 15;
        long seed = new SplittableRandom().nextLong();
        var res = LocalCluster.run(Cluster.local(options), "flood", "", SessionParams.defaults(), ctx -> {
            if (ctx.isHelper()) return new long[] {0, 0};
            SplittableRandom mine = new SplittableRandom(seed + ctx.id()), theirs = new SplittableRandom(seed + ctx.other());
            for (int f = 0; f < frames; f++) {
                long[] m = new long[f % 2 == 0 ? small : large];
                for (int i = 0; i < m.length; i++) m[i] = mine.nextLong();
                ctx.sendLongs(ctx.other(), m);
            }
            long bad = 0;
            for (int f = 0; f < frames; f++) {
                long[] m = ctx.receiveLongs(ctx.other(), f % 2 == 0 ? small : large);
                for (long v : m) if (v != theirs.nextLong()) bad++;
            }
            CommStats.Handoffs h = ctx.stats().handoffs();
            return new long[] {bad, h.queuedWrites()};
        });
        assertThat(res.of(0)[0]).as("seed %d", seed).isZero();
        assertThat(res.of(1)[0]).as("seed %d", seed).isZero();
        // the socket filled up: some frames did go through the writer thread
        assertThat(res.of(0)[1] + res.of(1)[1]).as("seed %d", seed).isPositive();
    }
}
