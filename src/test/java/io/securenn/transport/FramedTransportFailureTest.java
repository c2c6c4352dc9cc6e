package io.securenn.transport;

import io.securenn.SecureNnException;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            closeConcurrently(t);
        }
    }

    @Test
    void killedPartyIsNamedByBothSurvivors() throws Exception {
        FramedTransport[] t = InMemoryTransports.create(Duration.ofSeconds(5));
        CompletableFuture<PeerFailure> w0 = new CompletableFuture<>(), w1 = new CompletableFuture<>();
        Thread r0 = Thread.ofPlatform().daemon().start(() -> w0.complete(catchFailure(() -> t[0].receive(2))));
        Thread r1 = Thread.ofPlatform().daemon().start(() -> w1.complete(catchFailure(() -> t[1].receive(0))));
        // P2 crashes while both survivors wait for a message
        Await.blockedIn(r0, FramedTransport.class, "receive", Duration.ofSeconds(10));
        Await.blockedIn(r1, FramedTransport.class, "receive", Duration.ofSeconds(10));
        t[2].abortWithoutNotice();
        PeerFailure f0 = w0.get(10, TimeUnit.SECONDS), f1 = w1.get(10, TimeUnit.SECONDS);
        assertThat(f0.lostParty()).isEqualTo(2);
        assertThat(f1.lostParty()).isEqualTo(2);
        assertThat(f1.getMessage()).contains("lost peer P2");
        closeConcurrently(t);
    }

    @Test
    void silentPeerTimesOutAndIsNamed() throws Exception {
        // an idle timeout of 2 s: the live parties' heartbeats (every 400 ms) keep them alive on a loaded machine too
        FramedTransport[] t = InMemoryTransports.create(Duration.ofSeconds(2));
        t[2].stopHeartbeatsForTest();   // P2 hangs: alive but silent
        long start = System.nanoTime();
        var w1 = CompletableFuture.supplyAsync(() -> catchFailure(() -> t[1].receive(0)));
        PeerFailure f0 = catchFailure(() -> t[0].receive(2));
        PeerFailure f1 = w1.get(10, TimeUnit.SECONDS);
        assertThat(f0.lostParty()).isEqualTo(2);
        assertThat(f0.getMessage()).contains("silent");
        assertThat(f1.lostParty()).isEqualTo(2);  // told by P0's abort message
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
        closeConcurrently(t);
    }

    @Test
    void heartbeatsKeepAQuietButLivePeer() throws Exception {
        FramedTransport[] t = InMemoryTransports.create(Duration.ofSeconds(2));
        try {
            var w = CompletableFuture.supplyAsync(() -> t[0].receive(1));
            Thread.sleep(5000);   // the silence under test: two and a half idle timeouts without data, P1 alive
            t[1].send(0, new byte[] {7});
            assertThat(w.get(10, TimeUnit.SECONDS)).containsExactly(7);
        } finally {
            closeConcurrently(t);
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
        closeConcurrently(t);
        closeConcurrently(u);
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
                io.securenn.runtime.Session.establish(t[1], "op", "matmul 3x3", SessionParams.defaults())));
        CompletableFuture.runAsync(() -> catchFailure(() ->
                io.securenn.runtime.Session.establish(t[2], "op", "matmul 3x3", SessionParams.defaults())));
        PeerFailure p0 = catchFailure(() -> io.securenn.runtime.Session.establish(t[0], "op", "matmul 4x4", SessionParams.defaults()));
        assertThat(p0.getMessage()).containsAnyOf("different version, command, job parameters or Z_67 wire format",
                "different versions, commands, job parameters or Z_67 wire formats");
        assertThat(p0.kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT);
        assertThat(f.join()).isNotNull();
        closeConcurrently(t);
    }

    /**
     * Closes the parties at once, as separate processes would: a clean close waits (up to one idle timeout) for the
     * peers' BYE, so closing them one after another would wait out the idle timeout at each but the last.
     */
    static void closeConcurrently(FramedTransport... parties) {
        List<Thread> closing = new ArrayList<>();
        for (FramedTransport x : parties) closing.add(Thread.ofPlatform().daemon().start(x::close));
        for (Thread th : closing) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while closing the parties");
            }
        }
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
