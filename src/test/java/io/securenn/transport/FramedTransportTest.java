package io.securenn.transport;

import io.securenn.runtime.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

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
        for (int i = 0; i < 3; i++) t[i] = new FramedTransport(i, Duration.ofMillis(300), 1 << 20);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                if (i != j) t[i].attach(j, new InMemoryTransports.MemoryLink(i, t[j]));
        t[0].start();
        t[1].start(); // P2 never starts: no heartbeats from it
        assertThatThrownBy(() -> t[0].receive(2)).isInstanceOf(PeerFailure.class)
                .hasMessage("lost peer P2: silent for more than 300 ms (idle timeout)");
        // P0 told P1 which party was lost
        assertThatThrownBy(() -> t[1].receive(0)).isInstanceOf(PeerFailure.class)
                .hasMessage("lost peer P2: reported by P0");
        for (FramedTransport x : t) x.abort(PeerFailure.lost(2, "test over"));
    }

    @Test
    void closeWaitsForThePeersGoodbyeAndNeverHangs() throws Exception {
        FramedTransport[] t = InMemoryTransports.create(Duration.ofMillis(500));
        Thread late = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            t[1].close();
            t[2].close();
        });
        long t0 = System.nanoTime();
        t[0].close();
        long waited = System.nanoTime() - t0;
        late.join();
        // it waited for the others' BYE (the heartbeats kept them alive meanwhile) rather than closing at once
        assertThat(waited).isGreaterThan(Duration.ofMillis(250).toNanos());
        assertThat(t[0].isClosed()).isTrue();
        assertThat(t[0].failure()).isNull();
    }
}
