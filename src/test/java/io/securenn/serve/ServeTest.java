package io.securenn.serve;

import io.securenn.SecureNnException;
import io.securenn.model.GraphModel;
import io.securenn.nn.Backend;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Ports;
import io.securenn.testutil.Seeded;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.HostPort;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three in-process servers over loopback TLS (one set for the whole class) and several clients: every client gets
 * exactly its plaintext twin's prediction, concurrently too; an unknown client is refused; a crashed server fails
 * the pending queries naming it and a restarted one serves again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeTest {
    static final long MODEL_SEED = 5;
    static final int CLIENTS = 3;

    Path dir;
    ClusterConfig config;
    TlsIdentity[] parties = new TlsIdentity[3];
    TlsIdentity[] clients = new TlsIdentity[CLIENTS];
    Server[] servers = new Server[3];
    ServedModel model;
    TransportOptions options = TransportOptions.defaults().withIdleTimeout(Duration.ofSeconds(3))
            .withConnectTimeout(Duration.ofSeconds(5));
    final List<String> readyLines = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("securenn-serve-test");
        model = ServedModel.load("A", MODEL_SEED);
        for (int p = 0; p < 3; p++) {
            parties[p] = TlsIdentity.generate(p);
            Pem.writeCertificate(dir.resolve("p" + p + ".crt"), parties[p].certificate(), false);
        }
        List<Path> clientCerts = new ArrayList<>();
        for (int k = 0; k < CLIENTS; k++) {
            clients[k] = TlsIdentity.generateClient(k, TlsIdentity.DEFAULT_VALIDITY);
            Pem.writeCertificate(dir.resolve("client." + k + ".crt"), clients[k].certificate(), false);
            clientCerts.add(Path.of("client." + k + ".crt"));
        }
        Ports.fixedInAdvance(3, ports -> {
            List<ClusterConfig.Party> entries = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                entries.add(new ClusterConfig.Party(p, new HostPort("127.0.0.1", ports[p]), Path.of("p" + p + ".crt"), null, null));
            }
            Path cfg = dir.resolve(ClusterConfig.DEFAULT_NAME);
            Files.writeString(cfg, ClusterConfig.render(entries, clientCerts), StandardCharsets.UTF_8);
            config = ClusterConfig.load(cfg);
            for (int p = 0; p < 3; p++) servers[p] = startServer(p);
        });
        awaitServing(1);
    }

    Server startServer(int p) {
        return Server.start(new Server.Options(p, config, parties[p], options, 8, Duration.ZERO, Duration.ofSeconds(2),
                MaxPool.Form.TOURNAMENT), p == 0 ? model : null, readyLines::add);
    }

    void awaitServing(int... sessions) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int p = 0; p < 3; p++) all &= servers[p].sessionCount() >= sessions[Math.min(p, sessions.length - 1)];
            if (all) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the servers did not reach sessions " + java.util.Arrays.toString(sessions) + "; ready lines: " + readyLines);
    }

    @AfterAll
    void stop() {
        for (Server s : servers) if (s != null) s.stop(Duration.ofSeconds(3));
    }

    QueryClient client(int k) {
        return QueryClient.connect(config, clients[k], TlsProvider.AUTO, Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    /** The plaintext fixed-point twin's outputs for the rows. */
    double[] twin(double[] x, int rows) {
        try (PlainFixedBackend be = new PlainFixedBackend(1)) {
            GraphModel<long[]> m = GraphModel.build(be, model.graph(), model.tensors());
            long[] fx = new long[x.length];
            for (int i = 0; i < x.length; i++) fx[i] = FixedPoint.encode(x[i]);
            return FixedPoint.decode(be.reveal(m.forward(be.importData(fx, Backend.Encoding.FIXED), rows, false),
                    Backend.Encoding.FIXED));
        }
    }

    void check(Seeded s, double[] x, int rows, QueryClient.Answer a, QueryClient.Reveal reveal) {
        int k = model.graph().classes();
        double[] t = twin(x, rows);
        for (int r = 0; r < rows; r++) {
            int best = 0, second = -1;
            for (int c = 1; c < k; c++) if (t[r * k + c] > t[r * k + best]) best = c;
            for (int c = 0; c < k; c++) if (c != best && (second < 0 || t[r * k + c] > t[r * k + second])) second = c;
            // the secure and the twin's truncations differ by a few units in the last place: a near-tie may flip
            if (t[r * k + best] - t[r * k + second] > 0.01) assertEquals(best, a.labels()[r], s.msg("row " + r + " label"));
            if (reveal == QueryClient.Reveal.LOGITS) {
                for (int c = 0; c < k; c++) {
                    assertEquals(t[r * k + c], a.outputs()[r * k + c], 0.005, s.msg("row " + r + " logit " + c));
                }
            }
        }
    }

    double[] rows(Seeded s, int n) {
        double[] x = new double[n * model.graph().inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = s.rnd.nextDouble();
        if (n > 1) java.util.Arrays.fill(x, 0, model.graph().inputSize(), 0.0);   // an all-zero row: edge input
        return x;
    }

    @Test
    @Order(1)
    void oneClientGetsItsTwinPrediction() {
        Seeded s = Seeded.fromEnvOr(161);
        try (QueryClient c = client(0)) {
            assertEquals(784, c.inputSize());
            double[] x = rows(s, 3);
            QueryClient.Answer a = c.query(x, 3, QueryClient.Reveal.LOGITS);
            check(s, x, 3, a, QueryClient.Reveal.LOGITS);
            assertTrue(a.p0().bytes() > 0 && a.p1().bytes() > 0 && a.p0().peakKb() > 0, "metadata reports bytes and memory");
            // more rows than one batch takes: split into queries, rows in order
            double[] y = rows(s, 11);
            QueryClient.Answer b = c.query(y, 11, QueryClient.Reveal.LABEL);
            assertEquals(null, b.outputs());
            check(s, y, 11, b, QueryClient.Reveal.LABEL);
        }
    }

    @Test
    @Order(2)
    void concurrentClientsEachGetTheirOwnPrediction() throws Exception {
        Seeded s = Seeded.fromEnvOr(162);
        long batchesBefore = servers[0].batchCount();
        int perClient = 4;
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS * 2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < CLIENTS * 2; t++) {
                int k = t % CLIENTS;   // one identity, two concurrent connections
                long seed = s.seed * 31 + t;
                fs.add(pool.submit(() -> {
                    Seeded mine = new Seeded(seed);
                    try (QueryClient c = client(k)) {
                        for (int q = 0; q < perClient; q++) {
                            int n = 1 + mine.rnd.nextInt(3);
                            double[] x = rows(mine, n);
                            QueryClient.Reveal rv = mine.rnd.nextBoolean() ? QueryClient.Reveal.LABEL : QueryClient.Reveal.LOGITS;
                            check(mine, x, n, c.query(x, n, rv), rv);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        long batches = servers[0].batchCount() - batchesBefore;
        assertTrue(batches >= 1 && batches <= CLIENTS * 2 * perClient, "batches run: " + batches);
    }

    @Test
    @Order(3)
    void unknownClientIsRefused() {
        TlsIdentity stranger = TlsIdentity.generateClient(0, TlsIdentity.DEFAULT_VALIDITY);
        SecureNnException e = assertThrows(SecureNnException.class, () -> QueryClient.connect(config, stranger,
                TlsProvider.AUTO, Duration.ofSeconds(3), Duration.ofSeconds(5)).close());
        assertEquals(SecureNnException.Kind.TLS_IDENTITY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("refused this client's certificate"), e.getMessage());
        // a party's certificate is not a client's either: the server takes it for a peer and refuses it
        try (QueryClient c = client(1)) {
            assertEquals(10, c.classes());   // the servers still serve
        }
    }

    @Test
    @Order(4)
    void crashedServerFailsPendingQueriesNamingItAndARestartedOneServesAgain() throws Exception {
        Seeded s = Seeded.fromEnvOr(164);
        try (QueryClient c = client(2)) {
            servers[1].crashForTest();
            double[] x = rows(s, 1);
            long t0 = System.nanoTime();
            SecureNnException e = assertThrows(SecureNnException.class, () -> c.query(x, 1, QueryClient.Reveal.LOGITS));
            assertTrue(e.getMessage().contains("P1"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < options.idleTimeout().toNanos() + 2_000_000_000L, "failed within the idle timeout");
        }
        servers[1] = startServer(1);
        awaitServing(2, 1, 2);   // the restarted P1 is a new server: its first session
        try (QueryClient c = client(2)) {
            double[] x = rows(s, 2);
            check(s, x, 2, c.query(x, 2, QueryClient.Reveal.LOGITS), QueryClient.Reveal.LOGITS);
        }
        assertNotNull(readyLines.stream().filter(l -> l.startsWith("securenn: P1: serving A on 127.0.0.1:")).findFirst().orElse(null),
                readyLines.toString());
    }

    int[] sessionCounts() {
        int[] n = new int[3];
        for (int p = 0; p < 3; p++) n[p] = servers[p].sessionCount();
        return n;
    }

    /**
     * A tampered P0 (test hook) sends one party a batch number that repeats the last one, or skips one: that party
     * refuses it (the session ends naming the numbers) and the cluster starts a new session that serves again. The
     * untampered batch before each case is the control.
     */
    @Test
    @Order(5)
    void p1AndP2RefuseARepeatedOrOutOfOrderBatchNumber() throws Exception {
        Seeded s = Seeded.fromEnvOr(165);
        java.util.regex.Pattern said = java.util.regex.Pattern.compile("batch number (\\d+) where (\\d+) was due");
        // (party told the wrong number, shift): P1 gets a repeat, P2 a number one ahead
        int[][] cases = {{1, -1}, {2, +1}};
        for (int[] cs : cases) {
            int victim = cs[0], shift = cs[1];
            int[] before = sessionCounts();
            try (QueryClient c = client(0)) {
                double[] x = rows(s, 1);
                check(s, x, 1, c.query(x, 1, QueryClient.Reveal.LOGITS), QueryClient.Reveal.LOGITS);   // control
                servers[0].batchNumberForTest = (party, id) -> party == victim ? id + shift : id;
                SecureNnException e = assertThrows(SecureNnException.class, () -> c.query(x, 1, QueryClient.Reveal.LOGITS));
                assertTrue(e.getMessage().contains("query failed"), e.getMessage());
            } finally {
                servers[0].batchNumberForTest = null;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            String why;
            while (((why = servers[victim].lastSessionEnd()) == null || !said.matcher(why).find()
                    || servers[victim].sessionCount() != before[victim]) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            var m = said.matcher(String.valueOf(why));
            assertTrue(m.find(), "P" + victim + " ended its session with: " + why);
            assertEquals(Long.parseLong(m.group(2)) + shift, Long.parseLong(m.group(1)), why);
            assertTrue(why.contains("P0"), why);
            awaitServing(before[0] + 1, before[1] + 1, before[2] + 1);
            try (QueryClient c = client(1)) {
                double[] x = rows(s, 2);
                check(s, x, 2, c.query(x, 2, QueryClient.Reveal.LOGITS), QueryClient.Reveal.LOGITS);
            }
        }
    }

    /** One pair stream of one batch as one party drew it: the stream's name and how far the batch drew. */
    record Drawn(int party, long batch, int peer, String stream, long position) {}

    /**
     * Every party records, after each batch, the name of each derived pair stream (SHA-256 of its key and counter)
     * and how far the batch drew from it: both holders of a pair drew from the same stream to the same position, and
     * no two batches (this session's or an earlier one's) drew from the same stream.
     */
    @Test
    @Order(6)
    void noTwoBatchesDrawFromTheSamePositionOfAnyStream() throws Exception {
        Seeded s = Seeded.fromEnvOr(166);
        List<Drawn> drawn = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Set<MaskSeen> maskStreams = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Server.BatchObserver obs = (party, batch, streams, ctx, masks) -> {
            for (int peer = 0; peer < 3; peer++) {
                if (peer == party) continue;
                drawn.add(new Drawn(party, batch, peer, java.util.HexFormat.of().formatHex(streams.streamName(peer, batch)),
                        ctx.pair(peer).position()));
                // the session's weight mask streams (pairs with P2 only): A's weights are masked once per session
                assertNotNull(masks, "A's weights fit the mask budget");
                if (peer != 2 && party != 2) continue;
                for (long k = 0; k < masks.operands(); k++) {
                    maskStreams.add(new MaskSeen(party, peer, k, java.util.HexFormat.of().formatHex(masks.streams().streamName(peer, k))));
                }
            }
        };
        for (Server sv : servers) sv.observerForTest = obs;
        int[] before = sessionCounts();
        try {
            for (int round = 0; round < 2; round++) {
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                try {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int k = 0; k < CLIENTS; k++) {
                        long seed = s.seed * 17 + k + 100L * round;
                        int id = k;
                        fs.add(pool.submit(() -> {
                            Seeded mine = new Seeded(seed);
                            try (QueryClient c = client(id)) {
                                for (int q = 0; q < 3; q++) {
                                    double[] x = rows(mine, 1);
                                    QueryClient.Reveal rv = q == 2 ? QueryClient.Reveal.LABEL : QueryClient.Reveal.LOGITS;
                                    check(mine, x, 1, c.query(x, 1, rv), rv);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) f.get();
                } finally {
                    pool.shutdownNow();
                }
                if (round == 0) {   // a new session between the rounds: P1 restarts
                    servers[1].crashForTest();
                    servers[1] = startServer(1);
                    servers[1].observerForTest = obs;
                    awaitServing(before[0] + 1, 1, before[2] + 1);
                }
            }
            // P2 reports after its last message of a batch, which may be after the clients have their answers
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && !allReported(drawn)) Thread.sleep(10);
        } finally {
            for (Server sv : servers) sv.observerForTest = null;
        }
        List<Drawn> all;
        synchronized (drawn) {
            all = new ArrayList<>(drawn);
        }
        assertTrue(allReported(all), "every party reported every batch: " + all.size());
        long batches = all.stream().filter(d -> d.party() == 0 && d.peer() == 1).count();
        assertTrue(batches >= 4, "batches observed: " + batches);
        java.util.Map<String, Drawn> byStream = new java.util.HashMap<>();
        for (Drawn d : all) {
            assertTrue(d.position() > 0, "batch " + d.batch() + " drew from P" + d.party() + "'s stream with P" + d.peer());
            int lo = Math.min(d.party(), d.peer()), hi = Math.max(d.party(), d.peer());
            Drawn twin = byStream.putIfAbsent(d.stream() + "/" + lo + hi, d);
            if (twin == null) continue;
            // the same stream seen twice: only by the pair's two holders, for the same batch, to the same position
            assertTrue(twin.party() != d.party() && twin.peer() == d.party() && twin.batch() == d.batch(),
                    "two batches drew from one stream: " + twin + " and " + d);
            assertEquals(twin.position(), d.position(), "the holders of a stream drew different amounts: " + twin + ", " + d);
        }
        // every stream was seen by both its holders, and streams of different pairs differ
        assertEquals(all.size(), 2 * byStream.size(), "streams seen by one holder only");
        assertEquals(byStream.size(), byStream.keySet().stream().map(k -> k.substring(0, k.length() - 3)).distinct().count());
        // the weight mask streams: each seen by exactly its pair's two holders under one operand number, a new set per
        // session (two sessions here), and none of them is any batch's stream
        java.util.Map<String, List<MaskSeen>> byMask = new java.util.HashMap<>();
        for (MaskSeen m : maskStreams) byMask.computeIfAbsent(m.stream(), k -> new ArrayList<>()).add(m);
        long operands = maskStreams.stream().mapToLong(MaskSeen::operand).max().orElse(-1) + 1;
        assertEquals(model.graph().parameterRefs().size(), operands, "one mask per model tensor");
        assertEquals(2 * 2 * operands, byMask.size(), "mask streams: two pairs, two sessions");
        for (List<MaskSeen> seen : byMask.values()) {
            assertEquals(2, seen.size(), "a mask stream seen by its two holders: " + seen);
            MaskSeen a = seen.get(0), b = seen.get(1);
            assertTrue(a.party() == b.peer() && b.party() == a.peer() && a.operand() == b.operand(), seen.toString());
        }
        java.util.Set<String> batchStreams = new java.util.HashSet<>();
        for (Drawn d : all) batchStreams.add(d.stream());
        for (String m : byMask.keySet()) assertTrue(!batchStreams.contains(m), "a weight mask stream is a batch's stream: " + m);
    }

    /** One weight mask stream as one party holds it: the party, its peer, the operand and the stream's name. */
    record MaskSeen(int party, int peer, long operand, String stream) {}

    /**
     * Stationary weight masks in a server's session: after its first batch, a batch-1 query of A sends what the
     * later-batch prediction says ({@code inspect}'s figure, less the reveal, which a server does not make: the client
     * gets refreshed shares): the weights' F is not sent again, 2·8·(784·128 + 128·128 + 128·10) bytes less than the
     * per-batch form; and the reply's metadata (bytes per query) says so.
     */
    @Test
    @Order(7)
    void laterBatchesOfASessionDoNotSendTheWeightsFAgain() {
        Seeded s = Seeded.fromEnvOr(167);
        io.securenn.bench.Formulas f = io.securenn.bench.Formulas.implemented(MaxPool.Form.TOURNAMENT,
                io.securenn.runtime.SessionParams.defaults());
        var later = io.securenn.bench.GraphCost.inference(model.graph(), 1, false, f, io.securenn.bench.CostingBackend.Weights.LATER_BATCH);
        var perBatch = io.securenn.bench.GraphCost.inference(model.graph(), 1, false, f);
        long weights = 784L * 128 + 128 * 128 + 128 * 10;
        assertEquals(16 * weights, perBatch.total().bytes() - later.total().bytes(), "F of every weight, both holders");
        try (QueryClient c = client(0)) {
            QueryClient.Answer last = null;
            for (int q = 0; q < 3; q++) {   // the third: its own batch and P2's report of the second are later batches
                double[] x = rows(s, 1);
                last = c.query(x, 1, QueryClient.Reveal.LOGITS);
                check(s, x, 1, last, QueryClient.Reveal.LOGITS);
            }
            assertEquals(1, last.p0().batchQueries());
            assertEquals((double) (later.total().bytes() - later.reveal().bytes()), last.bytesPerQuery(),
                    "bytes per query of a later batch: " + last.p0() + ", " + last.p1());
        }
    }

    /**
     * With a warm-up, each session runs batches of one row of zeros before the servers announce themselves: every
     * party has run the same number (at least one) by then, and the first client's query is already a later batch
     * (the weights' F opened by the warm-up) answered with its twin's prediction. The servers of the tests before
     * this one run without a warm-up (the control: their first batch opens F, test 7).
     */
    @Test
    @Order(8)
    void aWarmUpRunsBeforeTheServersAnnounceThemselvesAndOpensTheWeightsMasks() throws Exception {
        Seeded s = Seeded.fromEnvOr(168);
        for (Server sv : servers) sv.stop(Duration.ofSeconds(3));
        for (Server sv : servers) sv.await();   // no stopped server may still join a session of the new ones
        readyLines.clear();
        for (int p = 0; p < 3; p++) {
            servers[p] = Server.start(new Server.Options(p, config, parties[p], options, 8, Duration.ZERO,
                    Duration.ofSeconds(2), MaxPool.Form.TOURNAMENT, io.securenn.runtime.SessionParams.defaults(),
                    Duration.ofMillis(300)), p == 0 ? model : null, readyLines::add);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (readyLines.size() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(3, readyLines.size(), "ready lines: " + readyLines);
        long warm = servers[0].batchCount();
        assertTrue(warm >= 1, "P0 announced itself after " + warm + " warm-up batches");
        for (int p = 1; p < 3; p++) assertEquals(warm, servers[p].batchCount(), "P" + p + "'s warm-up batches at its announcement");
        io.securenn.bench.Formulas f = io.securenn.bench.Formulas.implemented(MaxPool.Form.TOURNAMENT,
                io.securenn.runtime.SessionParams.defaults());
        var later = io.securenn.bench.GraphCost.inference(model.graph(), 1, false, f, io.securenn.bench.CostingBackend.Weights.LATER_BATCH);
        try (QueryClient c = client(0)) {
            double[] x = rows(s, 1);
            QueryClient.Answer a = c.query(x, 1, QueryClient.Reveal.LOGITS);
            check(s, x, 1, a, QueryClient.Reveal.LOGITS);
            assertEquals((double) (later.total().bytes() - later.reveal().bytes()), a.bytesPerQuery(),
                    "the first query after the warm-up is a later batch: " + a.p0() + ", " + a.p1());
        }
    }

    private static boolean allReported(List<Drawn> drawn) {
        synchronized (drawn) {
            java.util.Map<String, Integer> count = new java.util.HashMap<>();
            for (Drawn d : drawn) count.merge(d.stream() + "/" + Math.min(d.party(), d.peer()) + Math.max(d.party(), d.peer()), 1, Integer::sum);
            return !count.isEmpty() && count.values().stream().allMatch(c -> c == 2);
        }
    }
}
