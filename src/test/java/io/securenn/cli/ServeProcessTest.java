package io.securenn.cli;

import io.securenn.SecureNnException.Kind;
import io.securenn.data.Npy;
import io.securenn.model.GraphModel;
import io.securenn.nn.Backend;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.ring.FixedPoint;
import io.securenn.serve.QueryClient;
import io.securenn.serve.ServedModel;
import io.securenn.testutil.Ports;
import io.securenn.testutil.Seeded;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code securenn serve} as three real server processes over loopback TLS and {@code securenn query} in this JVM:
 * the client's one-line errors (no server, a truncated .npy, rows of another width), and SIGTERM at P0 while a query
 * is in flight: the query completes with its plaintext twin's answer, new queries are refused with one line, and
 * every server exits 0.
 */
@Timeout(300)
class ServeProcessTest {
    static final int MAX_ROWS = 1024;

    @TempDir
    Path dir;

    private Processes procs;

    @AfterEach
    void tearDown() {
        if (procs != null) procs.close();
    }

    private static void expect(CliRun r, Kind kind, String message) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(kind.exitCode);
        assertThat(r.errorLine()).as(r.toString()).startsWith("securenn: error: ").contains(message)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void clientErrorsAreOneLineAndSigtermAtP0FinishesTheQueryInFlight() throws Exception {
        Seeded s = Seeded.fromEnvOr(1601);
        double[] x = new double[MAX_ROWS * 784];
        for (int i = 0; i < x.length; i++) x[i] = s.rnd.nextDouble();
        Path one = dir.resolve("one.npy"), wide = dir.resolve("wide.npy"), cut = dir.resolve("cut.npy");
        Npy.writeFloat32(one, new int[] {1, 1, 28, 28}, Arrays.copyOf(x, 784));
        Npy.writeFloat32(wide, new int[] {2, 10, 10}, Arrays.copyOf(x, 200));
        byte[] whole = Files.readAllBytes(one);
        Files.write(cut, Arrays.copyOf(whole, whole.length - 40));
        Ports.fixedInAdvance(3, port -> {
            if (procs != null) procs.close();
            procs = new Processes(dir);
            Path keys = dir.resolve("keys");
            CliRun k = CliRun.of("keys", "--out", keys.toString(), "--force", "--clients", "1", "--hosts",
                    "127.0.0.1:" + port[0] + ",127.0.0.1:" + port[1] + ",127.0.0.1:" + port[2]);
            assertThat(k.exit()).as(k.toString()).isZero();
            String cfg = keys.resolve("cluster.properties").toString();
            try {
                // refused before any connection: a truncated .npy; then no server is running yet
                expect(CliRun.of("query", "--config", cfg, "--input", cut.toString()), Kind.BAD_INPUT, "cut.npy: ");
                expect(CliRun.of("query", "--config", cfg, "--input", one.toString()), Kind.PEER_LOST,
                        "cannot reach P0 at 127.0.0.1:" + port[0]);
                Processes.Proc[] server = new Processes.Proc[3];
                for (int p = 0; p < 3; p++) {
                    // P0's lines on a batch (DEBUG) and on SIGTERM (INFO) say which queries it holds
                    server[p] = procs.javaWith(java.util.List.of("-DTEST_LOG_LEVEL=" + (p == 0 ? "DEBUG" : "INFO")), "io.securenn.cli.Main", "serve", "--party", String.valueOf(p), "--config", cfg, "--model", "A",
                            "--seed", "3", "--max-batch", String.valueOf(MAX_ROWS), "--idle-timeout", "20s");
                }
                for (int p = 0; p < 3; p++) server[p].awaitOutput("securenn: P" + p + ": serving A on 127.0.0.1:", Duration.ofSeconds(90));
                expect(CliRun.of("query", "--config", cfg, "--input", wide.toString()), Kind.BAD_INPUT,
                        "wide.npy: shape [2, 10, 10] holds 100 values per row, the served model A takes 784");
                CliRun ok = CliRun.of("query", "--config", cfg, "--input", one.toString(), "--reveal", "label");
                assertThat(ok.exit()).as(ok.toString()).isZero();
                double[] t = twin(Arrays.copyOf(x, 784), 1, true);
                int best = 0, second = best == 0 ? 1 : 0;
                for (int c = 1; c < t.length; c++) if (t[c] > t[best]) best = c;
                for (int c = 0; c < t.length; c++) if (c != best && t[c] > t[second]) second = c;
                assertThat(ok.out()).contains("model A, 1 rows: predicted classes ");
                // the secure and the twin's truncations differ in the last places: only a clear winner is checked
                if (t[best] - t[second] > 0.01) assertThat(ok.out()).contains("predicted classes " + best);

                benchWritesItsFigures(cfg, x);

                inFlightQueryDrains(keys, server, x, s);

                for (int p = 1; p < 3; p++) {   // P1 and P2 wait for P0's return; SIGTERM ends them
                    server[p].process().destroy();
                    assertThat(server[p].exit(Duration.ofSeconds(60))).as(server[p].stderr()).isZero();
                }
                expect(CliRun.of("query", "--config", cfg, "--input", one.toString()), Kind.PEER_LOST,
                        "cannot reach P0 at 127.0.0.1:" + port[0]);
            } catch (Exception | AssertionError e) {
                procs.addPortTakenLines(e);
                throw e;
            }
        });
    }

    /**
     * {@code query --bench}: concurrent clients, the JSON's figures in order, and the bytes per query exactly
     * {@code inspect}'s later-batch figure (the servers' warm-up opened the weights' masks; each reply's metadata is
     * its own batch's, P2's bytes included).
     */
    @SuppressWarnings("unchecked")
    private void benchWritesItsFigures(String cfg, double[] x) throws Exception {
        Path three = dir.resolve("three.npy"), json = dir.resolve("bench.json");
        Npy.writeFloat32(three, new int[] {3, 1, 28, 28}, Arrays.copyOf(x, 3 * 784));
        CliRun b = CliRun.of("query", "--config", cfg, "--input", three.toString(), "--bench", "--clients", "4",
                "--queries", "12", "--warmup", "4", "--json", json.toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        assertThat(b.out()).contains("4 clients, 12 queries: latency p50 ");
        var doc = (java.util.Map<String, Object>) io.securenn.Json.parse(Files.readString(json));
        assertThat(doc).containsKeys("clients", "queries", "latency_ms", "throughput_qps", "bytes_per_query",
                "batch_queries_mean", "peak_mb", "model");
        assertThat(((Number) doc.get("clients")).intValue()).isEqualTo(4);
        assertThat(((Number) doc.get("queries")).intValue()).isEqualTo(12);
        var lat = (java.util.Map<String, Object>) doc.get("latency_ms");
        double min = ((Number) lat.get("min")).doubleValue(), p50 = ((Number) lat.get("p50")).doubleValue(),
                p95 = ((Number) lat.get("p95")).doubleValue(), p99 = ((Number) lat.get("p99")).doubleValue();
        assertThat(min).isPositive().isLessThanOrEqualTo(p50);
        assertThat(p50).isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(((Number) doc.get("throughput_qps")).doubleValue()).isPositive();
        assertThat(((Number) doc.get("batch_queries_mean")).doubleValue()).isBetween(1.0, 4.0);
        var f = io.securenn.bench.Formulas.implemented(io.securenn.protocol.maxpool.MaxPool.Form.TOURNAMENT,
                io.securenn.runtime.SessionParams.defaults());
        var later = io.securenn.bench.GraphCost.inference(ServedModel.load("A", 3).graph(), 1, false, f,
                io.securenn.bench.CostingBackend.Weights.LATER_BATCH);
        assertThat(((Number) doc.get("bytes_per_query")).doubleValue())
                .isEqualTo((double) (later.total().bytes() - later.reveal().bytes()));
        var peak = (java.util.Map<String, Object>) doc.get("peak_mb");
        for (String p : new String[] {"P0", "P1", "P2"}) assertThat(((Number) peak.get(p)).doubleValue()).as(p).isPositive();
    }

    /**
     * A query of n rows goes to P0 and P1; while it runs P0 gets SIGTERM: P0 says how many queries it finishes
     * (at least this one), refuses a new query with one line, answers the pending one and exits 0.
     */
    private void inFlightQueryDrains(Path keys, Processes.Proc[] server, double[] x, Seeded s) throws Exception {
        TlsIdentity id = new TlsIdentity(Pem.readPrivateKey(keys.resolve("client.0.key"), "client key"),
                Pem.readCertificate(keys.resolve("client.0.crt"), "client certificate"));
        ClusterConfig cfg = ClusterConfig.load(keys.resolve("cluster.properties"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (QueryClient c = QueryClient.connect(cfg, id, TlsProvider.AUTO, Duration.ofSeconds(60), Duration.ofSeconds(30))) {
            // a query long enough to be still running when P0 has batched it (P0 says so at DEBUG) and got SIGTERM
            int n = MAX_ROWS;
            Future<QueryClient.Answer> f = pool.submit(() -> c.query(Arrays.copyOf(x, n * 784), n, QueryClient.Reveal.LOGITS));
            server[0].awaitErr(": 1 queries, " + n + " rows", Duration.ofSeconds(60));
            server[0].process().destroy();   // SIGTERM
            long until = System.nanoTime() + 30_000_000_000L;
            while (!server[0].stderr().contains("P0: stopping") && System.nanoTime() < until) Thread.sleep(10);
            assertThat(server[0].stderr()).contains("P0: stopping: refusing new queries, finishing the 1 in flight or queued");
            // refused once P0 stops, whether it still drains (not serving) or has gone (cannot reach): one line naming P0
            CliRun late = CliRun.of("query", "--config", keys.resolve("cluster.properties").toString(), "--input",
                    dir.resolve("one.npy").toString());
            assertThat(late.exit()).as(late.toString()).isEqualTo(Kind.PEER_LOST.exitCode);
            assertThat(late.errorLine()).as(late.toString()).matches("securenn: error: (P0 at .*: P0 is not serving: it is "
                    + "shutting down|cannot reach P0 at .*)");
            QueryClient.Answer a = f.get(120, TimeUnit.SECONDS);
            double[] t = twin(x, n, false);
            for (int i = 0; i < t.length; i++) {
                assertThat(a.outputs()[i]).as(s.msg("row " + i / 10 + " logit " + i % 10)).isCloseTo(t[i], org.assertj.core.data.Offset.offset(0.005));
            }
            assertThat(server[0].exit(Duration.ofSeconds(60))).as(server[0].stderr()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The plaintext fixed-point twin of the served model (A, seed 3) on the first rows of x (as float32 if asked). */
    private static double[] twin(double[] x, int rows, boolean float32) {
        ServedModel m = ServedModel.load("A", 3);
        try (PlainFixedBackend be = new PlainFixedBackend(1)) {
            GraphModel<long[]> g = GraphModel.build(be, m.graph(), m.tensors());
            long[] fx = new long[rows * 784];
            for (int i = 0; i < fx.length; i++) fx[i] = FixedPoint.encode(float32 ? (float) x[i] : x[i]);
            return FixedPoint.decode(be.reveal(g.forward(be.importData(fx, Backend.Encoding.FIXED), rows, false),
                    Backend.Encoding.FIXED));
        }
    }
}
