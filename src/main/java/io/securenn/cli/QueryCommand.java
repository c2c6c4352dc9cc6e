package io.securenn.cli;

import io.securenn.Json;
import io.securenn.SecureNnException;
import io.securenn.data.Npy;
import io.securenn.serve.QueryClient;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code securenn query}: a client of securenn serve (docs/SERVING.md). */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify rows with a model served by securenn serve: the rows are secret-shared to P0 and P1 "
                + "and the output reconstructed here from their two refreshed shares; no server sees either.",
                "With --bench: latency and throughput of many queries from concurrent clients, as JSON."})
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The servers' cluster config.")
    Path config;

    @Option(names = "--key", paramLabel = "FILE", description = "This client's private key (default: client.0.key "
            + "beside the config); its certificate is the .crt of the same name.")
    Path key;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Rows to classify, [N, ...] as the "
            + "model's input (float32/float64, uint8 scaled by 1/255).")
    Path input;

    @Option(names = "--output", paramLabel = "Y.npy", description = "Write the outputs (float32 [N, K], rows in order).")
    Path output;

    @Option(names = "--reveal", defaultValue = "logits", paramLabel = "logits|label",
            description = "What the client learns: the output vectors or only the classes (default: ${DEFAULT-VALUE}).")
    String reveal;

    @Option(names = "--idle-timeout", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "A server silent this long fails the query (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--tls-provider", paramLabel = "boringssl|jdk", description = "TLS implementation (default: as serve).")
    String tlsProvider;

    @Option(names = "--bench", description = "Measure latency and throughput (rows of --input sent in turn, one row a query).")
    boolean bench;

    @Option(names = "--clients", defaultValue = "1", description = "--bench: concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--queries", defaultValue = "100", description = "--bench: measured queries in all (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--warmup", defaultValue = "20", description = "--bench: unmeasured queries first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "--bench: write the figures as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        boolean labels = InferCommand.parseReveal(reveal);
        QueryClient.Reveal rv = labels ? QueryClient.Reveal.LABEL : QueryClient.Reveal.LOGITS;
        if (labels && output != null) throw SecureNnException.usage("--output writes the model's outputs: drop --reveal label");
        if (!bench && (json != null)) throw SecureNnException.usage("--json needs --bench");
        if (clients < 1 || queries < 1 || warmup < 0) throw SecureNnException.usage("--clients and --queries must be positive, --warmup not negative");
        ClusterConfig cfg = ClusterConfig.load(config);
        Path k = key != null ? key : cfg.file().toAbsolutePath().getParent().resolve("client.0.key");
        String name = k.getFileName().toString();
        Path crt = k.resolveSibling((name.endsWith(".key") ? name.substring(0, name.length() - 4) : name) + ".crt");
        TlsIdentity id = new TlsIdentity(Pem.readPrivateKey(k, "client key"), Pem.readCertificate(crt, "client certificate"));
        id.checkMatches("client (" + k + " and " + crt + ")");
        Npy.Array a = Npy.read(input);
        int[] shape = a.shape();
        if (shape.length < 2 || shape[0] <= 0) throw SecureNnException.badInput(input.getFileName() + ": shape "
                + Arrays.toString(shape) + " is not [N, ...]");
        double[] x = NpyInput.values(input, a);
        int rows = shape[0], per = x.length / rows;
        var provider = io.securenn.transport.TlsProvider.parse(tlsProvider, "--tls-provider");
        PrintWriter out = spec.commandLine().getOut();
        if (!bench) {
            try (QueryClient c = QueryClient.connect(cfg, id, provider, idleTimeout, Duration.ofSeconds(30))) {
                checkWidth(c, per, input, shape);
                QueryClient.Answer ans = c.query(x, rows, rv);
                int show = Math.min(rows, 20);
                out.printf(Locale.ROOT, "model %s, %d rows: predicted classes %s%s%n", c.model(), rows,
                        Arrays.toString(Arrays.copyOf(ans.labels(), show)).replace("[", "").replace("]", ""), rows > show ? ", …" : "");
                if (output != null) Npy.writeFloat32(output, new int[] {rows, ans.classes()}, ans.outputs());
            }
            out.flush();
            return 0;
        }
        return runBench(cfg, id, provider, x, rows, per, rv, out, a.shape());
    }

    private static void checkWidth(QueryClient c, int per, Path input, int[] shape) {
        if (per != c.inputSize()) {
            throw SecureNnException.badInput(input.getFileName() + ": shape " + Arrays.toString(shape) + " holds " + per
                    + " values per row, the served model " + c.model() + " takes " + c.inputSize());
        }
    }

    private int runBench(ClusterConfig cfg, TlsIdentity id, io.securenn.transport.TlsProvider provider, double[] x, int rows,
                         int per, QueryClient.Reveal rv, PrintWriter out, int[] shape) throws Exception {
        List<QueryClient> cs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int i = 0; i < clients; i++) cs.add(QueryClient.connect(cfg, id, provider, idleTimeout, Duration.ofSeconds(30)));
            checkWidth(cs.get(0), per, input, shape);
            AtomicInteger next = new AtomicInteger();
            int total = warmup + queries;
            long[] latency = new long[total];
            double[] bytes = new double[total];
            int[] batchOf = new int[total];
            long[][] peak = new long[3][1];
            long[] measuredStart = {0};
            List<Future<?>> fs = new ArrayList<>();
            for (QueryClient c : cs) {
                fs.add(pool.submit(() -> {
                    int q;
                    while ((q = next.getAndIncrement()) < total) {
                        if (q == warmup) synchronized (measuredStart) { measuredStart[0] = System.nanoTime(); }
                        int r = q % rows;
                        long t0 = System.nanoTime();
                        QueryClient.Answer ans = c.query(Arrays.copyOfRange(x, r * per, (r + 1) * per), 1, rv);
                        latency[q] = System.nanoTime() - t0;
                        bytes[q] = ans.bytesPerQuery();
                        batchOf[q] = ans.p0().batchQueries();
                        synchronized (peak) {
                            peak[0][0] = Math.max(peak[0][0], ans.p0().peakKb());
                            peak[1][0] = Math.max(peak[1][0], ans.p1().peakKb());
                            peak[2][0] = Math.max(peak[2][0], ans.p0().peakKbP2());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            long end = System.nanoTime();
            long[] measured = Arrays.copyOfRange(latency, warmup, total);
            Arrays.sort(measured);
            double bsum = 0;
            int bn = 0;
            long inBatches = 0;
            for (int q = warmup; q < total; q++) {
                if (!Double.isNaN(bytes[q])) { bsum += bytes[q]; bn++; }
                inBatches += batchOf[q];
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("clients", clients);
            doc.put("queries", queries);
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("p50", pct(measured, 0.50));
            lat.put("p95", pct(measured, 0.95));
            lat.put("p99", pct(measured, 0.99));
            lat.put("min", measured[0] / 1e6);
            doc.put("latency_ms", lat);
            long start = measuredStart[0] == 0 ? end : measuredStart[0];
            doc.put("throughput_qps", queries / Math.max(1e-9, (end - start) / 1e9));
            doc.put("bytes_per_query", bn == 0 ? 0 : bsum / bn);
            // how the servers batched: the mean size of the batch a measured query ran in (weighted by queries)
            doc.put("batch_queries_mean", (double) inBatches / queries);
            Map<String, Object> mem = new LinkedHashMap<>();
            for (int p = 0; p < 3; p++) mem.put("P" + p, peak[p][0] / 1024.0);
            doc.put("peak_mb", mem);
            doc.put("model", cs.get(0).model());
            out.printf(Locale.ROOT, "%d clients, %d queries: latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; %.1f queries/s; %.0f bytes/query; "
                            + "in batches of %.1f queries%n",
                    clients, queries, pct(measured, 0.5), pct(measured, 0.95), pct(measured, 0.99),
                    doc.get("throughput_qps"), doc.get("bytes_per_query"), doc.get("batch_queries_mean"));
            out.flush();
            if (json != null) Json.writeFile(json, doc);
            return 0;
        } finally {
            pool.shutdownNow();
            for (QueryClient c : cs) c.close();
        }
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[i] / 1e6;
    }
}
