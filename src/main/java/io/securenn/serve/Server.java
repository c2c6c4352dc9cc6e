package io.securenn.serve;

import io.securenn.SecureNnException;
import io.securenn.model.GraphModel;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.Op;
import io.securenn.nn.secure.Secret;
import io.securenn.nn.secure.SecureBackend;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.BatchStreams;
import io.securenn.runtime.JitWindow;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.ProcessMemory;
import io.securenn.runtime.Session;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.TransportOptions;
import io.securenn.transport.tls.ClientChannel;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.ServiceListener;
import io.securenn.transport.tls.TlsIdentity;
import io.securenn.transport.tls.TlsNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One serving party (P0, P1 or P2) of {@code securenn serve}: keeps a three-party session up and answers clients'
 * queries in batches until stopped (docs/SERVING.md). P0 composes the batches and deals the model; P0 and P1 take
 * the clients' shares and return refreshed output shares; P2 helps and learns only batch sizes.
 */
public final class Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    /** Most queries in one batch (each costs a few longs of composition). */
    static final int MAX_QUERIES = 1 << 16;
    /** Batch number of P0's order to end the session (SIGTERM at P0). */
    private static final long STOP = -1;
    /** Batch number of P0's word that the warm-up is over: the servers announce themselves. */
    private static final long READY = -2;

    /**
     * @param maxBatch  most rows in one batch (a larger query runs alone)
     * @param maxWait   after a batch, how long P0 waits for more queries while fewer than maxBatch rows are queued
     * @param shareWait how long P1 waits for a client's share that P0 has already batched
     * @param warmup    at P0: how long each session runs batches of one row of zeros before the servers announce
     *                  themselves (at least one batch unless zero; a query that arrives ends it): the JIT compiles
     *                  the hot paths and the weights' masks are opened before the first client waits for them
     */
    public record Options(int party, ClusterConfig config, TlsIdentity identity, TransportOptions transport,
                         int maxBatch, Duration maxWait, Duration shareWait, MaxPool.Form form, SessionParams session,
                         Duration warmup) {
        public Options {
            if (party < 0 || party > 2) throw new IllegalArgumentException("party " + party);
            if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be positive");
            java.util.Objects.requireNonNull(session, "session");
            if (warmup == null || warmup.isNegative()) throw new IllegalArgumentException("warm-up must be zero or positive");
        }

        /** Without a warm-up. */
        public Options(int party, ClusterConfig config, TlsIdentity identity, TransportOptions transport, int maxBatch,
                       Duration maxWait, Duration shareWait, MaxPool.Form form, SessionParams session) {
            this(party, config, identity, transport, maxBatch, maxWait, shareWait, form, session, Duration.ZERO);
        }

        /** With the default session parameters. */
        public Options(int party, ClusterConfig config, TlsIdentity identity, TransportOptions transport, int maxBatch,
                       Duration maxWait, Duration shareWait, MaxPool.Form form) {
            this(party, config, identity, transport, maxBatch, maxWait, shareWait, form, SessionParams.defaults());
        }
    }

    /** A query id: 128 opaque bits chosen by the client. */
    record Qid(long hi, long lo) {
        static Qid of(byte[] b) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new Qid(bb.getLong(), bb.getLong());
        }

        byte[] bytes() {
            return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        }
    }

    /** A query's share at this server. */
    record Pending(Qid qid, int rows, int reveal, long[] share, Conn conn, long arrived) {}

    /** A warm-up query's one row: zeros at every party (no share, no client), its logits dropped. */
    private static final Pending WARMUP_ROW = new Pending(null, 1, 0, null, null, 0);
    private static final Pending WARMUP_LABEL_ROW = new Pending(null, 1, 1, null, null, 0);

    /**
     * A warm-up batch of k one-row queries of zeros (its header carries −k as the query count): every other one
     * asks for the label only, so that the label path (gather, argmax) is compiled too. The same at the three parties.
     */
    static List<Pending> warmupBatch(int k) {
        List<Pending> b = new ArrayList<>(k);
        for (int i = 0; i < k; i++) b.add(i % 2 == 1 ? WARMUP_LABEL_ROW : WARMUP_ROW);
        return b;
    }

    /** The most queries in a warm-up batch. */
    static final int WARMUP_MAX_QUERIES = 32;

    /**
     * The next warm-up batch's queries after one of {@code k} that took {@code tookNanos}: doubled up to
     * {@code cap} while a batch of the doubled size would take less than an eighth of the warm-up, else 1 again. A
     * small model's warm-up so cycles through the batch sizes many clients bring (1 to 32 queries), a big model's
     * stays at one row.
     */
    static int nextWarmupSize(int k, long tookNanos, long warmNanos, int cap) {
        return 2 * k <= cap && 2 * tookNanos < warmNanos / 8 ? 2 * k : 1;
    }

    /**
     * Whether P0 runs another warm-up batch {@code elapsedNanos} into the warm-up: for the warm-up's time, then as
     * long as its JIT is busy ({@link JitWindow}), for at most ten times the warm-up's time.
     */
    static boolean warming(long elapsedNanos, long warmNanos, boolean jitBusy) {
        return elapsedNanos < warmNanos || (jitBusy && elapsedNanos < 10 * warmNanos);
    }

    /** A client connection: messages go out through its own writer, so a slow client never holds a batch. */
    final class Conn {
        final ClientChannel ch;
        final Set<Qid> pending = ConcurrentHashMap.newKeySet();
        private final LinkedBlockingQueue<Object[]> out = new LinkedBlockingQueue<>();
        volatile boolean closed;

        Conn(ClientChannel ch) {
            this.ch = ch;
            Thread.ofVirtual().name("securenn-P" + self + "-client-writer").start(this::writeLoop);
        }

        void send(byte type, byte[] body) {
            if (!closed) out.add(new Object[] {type, body});
        }

        private void writeLoop() {
            try {
                while (!closed) {
                    Object[] m = out.poll(1, TimeUnit.SECONDS);
                    if (m == null) continue;
                    Messages.write(ch.out(), (byte) m[0], (byte[]) m[1]);
                }
            } catch (IOException | InterruptedException e) {
                close();
            }
        }

        void close() {
            if (closed) return;
            closed = true;
            ch.close();
            conns.remove(this);
            // a query not yet batched is dropped; one in a running batch runs and its reply is discarded
            if (self == 0) queue.removeIf(p -> p.conn() == this);
            else arrived.values().removeIf(p -> p.conn() == this);
        }
    }

    private final Options o;
    private final int self;
    private final ServedModel model;
    private final Consumer<String> ready;
    private final ServiceListener listener;
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final Map<Qid, Pending> arrived = new ConcurrentHashMap<>();
    private final Object batchLock = new Object();
    private final ScheduledExecutorService ticker;
    private final Thread loop;
    private volatile Messages.Hello hello;
    private volatile String notServing = "its session is being set up";
    private volatile FramedTransport transport;
    private volatile boolean stopping;
    private volatile boolean inBatch;
    private volatile SecureNnException fatal;
    private volatile int sessions;
    private volatile long batches;
    /** Why the latest session ended (tests). */
    private volatile String lastSessionEnd;
    /** Test hook: what P0 sends party (1 or 2) as a batch's number, (party, true number) → number; null: the true one. */
    volatile java.util.function.LongBinaryOperator batchNumberForTest;
    /** Test hook: told at the end of every batch which streams it drew from. */
    volatile BatchObserver observerForTest;

    /**
     * Sees each batch's derived streams after the batch ran, and the session's weight masks (null when off) (tests: no
     * two batches share a stream position, and no batch draws from a weight mask's stream).
     */
    interface BatchObserver {
        void batchDone(int party, long batch, BatchStreams streams, PartyContext ctx,
                       io.securenn.protocol.matmul.WeightMasks masks);
    }

    /**
     * Starts the party: listens (P0, P1), connects to the others and serves. {@code model} at P0 (the model owner's
     * proxy), null at P1 and P2; or at every party its shares ({@link ServedModel#fromShares}). {@code ready} gets the line "securenn: PN: serving MODEL on HOST:PORT" each time a
     * session is up.
     */
    public static Server start(Options o, ServedModel model, Consumer<String> ready) {
        if (!(model != null && model.held()) && (o.party() == 0) != (model != null)) {
            throw new IllegalArgumentException("P0, and only P0, holds the model (unless every party holds its shares)");
        }
        return new Server(o, model, ready);
    }

    private Server(Options o, ServedModel model, Consumer<String> ready) {
        this.o = o;
        this.self = o.party();
        this.model = model;
        this.ready = ready;
        ClusterConfig.Party me = o.config().party(self);
        if (self < 2) {
            Map<Integer, java.security.cert.X509Certificate> inbound = new java.util.HashMap<>();
            for (int p = self + 1; p < 3; p++) inbound.put(p, o.config().certificate(p));
            listener = ServiceListener.open(self, me.bind(), me.address().port(), o.identity(), o.transport().tls(),
                    inbound, o.config().clientCertificates(), this::handle);
        } else {
            listener = null;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "securenn-P" + self + "-client-heartbeat");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::heartbeats, 1, 1, TimeUnit.SECONDS);
        loop = Thread.ofPlatform().name("securenn-P" + self + "-serve").start(this::sessions);
    }

    public int port() {
        return listener == null ? -1 : listener.port();
    }

    /** Sessions established so far. */
    public int sessionCount() {
        return sessions;
    }

    /** Batches run so far (all sessions). */
    public long batchCount() {
        return batches;
    }

    // ---- clients ----

    private void handle(ClientChannel ch) {
        Conn c = new Conn(ch);
        conns.add(c);
        Messages.Hello h = hello;
        if (h == null || stopping) {
            c.send(Messages.ERROR, Messages.error(new Messages.Error(new byte[16], "P" + self + " is not serving: "
                    + (stopping ? "it is shutting down" : notServing))));
            closeSoon(c);
            return;
        }
        c.send(Messages.HELLO, Messages.hello(h));
        try {
            while (!c.closed) {
                Messages.Msg m = Messages.read(ch.in());
                if (m.type() != Messages.QUERY) throw new IOException("unexpected message type " + m.type());
                Messages.Query q = Messages.query(m.body(), h.inputSize());
                Qid id = Qid.of(q.qid());
                String refuse = stopping ? "P" + self + " is shutting down" : hello == null ? "P" + self
                        + " is not serving: " + notServing : null;
                if (refuse != null) {
                    c.send(Messages.ERROR, Messages.error(new Messages.Error(q.qid(), refuse)));
                    continue;
                }
                Pending p = new Pending(id, q.rows(), q.reveal(), q.share(), c, System.nanoTime());
                c.pending.add(id);
                if (self == 0) {
                    queue.add(p);
                } else {
                    synchronized (arrived) {
                        arrived.put(id, p);
                        arrived.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            if (!c.closed) log.debug("P{}: client {} from {}: {}", self, ch.client(), ch.peer(), ClientChannel.describe(e));
        } finally {
            c.close();
        }
    }

    /** Lets the writer send what is queued, then drops the connection. */
    private void closeSoon(Conn c) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // close now
            }
            c.close();
        });
    }

    private void heartbeats() {
        for (Conn c : conns) if (!c.pending.isEmpty()) c.send(Messages.HEARTBEAT, new byte[0]);
    }

    private void fail(Pending p, String why) {
        if (p == null) return;
        p.conn().pending.remove(p.qid());
        p.conn().send(Messages.ERROR, Messages.error(new Messages.Error(p.qid().bytes(), why)));
    }

    /** Fails every query this party holds (session lost). */
    private void failAll(String why) {
        Pending p;
        while ((p = queue.poll()) != null) fail(p, why);
        synchronized (arrived) {
            for (Pending q : arrived.values()) fail(q, why);
            arrived.clear();
        }
    }

    // ---- sessions ----

    private void sessions() {
        boolean waitingLogged = false;
        while (!stopping) {
            FramedTransport t;
            try {
                t = self < 2
                        ? TlsNetwork.connect(self, o.identity(), o.config().peersOf(self), listener.peerListener(), o.transport(), false)
                        : TlsNetwork.connect(self, o.identity(), o.config().peersOf(self), null, o.transport(), false);
            } catch (PeerFailure e) {
                if (!waitingLogged) log.info("P{}: waiting for the other parties: {}", self, e.getMessage());
                waitingLogged = true;
                continue;
            } catch (SecureNnException e) {
                if (sessions == 0) {   // a wrong certificate or address at start: the operator must fix it
                    fatal = e;
                    stopping = true;
                    break;
                }
                log.warn("P{}: {}", self, e.getMessage());
                sleep(1000);
                continue;
            }
            waitingLogged = false;
            if (stopping) {   // stopped while connecting: no session may start after stop()
                t.abortWithoutNotice();
                break;
            }
            transport = t;
            try {
                serve(t);
            } catch (SecureNnException e) {
                String why = e.getMessage();
                lastSessionEnd = why;
                if (sessions == 0 && e.kind() == SecureNnException.Kind.BAD_INPUT) {
                    // the servers disagree at their first meeting (another model, dealing or option): the operator must fix it
                    fatal = e;
                    stopping = true;
                }
                notServing = why;
                hello = null;
                if (!stopping || !(e instanceof PeerFailure pf && pf.lostParty() == self)) {
                    log.warn("P{}: session ended: {}", self, why);
                }
                failAll("query failed: " + why);
                t.abort(e instanceof PeerFailure pf ? pf : new PeerFailure(SecureNnException.Kind.INTERNAL, self, why));
            } finally {
                hello = null;
                transport = null;
            }
        }
        failAll("query failed: P" + self + " is shutting down");
    }

    private void serve(FramedTransport t) {
        boolean held = model != null && model.held();
        // the servers must agree on where the model comes from: P0's dealing, or the same dealing's share files
        PartyContext session = Session.establish(t, "serve", "maxpool=" + o.form() + " model="
                + (held ? "shares of " + model.dealing() : "dealt by P0"), o.session());
        BatchStreams streams = BatchStreams.from(session);
        streams.prepare(0);
        SecureBackend be = new SecureBackend(session, o.form());
        try {
            GraphModel<Secret> gm;
            ModelGraph graph;
            if (held) {   // every party holds its shares: nothing to deal
                graph = model.graph();
                List<long[]> lengths = new ArrayList<>();
                for (Op.ParamRef ref : graph.parameterRefs()) lengths.add(new long[ref.length()]);
                be.stationaryWeights(graph.parameterCount());   // each weight masked once per session, within the budget
                be.useHeldShares(model.tensors());
                try {
                    gm = GraphModel.build(be, graph, lengths);
                } finally {
                    be.useHeldShares(null);
                }
            } else {
                byte[] g = be.publicFromOwner(self == 0 ? ModelGraphCodec.encode(model.graph()) : null);
                graph = self == 0 ? model.graph() : ModelGraphCodec.decode(g);
                List<long[]> tensors = new ArrayList<>();
                for (Op.ParamRef ref : graph.parameterRefs()) tensors.add(self == 0 ? null : new long[ref.length()]);
                if (self == 0) tensors = model.tensors();
                be.stationaryWeights(graph.parameterCount());   // each weight masked once per session, within the budget
                gm = GraphModel.build(be, graph, tensors);
            }
            String name = model != null ? model.name() : graph.name();
            sessions++;
            // clients are taken from here on; their queries wait for the warm-up's end (P0 ends it when one arrives)
            hello = new Messages.Hello(self, graph.inputSize(), graph.classes(), graph.output().ordinal(), name,
                    o.maxBatch());
            String line = "securenn: P" + self + ": serving " + name + " on " + o.config().party(self).address();
            switch (self) {
                case 0 -> compose(t, session, streams, be, gm, line);
                default -> follow(t, session, streams, be, gm, line);
            }
        } finally {
            streams.wipe();
            if (be.weightMasks() != null) be.weightMasks().wipe();
        }
    }

    /**
     * P0: warms up (batches of one row of zeros, numbered as any batch, their headers carrying −1 queries, until the
     * warm-up time is over or a query waits; at least one unless the warm-up is zero), tells the others it is ready
     * and announces itself, then composes and runs batches until stopped (then orders the others to end the session).
     */
    private void compose(FramedTransport t, PartyContext session, BatchStreams streams, SecureBackend be,
                         GraphModel<Secret> gm, String line) {
        long next = 0;
        long p2Bytes = -1, p2Peak = -1;
        boolean busy = false;
        long warmStart = System.nanoTime(), warmNanos = o.warmup().toNanos();
        int size = 1, cap = Math.min(WARMUP_MAX_QUERIES, o.maxBatch());
        JitWindow jit = new JitWindow();
        boolean jitBusy = true;
        while (!o.warmup().isZero() && !stopping
                && (next == 0 || (queue.isEmpty() && warming(System.nanoTime() - warmStart, warmNanos, jitBusy)))) {
            if (t.failure() != null) throw t.failure();
            long id = next++;
            long t0 = System.nanoTime(), jit0 = JitWindow.compilerMillis();
            synchronized (batchLock) {
                inBatch = true;
                try {
                    session.sendLongs(1, new long[] {id, -size});
                    session.sendLongs(2, new long[] {id, -size});
                    run(streams, be, gm, id, warmupBatch(size));
                    long[] r = session.receiveLongs(2, 2);   // P2's report, as after every batch
                    p2Bytes = r[0];
                    p2Peak = r[1];
                    batches++;
                } finally {
                    inBatch = false;
                }
            }
            streams.prepare(next);
            long took = System.nanoTime() - t0;
            jitBusy = jit.add(jit0 < 0 ? -1 : JitWindow.compilerMillis() - jit0, took);
            size = nextWarmupSize(size, took, warmNanos, cap);
        }
        if (next > 0) log.debug("P0: warmed up with {} batches in {} ms", next, (System.nanoTime() - warmStart) / 1_000_000);
        session.sendLongs(1, new long[] {READY, 0});
        session.sendLongs(2, new long[] {READY, 0});
        ready.accept(line);
        while (true) {
            if (t.failure() != null) throw t.failure();
            if (stopping && queue.isEmpty()) {
                long[] stop = {STOP, 0};
                session.sendLongs(1, stop);
                session.sendLongs(2, stop);
                t.close();
                throw new PeerFailure(SecureNnException.Kind.PEER_LOST, self, "P0 stopped");
            }
            Pending first = poll(20);
            if (first == null) {
                busy = false;
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            batch.add(first);
            int rows = first.rows();
            rows = fill(batch, rows, 0);
            if (busy && rows < o.maxBatch() && !o.maxWait().isZero()) rows = fill(batch, rows, o.maxWait().toNanos());
            int n = batch.size();
            long[] toP1 = new long[4 * n], toP2 = new long[2 * n];
            for (int i = 0; i < n; i++) {
                Pending p = batch.get(i);
                toP1[4 * i] = p.qid().hi();
                toP1[4 * i + 1] = p.qid().lo();
                toP1[4 * i + 2] = p.rows();
                toP1[4 * i + 3] = p.reveal();
                toP2[2 * i] = p.rows();
                toP2[2 * i + 1] = p.reveal();
            }
            long id = next++;
            log.debug("P0: batch {}: {} queries, {} rows", id, n, rows);
            var tamper = batchNumberForTest;
            long to1 = tamper == null ? id : tamper.applyAsLong(1, id), to2 = tamper == null ? id : tamper.applyAsLong(2, id);
            try {
                synchronized (batchLock) {
                    inBatch = true;
                    session.sendLongs(1, new long[] {to1, n});
                    session.sendLongs(1, toP1);
                    session.sendLongs(2, new long[] {to2, n});
                    session.sendLongs(2, toP2);
                    long before = t.stats().bytesSent();
                    long[][] out = run(streams, be, gm, id, batch);
                    long bytes = t.stats().bytesSent() - before;
                    // P2's report of this batch before the replies, so that each reply's metadata is its own
                    // batch's (P2's part ends before P0's last local step: the report is there or nearly)
                    long[] s = session.receiveLongs(2, 2);
                    p2Bytes = s[0];
                    p2Peak = s[1];
                    ReplyMeta meta = new ReplyMeta(rows, n, bytes, p2Bytes, ProcessMemory.peakRssKb(), p2Peak);
                    reply(batch, out, meta);
                    batches++;
                }
                streams.prepare(next);   // the next batch's streams, derived while no query waits for them
            } catch (SecureNnException e) {
                for (Pending p : batch) fail(p, "query failed: " + e.getMessage());
                throw e;
            } finally {
                inBatch = false;
            }
            busy = true;
        }
    }

    private Pending poll(long millis) {
        try {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted");
        }
    }

    /** Adds queued queries while they fit in maxBatch rows (waiting up to waitNanos for more); returns the rows. */
    private int fill(List<Pending> batch, int rows, long waitNanos) {
        long deadline = System.nanoTime() + waitNanos;
        while (rows < o.maxBatch() && batch.size() < MAX_QUERIES) {
            Pending p;
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    p = queue.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } else {
                p = queue.poll();
            }
            if (p == null) break;
            if (rows + p.rows() > o.maxBatch()) {
                queue.addFirst(p);
                break;
            }
            batch.add(p);
            rows += p.rows();
        }
        return rows;
    }

    /**
     * P1 and P2: run P0's warm-up batches, announce themselves when P0 says it is ready, then run the batches P0
     * composes until P0 orders the end or the session fails.
     */
    private void follow(FramedTransport t, PartyContext session, BatchStreams streams, SecureBackend be,
                        GraphModel<Secret> gm, String line) {
        long next = 0;
        boolean announced = false;
        while (true) {
            long[] h = session.receiveLongs(0, 2);
            if (h[0] == STOP) {
                t.close();
                throw new PeerFailure(SecureNnException.Kind.PEER_LOST, 0, "P0 ended the session (it is shutting down)");
            }
            if (h[0] == READY && !announced) {
                announced = true;
                ready.accept(line);
                continue;
            }
            if (h[0] != next) throw session.peerMisbehaved(0, "batch number " + h[0] + " where " + next + " was due");
            if (h[1] < 0 && !announced) {
                if (h[1] < -WARMUP_MAX_QUERIES) throw session.peerMisbehaved(0, "a warm-up batch of " + -h[1] + " queries");
                next++;
                synchronized (batchLock) {
                    inBatch = true;
                    try {
                        long before = t.stats().bytesSent();
                        run(streams, be, gm, h[0], warmupBatch((int) -h[1]));
                        long bytes = t.stats().bytesSent() - before;
                        if (self == 2) session.sendLongs(0, new long[] {bytes, ProcessMemory.peakRssKb()});
                        batches++;
                    } finally {
                        inBatch = false;
                    }
                }
                streams.prepare(next);
                continue;
            }
            if (!announced) throw session.peerMisbehaved(0, "a batch of queries before the warm-up's end");
            if (h[1] < 1 || h[1] > MAX_QUERIES) throw session.peerMisbehaved(0, "a batch of " + h[1] + " queries");
            int n = (int) h[1];
            next++;
            int per = self == 1 ? 4 : 2;
            long[] body = session.receiveLongs(0, per * n);
            List<Pending> batch = new ArrayList<>(n);
            long rows = 0;
            for (int i = 0; i < n; i++) {
                long r = body[per * i + per - 2], reveal = body[per * i + per - 1];
                if (r < 1 || reveal < 0 || reveal > 1 || (rows += r) > Integer.MAX_VALUE / 8) {
                    throw session.peerMisbehaved(0, "a query of " + r + " rows, reveal " + reveal);
                }
                Qid q = self == 1 ? new Qid(body[4 * i], body[4 * i + 1]) : null;
                batch.add(new Pending(q, (int) r, (int) reveal, null, null, 0));
            }
            try {
                synchronized (batchLock) {
                    inBatch = true;
                    if (self == 1) batch = collect(batch);
                    long before = t.stats().bytesSent();
                    long[][] out = run(streams, be, gm, h[0], batch);
                    long bytes = t.stats().bytesSent() - before;
                    if (self == 2) {
                        session.sendLongs(0, new long[] {bytes, ProcessMemory.peakRssKb()});
                    } else {
                        reply(batch, out, new ReplyMeta((int) rows, n, bytes, -1, ProcessMemory.peakRssKb(), -1));
                    }
                    batches++;
                }
                streams.prepare(next);   // the next batch's streams, derived before its header arrives
            } catch (SecureNnException e) {
                if (self == 1) for (Pending p : batch) if (p.conn() != null) fail(p, "query failed: " + e.getMessage());
                throw e;
            } finally {
                inBatch = false;
            }
        }
    }

    /**
     * P1: the clients' shares of a batch P0 composed, in its order. A share that has not arrived within the share
     * wait (its client failed between sending to P0 and to P1) is taken as zeros and its answer dropped.
     */
    private List<Pending> collect(List<Pending> batch) {
        List<Pending> out = new ArrayList<>(batch.size());
        long deadline = System.nanoTime() + o.shareWait().toNanos();
        for (Pending want : batch) {
            Pending got;
            synchronized (arrived) {
                while ((got = arrived.remove(want.qid())) == null && System.nanoTime() < deadline
                        && transport != null && transport.failure() == null) {
                    try {
                        arrived.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            if (got != null && got.rows() != want.rows()) {
                fail(got, "query failed: its shares to P0 and P1 differ in size");
                got = null;
            }
            out.add(got != null ? new Pending(want.qid(), want.rows(), want.reveal(), got.share(), got.conn(), 0)
                    : new Pending(want.qid(), want.rows(), want.reveal(), null, null, 0));
        }
        return out;
    }

    /**
     * One batch at every party (SPMD): the rows of all queries in order through the model, argmax for the queries
     * that asked for labels only, each output refreshed. Returns per query this party's output share (null at P2).
     */
    private long[][] run(BatchStreams streams, SecureBackend be, GraphModel<Secret> gm, long id, List<Pending> batch) {
        PartyContext ctx = streams.forBatch(id);
        be.useContext(ctx);
        ModelGraph g = gm.graph();
        int in = g.inputSize(), k = g.classes();
        int rows = 0, labelRows = 0;
        for (Pending p : batch) {
            rows += p.rows();
            if (p.reveal() == 1) labelRows += p.rows();
        }
        long[] x = null;
        if (self != 2) {
            x = new long[rows * in];
            int at = 0;
            for (Pending p : batch) {
                if (p.share() != null) System.arraycopy(p.share(), 0, x, at, p.rows() * in);
                at += p.rows() * in;
            }
        }
        Secret z = gm.forward(be.fromShare(x, rows * in), rows, false);
        long[] labels = null;
        if (labelRows > 0) {
            Secret zl = z;
            if (labelRows < rows) {
                int[] idx = new int[labelRows * k];
                int row = 0, at = 0;
                for (Pending p : batch) {
                    for (int r = 0; r < p.rows(); r++, row++) {
                        if (p.reveal() == 1) for (int c = 0; c < k; c++) idx[at++] = row * k + c;
                    }
                }
                zl = be.gather(z, idx);
            }
            labels = be.shareOf(be.argmax(zl, labelRows, k));
        }
        long[] logits = self == 2 ? null : be.shareOf(z);
        if (self != 2) {
            Sharing.refresh(ctx, logits);
            if (labels != null) Sharing.refresh(ctx, labels);
        }
        BatchObserver obs = observerForTest;
        if (obs != null) obs.batchDone(self, id, streams, ctx, be.weightMasks());
        if (self == 2) return new long[batch.size()][];
        long[][] out = new long[batch.size()][];
        int row = 0, lrow = 0;
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (p.reveal() == 1) {
                out[i] = java.util.Arrays.copyOfRange(labels, lrow, lrow + p.rows());
                lrow += p.rows();
            } else {
                out[i] = java.util.Arrays.copyOfRange(logits, row * k, (row + p.rows()) * k);
            }
            row += p.rows();
        }
        return out;
    }

    private void reply(List<Pending> batch, long[][] out, ReplyMeta meta) {
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (p.conn() == null || p.conn().closed) continue;
            p.conn().pending.remove(p.qid());
            p.conn().send(Messages.RESULT, Messages.result(new Messages.Result(p.qid().bytes(), p.rows(), p.reveal(), meta, out[i])));
        }
    }

    // ---- stopping ----

    /**
     * Stops serving: new queries are refused, the batch in flight finishes (at P0 the queued queries too; at P1
     * its clients' shares that P0 has not batched yet), then the session ends and the threads stop. Waits at most
     * about drain; returns true if everything pending was answered.
     */
    public boolean stop(Duration drain) {
        boolean first = !stopping;
        stopping = true;
        if (first && self == 0 && transport != null) {
            int held = 0;
            for (Conn c : conns) held += c.pending.size();
            log.info("P0: stopping: refusing new queries, finishing the {} in flight or queued", held);
        }
        long deadline = System.nanoTime() + drain.toNanos();
        if (self == 1) {
            while (!arrived.isEmpty() && System.nanoTime() < deadline && transport != null) sleep(10);
        }
        if (self != 0) {
            synchronized (batchLock) {
                FramedTransport t = transport;
                if (t != null) t.abort(new PeerFailure(SecureNnException.Kind.PEER_LOST, self, "P" + self + " stopped"));
            }
        }
        try {
            // between sessions (waiting for a peer) there is nothing in flight to finish
            while (loop.isAlive() && transport != null && System.nanoTime() < deadline) loop.join(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean clean = !loop.isAlive() && queue.isEmpty() && arrived.isEmpty();
        FramedTransport t = transport;
        if (t != null) t.abortWithoutNotice();
        if (listener != null) listener.close();
        ticker.shutdownNow();
        sleep(100);   // let the client writers send the last replies
        for (Conn c : conns) c.close();
        return clean;
    }

    /** Blocks until the serving loop ends (stop, or a fatal set-up error, which it then throws). */
    public void await() throws InterruptedException {
        loop.join();
        if (fatal != null) throw fatal;
    }

    /** The fatal set-up error that ended the server, or null. */
    public SecureNnException fatal() {
        return fatal;
    }

    /** Simulates a crash (tests): the links and client connections drop without a word, the threads end. */
    void crashForTest() {
        stopping = true;
        FramedTransport t = transport;
        if (t != null) t.abortWithoutNotice();
        if (listener != null) listener.close();
        ticker.shutdownNow();
        for (Conn c : conns) c.close();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the latest session ended, or null (tests). */
    String lastSessionEnd() {
        return lastSessionEnd;
    }

    /** True while a batch runs (tests). */
    boolean inBatch() {
        return inBatch;
    }

    @Override
    public void close() {
        stop(o.transport().idleTimeout());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
