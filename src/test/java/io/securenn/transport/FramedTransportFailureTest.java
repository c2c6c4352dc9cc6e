package io.securenn.transport;

import io.securenn.SecureNnException;
import io.securenn.runtime.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FramedTransportFailureTest {

    @Test
    void messagesArriveInOrderAndBytesAndRoundsAreCounted() {
        FramedTransport[] t = InMemoryTransports.create();
        try {
            t[0].send(1, new byte[] {1, 2, 3});
            t[0].send(1, new byte[] {4});
            assertThat(t[1].receive(0)).containsExactly(1, 2, 3);
            assertThat(t[1].receive(0)).containsExactly(4);
            // P1 answers after receiving: its message is one hop deeper
            t[1].send(2, new byte[10]);
            assertThat(t[2].receive(1)).hasSize(10);
            assertThat(t[0].stats().bytesSent()).isEqualTo(4);
            assertThat(t[1].stats().bytesReceived()).isEqualTo(4);
            assertThat(t[2].stats().clock()).isEqualTo(2);
        } finally {
            for (var x : t) x.close();
        }
    }

    @Test
    void killedPartyIsNamedByBothSurvivors() throws Exception {
        FramedTransport[] t = InMemoryTransports.create(Duration.ofSeconds(5));
        var w0 = CompletableFuture.supplyAsync(() -> catchFailure(() -> t[0].receive(2)));
        var w1 = CompletableFuture.supplyAsync(() -> catchFailure(() -> t[1].receive(0)));
        Thread.sleep(100);
        t[2].abortWithoutNotice();
        PeerFailure f0 = w0.get(10, TimeUnit.SECONDS), f1 = w1.get(10, TimeUnit.SECONDS);
        assertThat(f0.lostParty()).isEqualTo(2);
        assertThat(f1.lostParty()).isEqualTo(2);
        assertThat(f1.getMessage()).contains("lost peer P2");
        for (var x : t) x.close();
    }

    @Test
    void silentPeerTimesOutAndIsNamed() throws Exception {
        FramedTransport[] t = InMemoryTransports.create(Duration.ofMillis(600));
        t[2].stopHeartbeatsForTest();   // P2 hangs: alive but silent
        long start = System.nanoTime();
        var w1 = CompletableFuture.supplyAsync(() -> catchFailure(() -> t[1].receive(0)));
        PeerFailure f0 = catchFailure(() -> t[0].receive(2));
        PeerFailure f1 = w1.get(10, TimeUnit.SECONDS);
        assertThat(f0.lostParty()).isEqualTo(2);
        assertThat(f0.getMessage()).contains("silent");
        assertThat(f1.lostParty()).isEqualTo(2);  // told by P0's abort message
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        for (var x : t) x.close();
    }

    @Test
    void heartbeatsKeepAQuietButLivePeer() throws Exception {
        FramedTransport[] t = InMemoryTransports.create(Duration.ofMillis(400));
        try {
            var w = CompletableFuture.supplyAsync(() -> t[0].receive(1));
            Thread.sleep(1500);   // well past the idle timeout, P1 alive
            t[1].send(0, new byte[] {7});
            assertThat(w.get(5, TimeUnit.SECONDS)).containsExactly(7);
        } finally {
            for (var x : t) x.close();
        }
    }

    @Test
    void outOfSequenceAndUnknownFramesAreMisbehaviour() {
        FramedTransport[] t = InMemoryTransports.create();
        t[0].deliver(1, new Frame(Frame.DATA, 5, 1, new byte[1]));
        assertThatThrownBy(() -> t[0].receive(1)).isInstanceOf(PeerFailure.class)
                .hasMessageContaining("P1").hasMessageContaining("out-of-sequence")
                .matches(e -> ((PeerFailure) e).kind() == SecureNnException.Kind.PEER_MISBEHAVED);
        FramedTransport[] u = InMemoryTransports.create();
        u[2].deliver(0, new Frame((byte) 42, 1, 1, new byte[0]));
        assertThatThrownBy(() -> u[2].receive(1)).isInstanceOf(PeerFailure.class).hasMessageContaining("P0");
        for (var x : t) x.close();
        for (var x : u) x.close();
    }

    @Test
    void wrongSizeFrameIsNamed() {
        assertThatThrownBy(() -> LocalCluster.run(ctx -> {
            if (ctx.id() == 1) ctx.sendLongs(0, new long[3]);
            if (ctx.id() == 0) ctx.receiveLongs(1, 4);
            return null;
        })).isInstanceOf(PeerFailure.class).hasMessageContaining("P1").hasMessageContaining("24 bytes");
    }

    @Test
    void mismatchedJobParametersAbort() {
        FramedTransport[] t = InMemoryTransports.create();
        var f = CompletableFuture.supplyAsync(() -> catchFailure(() ->
                io.securenn.runtime.Session.establish(t[1], "op", "matmul 3x3")));
        CompletableFuture.runAsync(() -> catchFailure(() ->
                io.securenn.runtime.Session.establish(t[2], "op", "matmul 3x3")));
        PeerFailure p0 = catchFailure(() -> io.securenn.runtime.Session.establish(t[0], "op", "matmul 4x4"));
        assertThat(p0.getMessage()).containsAnyOf("different version, command, job parameters or Z_67 wire format",
                "different versions, commands, job parameters or Z_67 wire formats");
        assertThat(p0.kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT);
        assertThat(f.join()).isNotNull();
        for (var x : t) x.close();
    }

    static PeerFailure catchFailure(Runnable r) {
        try {
            r.run();
        } catch (PeerFailure e) {
            return e;
        }
        throw new AssertionError("expected a peer failure");
    }
}
