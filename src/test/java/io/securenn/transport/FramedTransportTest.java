package io.securenn.transport;

import io.securenn.runtime.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class FramedTransportTest {

    @Test
    void messagesSentWithoutReceivingInBetweenShareARound() {
        // P0 sends to P1 and then to P2: neither waits for the other, so both are round 1; P2's answer is round 2
        var res = LocalCluster.run(ctx -> {
            switch (ctx.id()) {
                case 0 -> {
                    ctx.sendLongs(1, new long[] {1});
                    ctx.sendLongs(2, new long[] {2});
                    ctx.sendLongs(2, new long[] {3});
                }
                case 1 -> ctx.receiveLongs(0, 1);
                default -> {
                    ctx.receiveLongs(0, 1);
                    ctx.receiveLongs(0, 1);
                    ctx.sendLongs(1, new long[] {4});
                }
            }
            if (ctx.id() == 1) ctx.receiveLongs(2, 1);
            return ctx.stats().clock();
        });
        assertThat(res.of(0)).isEqualTo(1);
        assertThat(res.of(2)).isEqualTo(2);
        assertThat(res.of(1)).isEqualTo(2);
    }

    @Test
    void aSilentPeerIsLostAfterTheIdleTimeout() {
        FramedTransport[] t = new FramedTransport[3];
        for (int i = 0; i < 3; i++) t[i] = new FramedTransport(i, Duration.ofMillis(2500), 1 << 20);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                if (i != j) t[i].attach(j, new InMemoryTransports.MemoryLink(i, t[j]));
        t[0].start();
        t[1].start(); // P2 never starts: no heartbeats from it
        assertThatThrownBy(() -> t[0].receive(2)).isInstanceOf(PeerFailure.class)
                .hasMessage("lost peer P2: silent for more than 2500 ms (idle timeout)");
        // P0 told P1 which party was lost
        assertThatThrownBy(() -> t[1].receive(0)).isInstanceOf(PeerFailure.class)
                .hasMessage("lost peer P2: reported by P0");
        for (FramedTransport x : t) x.abort(PeerFailure.lost(2, "test over"));
    }

    @Test
    void closeWaitsForThePeersGoodbyeAndNeverHangs() throws Exception {
        // P0's links count its BYEs, so the test knows when P0 is inside close(), waiting for the others
        FramedTransport[] t = new FramedTransport[3];
        for (int i = 0; i < 3; i++) t[i] = new FramedTransport(i, Duration.ofSeconds(10), 1 << 20);
        CountDownLatch p0SaidBye = new CountDownLatch(2);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i == j) continue;
                Link wire = new InMemoryTransports.MemoryLink(i, t[j]);
                t[i].attach(j, i != 0 ? wire : new Link() {
                    @Override
                    public void write(Frame frame) {
                        wire.write(frame);
                        if (frame.type() == Frame.BYE) p0SaidBye.countDown();
                    }

                    @Override
                    public void close() {
                        wire.close();
                    }

                    @Override
                    public long wireBytes() {
                        return wire.wireBytes();
                    }
                });
            }
        }
        for (FramedTransport x : t) x.start();
        AtomicBoolean othersClosing = new AtomicBoolean();
        CompletableFuture<Boolean> p0Closed = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            t[0].close();
            p0Closed.complete(othersClosing.get());
        });
        assertThat(p0SaidBye.await(20, TimeUnit.SECONDS)).as("P0 said BYE").isTrue();
        othersClosing.set(true);
        Thread c1 = Thread.ofPlatform().start(t[1]::close), c2 = Thread.ofPlatform().start(t[2]::close);
        // P0 returned only after the others had started closing: it waited for their BYE (the heartbeats kept
        // them alive meanwhile) rather than closing at once, and well within its idle timeout
        assertThat(p0Closed.get(20, TimeUnit.SECONDS)).as("P0's close waited for the others").isTrue();
        c1.join();
        c2.join();
        for (FramedTransport x : t) {
            assertThat(x.isClosed()).isTrue();
            assertThat(x.failure()).isNull();
        }
    }
}
