package io.securenn.bench;

import io.securenn.runtime.Cluster;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.TlsProvider;
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
 * One round trip P0 → P1 → P0 of an n-byte message over the real transport (loopback, framing, reader and writer
 * threads) for each link provider: TLS 1.3 by the JDK, TLS 1.3 by BoringSSL, and none (plain TCP, insecure, to
 * show what the transport costs without encryption). Baseline in the same run: the same ping-pong over a plain
 * loopback TCP socket with TCP_NODELAY, read and written by the two threads themselves (no TLS, no framing, no
 * hand-off between threads). Sample-time mode, so JMH reports the median (p0.50) beside the mean.
 * Run: scripts/jmh.sh TransportRoundTripBench
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TransportRoundTripBench {

    /** The three parties over loopback with one provider; P1 echoes what P0 sends. */
    @State(Scope.Benchmark)
    public static class Links {
        @Param({"8", "65536", "1048576"})
        public int n;

        @Param({"jdk", "boringssl", "none"})
        public String provider;

        FramedTransport[] ts;
        byte[] msg;

        @Setup
        public void setup() {
            msg = new byte[n];
            TlsProvider p = TlsProvider.parse(provider, "provider");
            ts = Cluster.local(TransportOptions.defaults().withTls(p).withInsecurePlainTcp(p == TlsProvider.NONE));
            Thread echo = new Thread(() -> {
                try {
                    while (true) ts[1].send(0, ts[1].receive(0));
                } catch (RuntimeException end) {
                    // the transport closed at tear-down
                }
            }, "echo-P1");
            echo.setDaemon(true);
            echo.start();
        }

        @TearDown
        public void tearDown() {
            Thread[] closers = new Thread[3];
            for (int i = 0; i < 3; i++) {
                closers[i] = new Thread(ts[i]::close);
                closers[i].start();
            }
            for (Thread c : closers) {
                try {
                    c.join(15_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A plain loopback socket pair; the far end echoes. */
    @State(Scope.Benchmark)
    public static class PlainSocket {
        @Param({"8", "65536", "1048576"})
        public int n;

        Socket a, b;
        DataOutputStream outA, outB;
        DataInputStream inA, inB;
        byte[] msg;

        @Setup
        public void setup() throws IOException {
            msg = new byte[n];
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                a = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                b = ss.accept();
            }
            for (Socket s : new Socket[] {a, b}) {
                s.setTcpNoDelay(true);
                s.setSendBufferSize(1 << 20);
                s.setReceiveBufferSize(1 << 20);
            }
            outA = new DataOutputStream(a.getOutputStream());
            inA = new DataInputStream(a.getInputStream());
            outB = new DataOutputStream(b.getOutputStream());
            inB = new DataInputStream(b.getInputStream());
            Thread echo = new Thread(() -> {
                try {
                    byte[] buf = new byte[n];
                    while (true) {
                        int len = inB.readInt();
                        inB.readFully(buf, 0, len);
                        outB.writeInt(len);
                        outB.write(buf, 0, len);
                        outB.flush();
                    }
                } catch (IOException end) {
                    // closed at tear-down
                }
            }, "echo-plain");
            echo.setDaemon(true);
            echo.start();
        }

        @TearDown
        public void tearDown() throws IOException {
            a.close();
            b.close();
        }
    }

    @Benchmark
    public byte[] transport(Links l) {
        l.ts[0].send(1, l.msg);
        return l.ts[0].receive(1);
    }

    @Benchmark
    public byte[] baselinePlainSocket(PlainSocket s) throws IOException {
        s.outA.writeInt(s.msg.length);
        s.outA.write(s.msg);
        s.outA.flush();
        int len = s.inA.readInt();
        byte[] back = new byte[len];
        s.inA.readFully(back);
        return back;
    }
}
