package io.securenn.bench;

import io.securenn.runtime.Cluster;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.TransportOptions;
import org.openjdk.jmh.annotations.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * One round trip P0 → P1 → P0 of an n-byte message over the real transport (loopback TLS 1.3, framing, reader
 * and writer threads), the latency every protocol round pays. Baseline in the same run: the same ping-pong over a
 * plain loopback TCP socket with TCP_NODELAY, read and written by the two threads themselves (no TLS, no
 * framing, no hand-off between threads). Run: scripts/jmh.sh TransportRoundTripBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TransportRoundTripBench {
    @Param({"8", "65536", "1048576"})
    public int n;

    FramedTransport[] tls;
    Thread echo;
    byte[] msg;

    Socket plainA, plainB;
    DataOutputStream plainOutA, plainOutB;
    DataInputStream plainInA, plainInB;
    Thread plainEcho;

    @Setup
    public void setup() throws IOException {
        msg = new byte[n];
        tls = Cluster.local(TransportOptions.defaults());
        echo = new Thread(() -> {
            try {
                while (true) tls[1].send(0, tls[1].receive(0));
            } catch (RuntimeException end) {
                // the transport closed at tear-down
            }
        }, "echo-P1");
        echo.setDaemon(true);
        echo.start();

        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            plainA = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            plainB = ss.accept();
        }
        for (Socket s : new Socket[] {plainA, plainB}) {
            s.setTcpNoDelay(true);
            s.setSendBufferSize(1 << 20);
            s.setReceiveBufferSize(1 << 20);
        }
        plainOutA = new DataOutputStream(plainA.getOutputStream());
        plainInA = new DataInputStream(plainA.getInputStream());
        plainOutB = new DataOutputStream(plainB.getOutputStream());
        plainInB = new DataInputStream(plainB.getInputStream());
        plainEcho = new Thread(() -> {
            try {
                byte[] buf = new byte[n];
                while (true) {
                    int len = plainInB.readInt();
                    plainInB.readFully(buf, 0, len);
                    plainOutB.writeInt(len);
                    plainOutB.write(buf, 0, len);
                    plainOutB.flush();
                }
            } catch (IOException end) {
                // closed at tear-down
            }
        }, "echo-plain");
        plainEcho.setDaemon(true);
        plainEcho.start();
    }

    @TearDown
    public void tearDown() throws IOException {
        Thread[] closers = new Thread[3];
        for (int i = 0; i < 3; i++) {
            FramedTransport t = tls[i];
            closers[i] = new Thread(t::close);
            closers[i].start();
        }
        for (Thread c : closers) {
            try {
                c.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        plainA.close();
        plainB.close();
    }

    @Benchmark
    public byte[] tlsTransport() {
        tls[0].send(1, msg);
        return tls[0].receive(1);
    }

    @Benchmark
    public byte[] baselinePlainSocket() throws IOException {
        plainOutA.writeInt(msg.length);
        plainOutA.write(msg);
        plainOutA.flush();
        int len = plainInA.readInt();
        byte[] back = new byte[len];
        plainInA.readFully(back);
        return back;
    }
}
