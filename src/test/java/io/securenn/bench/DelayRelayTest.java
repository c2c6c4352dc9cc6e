package io.securenn.bench;

import io.securenn.testutil.Await;
import io.securenn.testutil.Ports;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delaying relay: bytes arrive intact and in order in both directions, each direction no earlier than the
 * configured delay (lower bounds only: a loaded machine can make it later, never earlier), and an end of stream
 * is passed on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelayRelayTest {
    static final Duration DELAY = Duration.ofMillis(80);

    @Test
    void bytesArriveIntactInBothDirectionsAfterTheDelay() throws Exception {
        Seeded s = Seeded.fromEnvOr(20240611L);
        byte[] up = new byte[3_000_000], down = new byte[1_500_000];
        s.rnd.nextBytes(up);
        s.rnd.nextBytes(down);
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket target = new ServerSocket(0, 4, lo);
             DelayRelay relay = DelayRelay.start(new InetSocketAddress(lo, 0), new InetSocketAddress(lo, target.getLocalPort()), DELAY)) {
            // the target answers each byte it reads back once it has all of `up`, then sends `down` and closes
            CompletableFuture<byte[]> atTarget = CompletableFuture.supplyAsync(() -> {
                try (Socket c = target.accept()) {
                    byte[] got = new byte[up.length];
                    new DataInputStream(c.getInputStream()).readFully(got);
                    OutputStream out = c.getOutputStream();
                    out.write(down);
                    out.flush();
                    c.shutdownOutput();
                    assertThat(c.getInputStream().read()).as(s.msg("end of stream from the client")).isEqualTo(-1);
                    return got;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket client = new Socket(lo, relay.port())) {
                long t0 = System.nanoTime();
                OutputStream out = client.getOutputStream();
                out.write(up);
                out.flush();
                byte[] back = new byte[down.length];
                InputStream in = client.getInputStream();
                int first = in.read();
                long firstByte = System.nanoTime() - t0;
                back[0] = (byte) first;
                new DataInputStream(in).readFully(back, 1, back.length - 1);
                assertThat(in.read()).as(s.msg("end of stream from the target")).isEqualTo(-1);
                client.shutdownOutput();
                assertThat(back).as(s.msg("bytes target -> client")).isEqualTo(down);
                // the answer needs all of `up` there (>= one delay) and the first byte back (>= one more)
                assertThat(firstByte).as("round trip through the relay").isGreaterThanOrEqualTo(2 * DELAY.toNanos());
            }
            assertThat(atTarget.get(30, TimeUnit.SECONDS)).as(s.msg("bytes client -> target")).isEqualTo(up);
        }
    }

    @Test
    void eachDirectionIsDelayedOnItsOwn() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket target = new ServerSocket(0, 4, lo);
             DelayRelay relay = DelayRelay.start(new InetSocketAddress(lo, 0), new InetSocketAddress(lo, target.getLocalPort()), DELAY);
             Socket client = new Socket(lo, relay.port());
             Socket server = target.accept()) {
            for (int k = 0; k < 3; k++) {
                long t0 = System.nanoTime();
                client.getOutputStream().write(k);
                assertThat(server.getInputStream().read()).isEqualTo(k);
                long there = System.nanoTime() - t0;
                server.getOutputStream().write(100 + k);
                assertThat(client.getInputStream().read()).isEqualTo(100 + k);
                long roundTrip = System.nanoTime() - t0;
                assertThat(there).as("one way, client -> target").isGreaterThanOrEqualTo(DELAY.toNanos());
                assertThat(roundTrip - there).as("one way, target -> client").isGreaterThanOrEqualTo(DELAY.toNanos());
            }
        }
    }

    @Test
    void aTargetThatComesUpLateIsStillReached() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        // the relay must know the target's port before the target listens: again on a new port if another
        // program took it meanwhile
        Ports.fixedInAdvance(1, ports -> {
            int port = ports[0];
            try (DelayRelay relay = DelayRelay.start(new InetSocketAddress(lo, 0), new InetSocketAddress(lo, port), Duration.ofMillis(1));
                 Socket client = new Socket(lo, relay.port())) {
                client.getOutputStream().write(7);
                Await.until("the relay has tried the target in vain", Duration.ofSeconds(30), () -> relay.failedConnects() > 0);
                try (ServerSocket target = new ServerSocket()) {
                    target.setReuseAddress(true);
                    target.bind(new InetSocketAddress(lo, port));
                    try (Socket server = target.accept()) {
                        assertThat(server.getInputStream().read()).isEqualTo(7);
                    }
                }
            }
        });
    }

    @Test
    void delaysParseWithTheirUnits() {
        assertThat(NetProfile.parseDelay("29ms")).isEqualTo(Duration.ofMillis(29));
        assertThat(NetProfile.parseDelay("0.11ms")).isEqualTo(Duration.ofNanos(110_000));
        assertThat(NetProfile.parseDelay("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(NetProfile.parseDelay("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(NetProfile.parseDelay("0")).isEqualTo(Duration.ZERO);
        assertThat(DelayRelay.parseAddress("[::1]:7000").getPort()).isEqualTo(7000);
    }
}
