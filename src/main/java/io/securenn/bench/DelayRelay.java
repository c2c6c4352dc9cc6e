package io.securenn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay that adds a fixed one-way delay in both directions, for emulating a WAN where the kernel has no
 * netem. It accepts connections on one address and opens one to the target for each; every chunk read from either
 * side is stamped with its arrival time and written to the other side at arrival + delay. Reading never waits
 * for writing (up to {@link #MAX_QUEUED_BYTES} in flight per direction), so the relay preserves the bandwidth of
 * the link in front of it and only shifts every byte by the delay: a message of b bytes arrives after
 * delay + b / rate, as on a long link. TLS runs end to end through it (the relay sees only ciphertext).
 *
 * <p>What it does not emulate: the TCP window of a real long link (the relay acknowledges at once, so the sender's
 * congestion window never limits it), loss, and jitter. Its own cost is one user-space copy per chunk and the
 * scheduling precision of the writer thread (tens of microseconds).
 *
 * <p>Command line (started per listening party by scripts/netns-bench.sh):
 * {@code java -cp securenn.jar io.securenn.bench.DelayRelay --listen HOST:PORT --to HOST:PORT --delay 29ms}
 */
public final class DelayRelay implements AutoCloseable {
    /** Bytes read but not yet written, per direction, beyond which the reader waits. */
    public static final int MAX_QUEUED_BYTES = 64 << 20;
    private static final int CHUNK = 64 << 10;
    private static final long CONNECT_RETRY_NANOS = Duration.ofSeconds(60).toNanos();

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final Thread acceptor;
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;
    private final AtomicInteger failedConnects = new AtomicInteger();

    private DelayRelay(ServerSocket server, InetSocketAddress target, Duration delay) {
        this.server = server;
        this.target = target;
        this.delayNanos = delay.toNanos();
        this.acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
    }

    /** Starts a relay listening on listen (port 0: an ephemeral port) and forwarding to target. */
    public static DelayRelay start(InetSocketAddress listen, InetSocketAddress target, Duration oneWayDelay)
            throws IOException {
        if (oneWayDelay.isNegative()) throw new IllegalArgumentException("negative delay");
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(listen, 16);
        DelayRelay r = new DelayRelay(ss, target, oneWayDelay);
        r.acceptor.start();
        return r;
    }

    /** Attempts to connect to the target that failed so far (it was not up yet), for tests to wait on. */
    public int failedConnects() {
        return failedConnects.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;   // closed
            }
            Thread t = new Thread(() -> relay(client), "relay-connect");
            t.setDaemon(true);
            t.start();
        }
    }

    private void relay(Socket client) {
        Socket upstream = connectUpstream();
        if (upstream == null) {
            closeQuietly(client);
            return;
        }
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // a socket that cannot take the option still relays
        }
        synchronized (open) {
            if (closed) {
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        AtomicInteger ended = new AtomicInteger();
        Direction toTarget = new Direction(client, upstream, ended), toClient = new Direction(upstream, client, ended);
        toTarget.start("relay-to-target");
        toClient.start("relay-to-client");
    }

    /** The target may come up after the relay (the parties start in any order): retry for a while. */
    private Socket connectUpstream() {
        long until = System.nanoTime() + CONNECT_RETRY_NANOS;
        while (!closed) {
            Socket s = new Socket();
            try {
                s.connect(target, 5000);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                failedConnects.incrementAndGet();
                if (System.nanoTime() > until) return null;
                LockSupport.parkNanos(50_000_000L);
            }
        }
        return null;
    }

    /** One direction of a relayed connection: a reader that stamps chunks and a writer that releases them late. */
    private final class Direction {
        private record Chunk(byte[] data, int length, long due) {}

        private final Socket from, to;
        private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Semaphore budget = new Semaphore(MAX_QUEUED_BYTES);
        private final AtomicInteger ended;

        /** ended counts the connection's directions that have finished: the second one closes both sockets. */
        Direction(Socket from, Socket to, AtomicInteger ended) {
            this.from = from;
            this.to = to;
            this.ended = ended;
        }

        void start(String name) {
            Thread r = new Thread(this::readLoop, name + "-read"), w = new Thread(this::writeLoop, name + "-write");
            r.setDaemon(true);
            w.setDaemon(true);
            r.start();
            w.start();
        }

        private void readLoop() {
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    long now = System.nanoTime();
                    if (n < 0) break;
                    budget.acquire(n);
                    queue.add(new Chunk(buf, n, now + delayNanos));
                }
            } catch (IOException | InterruptedException e) {
                // the connection broke or the relay closed: pass the end on below
            }
            queue.add(new Chunk(null, -1, System.nanoTime() + delayNanos));
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    for (long wait; (wait = c.due() - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
                    if (c.length() < 0) {
                        to.shutdownOutput();   // half-close: the far side sees the end after the delay too
                        break;
                    }
                    out.write(c.data(), 0, c.length());
                    budget.release(c.length());
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
            if (ended.incrementAndGet() == 2) {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (open) {
                    open.remove(from);
                    open.remove(to);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        synchronized (open) {
            for (Socket s : open) closeQuietly(s);
            open.clear();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }

    static InetSocketAddress parseAddress(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("expected HOST:PORT, got '" + s + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1)));
    }

    public static void main(String[] args) throws Exception {
        String listen = null, to = null, delay = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--listen" -> listen = args[i + 1];
                case "--to" -> to = args[i + 1];
                case "--delay" -> delay = args[i + 1];
                default -> {
                    System.err.println("relay: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (listen == null || to == null || delay == null || args.length != 6) {
            System.err.println("usage: DelayRelay --listen HOST:PORT --to HOST:PORT --delay 29ms");
            System.exit(2);
        }
        Duration d;
        DelayRelay r;
        try {
            d = NetProfile.parseDelay(delay);
            r = start(parseAddress(listen), parseAddress(to), d);
        } catch (RuntimeException | IOException e) {
            System.err.println("relay: error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(r::close));
        System.out.printf(Locale.ROOT, "relay %s -> %s, one-way delay %.3f ms%n", listen, to, d.toNanos() / 1e6);
        System.out.flush();
        r.acceptor.join();
    }
}
