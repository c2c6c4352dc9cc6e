package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.bench.BenchCase;
import io.securenn.bench.Formulas;
import io.securenn.bench.Machine;
import io.securenn.bench.NetProfile;
import io.securenn.bench.NetworkReport;
import io.securenn.bench.PaperFigures;
import io.securenn.bench.RowResult;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.ZpWire;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.HostPort;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import io.securenn.transport.tls.TlsNetwork;
import io.securenn.transport.TlsProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code securenn bench networks}: the paper's network benchmarks (Tables 3, 6, 7) with the three parties as three
 * OS processes. For every row this coordinator starts three {@code bench worker} processes (directly over loopback,
 * or through scripts/netns-bench.sh in three shaped network namespaces), waits for them, reads the JSON result each
 * party wrote, and combines them: time (slowest party per run; median and minimum), bytes per party, rounds, peak
 * memory per party, the paper's figures and the ratio. Writes JSON and a Markdown report with charts on request.
 */
@Command(name = "networks", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Secure inference (batch 1 and 128, networks A-D) and one training iteration (batch 128, A-C), "
                + "each party in its own process, beside the paper's figures.",
                "Rows can take long: B and C at batch 128 move 1-2 GB each. Profiles lan, wan and custom need root and "
                        + "iproute2 (scripts/netns-bench.sh)."})
public final class BenchNetworksCommand implements Callable<Integer> {
    static final String DEFAULT_JVM_OPTIONS = "-Xss16m --add-modules jdk.incubator.vector "
            + "--enable-native-access=ALL-UNNAMED";
    private static final String MECHANISM_PREFIX = "netns mechanism: ";

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", defaultValue = "loopback", paramLabel = "loopback|lan|wan|custom",
            description = "Network between the parties: loopback (this host, unshaped; compared with the paper's LAN), "
                    + "lan (625 MB/s), wan (40 MB/s, 29 ms each way) or custom (--rate, --delay), the last three in "
                    + "network namespaces (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--rate", paramLabel = "MB/s", description = "With --profile custom: link rate in MB/s (10^6 B/s).")
    Double rate;

    @Option(names = "--delay", paramLabel = "DELAY", description = "With --profile custom: one-way delay (0, 5ms, 29ms, 1s).")
    String delay;

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs per row (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up runs per row, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S", description = "Keep warming up each row "
            + "for at least S seconds as well, so that the JIT has compiled the hot loops of small rows (a batch of one "
            + "image takes milliseconds); 0 for the --warmup count alone (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--only", split = ",", paramLabel = "SEL",
            description = "Only these rows: A, training, B:inference, C:training:128, inference:1, … (default: all 11).")
    List<String> only;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the rows as a JSON list.")
    Path json;

    @Option(names = "--report", paramLabel = "FILE.md", description = "Write a Markdown report, with its charts beside it "
            + "(FILE-time.png, FILE-mb.png).")
    Path report;

    @Option(names = "--maxpool", defaultValue = "tournament", paramLabel = "tournament|sequential",
            description = "Secure MaxPool form (default: ${DEFAULT-VALUE}).")
    String maxpool;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and synthetic images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jvm-options", paramLabel = "OPTS", defaultValue = DEFAULT_JVM_OPTIONS,
            description = "JVM options of the party processes (default: ${DEFAULT-VALUE}, plus the serial collector "
                    + "and a heap limit sized per row from its network, batch and mode; options that choose -Xmx or a "
                    + "collector replace that plan).")
    String jvmOptions;

    @Option(names = "--row-timeout", paramLabel = "DURATION", defaultValue = "4h", converter = DurationConverter.class,
            description = "Give up a row after this long (default: ${DEFAULT-VALUE}).")
    Duration rowTimeout;

    @Option(names = "--netns-script", paramLabel = "FILE",
            description = "The namespace script (default: scripts/netns-bench.sh of this installation).")
    Path netnsScript;

    @Option(names = "--worker-classpath", hidden = true, paramLabel = "CP",
            description = "Class path of the party processes (default: this process's).")
    String workerClasspath;

    @Option(names = "--tls-provider", paramLabel = "boringssl|jdk|none",
            description = "TLS implementation of the party processes (default: -Dsecurenn.tls, else boringssl where it "
                    + "loads, else jdk); none is plain TCP, INSECURE, to show what TLS costs, and needs "
                    + "--insecure-plain-tcp.")
    String tlsProvider;

    @Option(names = "--insecure-plain-tcp",
            description = "INSECURE, benchmarks only: consent to --tls-provider none (plain TCP between the parties).")
    boolean insecurePlainTcp;

    /** The provider of this run, resolved once here and passed to every party process. */
    private TlsProvider tls;

    @Option(names = "--keep-work-dir", description = "Keep the temporary directory (keys, configs, party logs and results).")
    boolean keepWorkDir;

    @Override
    public Integer call() throws IOException {
        if (runs < 1) throw SecureNnException.usage("--runs must be at least 1");
        if (warmup < 0) throw SecureNnException.usage("--warmup must not be negative");
        if (!(warmupSeconds >= 0)) throw SecureNnException.usage("--warmup-seconds must not be negative");
        tls = TlsNetwork.resolveProvider(TlsProvider.parse(tlsProvider, "--tls-provider"));
        if (tls == TlsProvider.NONE && !insecurePlainTcp) {
            throw SecureNnException.usage("--tls-provider none is plain TCP, without encryption or authentication: it is "
                    + "for benchmarks only and needs --insecure-plain-tcp as well");
        }
        if (insecurePlainTcp && tls != TlsProvider.NONE) {
            throw SecureNnException.usage("--insecure-plain-tcp goes only with --tls-provider none");
        }
        NetProfile prof = NetProfile.parse(profile, rate, delay == null ? null : NetProfile.parseDelay(delay));
        MaxPool.Form form = BackendOptions.parseMaxPool(maxpool);
        List<BenchCase> rows = BenchCase.select(only);
        Path script = prof.namespaces() ? locateScript() : null;
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("securenn-bench-");
        List<Process> running = new ArrayList<>();
        Thread cleanup = new Thread(() -> stopAll(running));
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<String> machine = Machine.describe();
        List<RowResult> results = new ArrayList<>();
        String mechanism = prof.namespaces() ? null : "loopback interface, no shaping: neither rate nor delay emulated";
        boolean failed = false;
        try {
            Path keys = makeKeys(work.resolve("keys"));
            out.printf(Locale.ROOT, "bench networks: %d row(s), profile %s, at least %d warm-up run(s) and %s s of "
                    + "warm-up, then %d runs each; parties are three processes over %s%n", rows.size(), prof.describe(),
                    warmup, fmtSeconds(warmupSeconds), runs, TlsNetwork.describe(tls));
            out.flush();
            for (int k = 0; k < rows.size(); k++) {
                BenchCase c = rows.get(k);
                Path dir = Files.createDirectories(work.resolve("row" + k));
                RowResult r;
                try {
                    String mech = script == null ? runLoopback(c, form, keys, dir, running)
                            : runNamespaces(script, prof, c, form, keys, dir, running);
                    if (mech != null) mechanism = mech;
                    r = combine(c, prof, dir);
                } catch (SecureNnException e) {
                    if (e.kind() == SecureNnException.Kind.USAGE) throw e;   // no later row would do better
                    failed = true;
                    r = RowResult.failed(c, prof.name(), e.getMessage());
                }
                results.add(r);
                out.println(progressLine(r));
                out.flush();
            }
            if (mechanism == null) mechanism = "(no row completed: mechanism unknown)";
            if (json != null) Json.writeFile(json, jsonRows(results));
            if (report != null) writeReport(prof, form, mechanism, machine, results);
        } finally {
            stopAll(running);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            if (keepWorkDir || failed) {
                out.println("work directory (keys, configs, party logs): " + work);
            } else {
                deleteTree(work);
            }
            out.flush();
        }
        return failed ? SecureNnException.Kind.INTERNAL.exitCode : 0;
    }

    // ---- one row over loopback: three processes on 127.0.0.1

    private String runLoopback(BenchCase c, MaxPool.Form form, Path keys, Path dir, List<Process> running) throws IOException {
        int[] ports = freePorts();
        List<ClusterConfig.Party> parties = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            parties.add(new ClusterConfig.Party(p, new HostPort("127.0.0.1", ports[p]), keys.resolve("p" + p + ".crt"),
                    keys.resolve("p" + p + ".key"), "127.0.0.1"));
        }
        Path config = dir.resolve(ClusterConfig.DEFAULT_NAME);
        Files.writeString(config, ClusterConfig.render(parties), StandardCharsets.UTF_8);
        List<Process> ps = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<String> cmd = new ArrayList<>(javaPrefix(c));
            cmd.add("io.securenn.cli.Main");
            cmd.addAll(workerArgs(c, form, Integer.toString(p), config.toString(), dir.resolve("result.p" + p + ".json").toString()));
            Process proc = new ProcessBuilder(cmd).redirectOutput(dir.resolve("p" + p + ".out").toFile())
                    .redirectError(dir.resolve("p" + p + ".err").toFile()).start();
            ps.add(proc);
            synchronized (running) {
                running.add(proc);
            }
        }
        long deadline = System.nanoTime() + rowTimeout.toNanos();
        String error = null;
        for (int p = 0; p < 3; p++) {
            int code = waitFor(ps.get(p), deadline);
            if (code != 0 && error == null) {
                error = code == -1 ? "P" + p + " did not finish within " + rowTimeout
                        : "P" + p + " exited with code " + code + ": " + lastLine(dir.resolve("p" + p + ".err"));
                stopAll(ps);   // the others would only wait for their idle timeout
            }
        }
        synchronized (running) {
            running.removeAll(ps);
        }
        if (error != null) throw new SecureNnException(SecureNnException.Kind.INTERNAL, error);
        return null;
    }

    // ---- one row in network namespaces, through the script

    private String runNamespaces(Path script, NetProfile prof, BenchCase c, MaxPool.Form form, Path keys, Path dir,
                                 List<Process> running) throws IOException {
        List<String> prefix = javaPrefix(c);
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(),
                "--rate", NetProfile.trim(prof.rateMBps()),
                "--delay", (prof.oneWayDelay().toNanos() / 1e6) + "ms",
                "--java", prefix.get(0),
                "--jvm-options", String.join(" ", prefix.subList(1, prefix.size() - 2)),
                "--classpath", prefix.get(prefix.size() - 1),
                "--keys", keys.toString(),
                "--logs", dir.toString(),
                "--"));
        cmd.addAll(workerArgs(c, form, "{party}", "{config}", dir.resolve("result.p{party}.json").toString()));
        Path log = dir.resolve("netns.out");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (running) {
            running.add(proc);
        }
        int code = waitFor(proc, System.nanoTime() + rowTimeout.toNanos());
        synchronized (running) {
            running.remove(proc);
        }
        String mech = null;
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String l : lines) if (l.startsWith(MECHANISM_PREFIX)) mech = l.substring(MECHANISM_PREFIX.length()).trim();
        if (code == 2) {
            // the script's usage and environment errors (not root, no iproute2, no jar): every row would fail so
            throw SecureNnException.usage("netns-bench.sh: " + (lines.isEmpty() ? "usage error" : lines.get(lines.size() - 1)));
        }
        if (code != 0) {
            String why = code == -1 ? "did not finish within " + rowTimeout : "exited with code " + code;
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "netns-bench.sh " + why + ": "
                    + (lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1)) + " (log: " + log + ")");
        }
        return mech;
    }

    private List<String> workerArgs(BenchCase c, MaxPool.Form form, String party, String config, String result) {
        List<String> args = new ArrayList<>(List.of("bench", "worker", "--party", party, "--config", config, "--case",
                c.toString(), "--warmup", Integer.toString(warmup), "--warmup-seconds", Double.toString(warmupSeconds),
                "--runs", Integer.toString(runs), "--seed",
                Long.toString(seed), "--maxpool", form.name().toLowerCase(Locale.ROOT), "--idle-timeout", "120s",
                "--connect-timeout", "120s", "--tls-provider", tls.cliName(), "--result", result));
        if (tls == TlsProvider.NONE) args.add("--insecure-plain-tcp");
        return args;
    }

    /** The party processes' JVM options for a row: --jvm-options, and the row's heap plan unless they choose one. */
    String partyJvmOptions(BenchCase c) {
        if (JvmPlan.chooses(jvmOptions)) return jvmOptions.trim();
        long mb = JvmPlan.heapMb(c.network(), c.batch(), c.mode() == BenchCase.Mode.TRAINING, 1, false);
        return (jvmOptions.trim() + " " + JvmPlan.options(mb)).trim();
    }

    /** java, its options, -cp CLASSPATH: the JVM and class path of this process, the row's JVM options. */
    private List<String> javaPrefix(BenchCase c) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new SecureNnException(SecureNnException.Kind.INTERNAL, "cannot tell which java runs this process"));
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String o : partyJvmOptions(c).split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        String zp = System.getProperty("securenn.zpWire");
        if (zp != null) cmd.add("-Dsecurenn.zpWire=" + zp);
        cmd.add("-cp");
        cmd.add(workerClasspath != null ? workerClasspath : System.getProperty("java.class.path"));
        return cmd;
    }

    /** Waits until the deadline; -1 if the process is still running then (it is killed). */
    private static int waitFor(Process p, long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted");
        }
    }

    /** Ends the processes this command started (the namespace script tears its namespaces down on SIGTERM). */
    private static void stopAll(List<Process> ps) {
        List<Process> copy;
        synchronized (ps) {
            copy = new ArrayList<>(ps);
        }
        for (Process p : copy) if (p.isAlive()) p.destroy();
        for (Process p : copy) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static String lastLine(Path f) {
        try {
            List<String> l = Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                    .filter(s -> !s.isBlank() && !s.startsWith("WARNING")).toList();
            return l.isEmpty() ? "(no message)" : l.get(l.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Three ports that were free a moment ago. */
    private static int[] freePorts() throws IOException {
        ServerSocket[] s = new ServerSocket[3];
        int[] ports = new int[3];
        try {
            for (int i = 0; i < 3; i++) {
                s[i] = new ServerSocket(0);
                ports[i] = s[i].getLocalPort();
            }
        } finally {
            for (ServerSocket x : s) if (x != null) x.close();
        }
        return ports;
    }

    /** Fresh identities for the run, like 'securenn keys' (private keys owner-only). */
    private static Path makeKeys(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int p = 0; p < 3; p++) {
            TlsIdentity id = TlsIdentity.generate(p);
            Pem.writePrivateKey(dir.resolve("p" + p + ".key"), id.privateKey(), false);
            Pem.writeCertificate(dir.resolve("p" + p + ".crt"), id.certificate(), false);
        }
        return dir;
    }

    /** scripts/netns-bench.sh of the installation this class was loaded from (target/… → project directory). */
    private Path locateScript() {
        if (netnsScript != null) {
            if (!Files.isRegularFile(netnsScript)) throw SecureNnException.usage("no script at " + netnsScript);
            return netnsScript;
        }
        List<Path> candidates = new ArrayList<>();
        try {
            Path code = Path.of(BenchNetworksCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = code.getParent(); d != null; d = d.getParent()) candidates.add(d.resolve("scripts/netns-bench.sh"));
        } catch (URISyntaxException | RuntimeException e) {
            // fall back on the working directory
        }
        candidates.add(Path.of("scripts/netns-bench.sh"));
        for (Path p : candidates) if (Files.isRegularFile(p)) return p;
        throw SecureNnException.usage("cannot find scripts/netns-bench.sh: give --netns-script FILE");
    }

    // ---- combining the three parties' results

    @SuppressWarnings("unchecked")
    static RowResult combine(BenchCase c, NetProfile prof, Path dir) {
        List<Map<String, Object>> parties = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Path f = dir.resolve("result.p" + p + ".json");
            try {
                parties.add((Map<String, Object>) Json.parse(Files.readString(f, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, "P" + p + " wrote no result (" + f + ")");
            }
        }
        int n = ((List<Object>) parties.get(0).get("runs")).size();
        List<Double> seconds = new ArrayList<>();
        long[] bytes = new long[3];
        long rounds = 0;
        double[] peak = new double[3];
        for (int k = 0; k < n; k++) {
            double slowest = 0;
            long r = 0;
            for (int p = 0; p < 3; p++) {
                Map<String, Object> run = (Map<String, Object>) ((List<Object>) parties.get(p).get("runs")).get(k);
                slowest = Math.max(slowest, ((Number) run.get("seconds")).doubleValue());
                long b = ((Number) run.get("bytes")).longValue();
                if (k > 0 && b != bytes[p]) {
                    throw new SecureNnException(SecureNnException.Kind.INTERNAL, "P" + p + " sent " + bytes[p] + " B in one run and "
                            + b + " B in another: communication must not depend on the run");
                }
                bytes[p] = b;
                r = Math.max(r, ((Number) run.get("rounds")).longValue());
            }
            seconds.add(slowest);
            rounds = r;
        }
        Map<String, Formulas.Cost> scopes = new LinkedHashMap<>();
        for (int p = 0; p < 3; p++) {
            peak[p] = ((Number) parties.get(p).get("peak_rss_kb")).doubleValue() / 1024.0;
            Map<String, Object> s = (Map<String, Object>) parties.get(p).get("scopes");
            for (Map.Entry<String, Object> e : s.entrySet()) {
                Map<String, Object> v = (Map<String, Object>) e.getValue();
                Formulas.Cost mine = new Formulas.Cost(((Number) v.get("bytes")).longValue(), ((Number) v.get("rounds")).longValue());
                scopes.merge(e.getKey(), mine, (a, b) -> new Formulas.Cost(a.bytes() + b.bytes(), Math.max(a.rounds(), b.rounds())));
            }
        }
        OptionalDouble paperSeconds = prof.paperSetting() == null ? OptionalDouble.empty()
                : PaperFigures.seconds(c, prof.paperSetting());
        return new RowResult(c, prof.name(), seconds, bytes, rounds, peak, scopes, paperSeconds, PaperFigures.megabytes(c), null);
    }

    static String progressLine(RowResult r) {
        if (!r.ok()) return r.benchCase().label() + ": FAILED: " + r.error();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-18s median %8.3f s, min %8.3f s", r.benchCase().label(),
                r.medianSeconds(), r.minSeconds()));
        if (r.paperSeconds().isPresent()) {
            b.append(String.format(Locale.ROOT, " (paper %.3f s: %.2fx)", r.paperSeconds().getAsDouble(),
                    r.medianSeconds() / r.paperSeconds().getAsDouble()));
        }
        b.append(String.format(Locale.ROOT, "; %.2f MB (P0 %.2f, P1 %.2f, P2 %.2f)", r.totalMb(), r.bytes()[0] / 1e6,
                r.bytes()[1] / 1e6, r.bytes()[2] / 1e6));
        if (r.paperMb().isPresent()) b.append(String.format(Locale.ROOT, " (paper %.2f MB)", r.paperMb().getAsDouble()));
        b.append(String.format(Locale.ROOT, "; %d rounds; peak MB %.0f/%.0f/%.0f", r.rounds(), r.peakMb()[0], r.peakMb()[1], r.peakMb()[2]));
        return b.toString();
    }

    /** The JSON: one object per completed row (its fields exactly; the report names the TLS provider). */
    static List<Object> jsonRows(List<RowResult> rows) {
        List<Object> out = new ArrayList<>();
        for (RowResult r : rows) {
            if (!r.ok()) continue;
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("network", r.benchCase().network().name());
            o.put("mode", r.benchCase().mode().label());
            o.put("batch", r.benchCase().batch());
            o.put("profile", r.profile());
            o.put("seconds_median", r.medianSeconds());
            o.put("seconds_min", r.minSeconds());
            Map<String, Object> bytes = new LinkedHashMap<>(), peak = new LinkedHashMap<>();
            for (int p = 0; p < 3; p++) {
                bytes.put("P" + p, r.bytes()[p]);
                peak.put("P" + p, Math.round(r.peakMb()[p] * 10) / 10.0);
            }
            o.put("bytes", bytes);
            o.put("rounds", r.rounds());
            o.put("peak_mb", peak);
            o.put("paper_seconds", r.paperSeconds().isPresent() ? r.paperSeconds().getAsDouble() : null);
            o.put("paper_mb", r.paperMb().isPresent() ? r.paperMb().getAsDouble() : null);
            out.add(o);
        }
        return out;
    }

    private void writeReport(NetProfile prof, MaxPool.Form form, String mechanism, List<String> machine,
                             List<RowResult> results) {
        String cmdLine = "securenn " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        String options = jvmOptions.trim();
        if (!JvmPlan.chooses(jvmOptions)) {
            List<String> heaps = new ArrayList<>();
            for (RowResult r : results) {
                BenchCase c = r.benchCase();
                heaps.add(c.label() + " " + JvmPlan.heapMb(c.network(), c.batch(), c.mode() == BenchCase.Mode.TRAINING, 1, false) + "m");
            }
            options += " " + JvmPlan.COLLECTOR + " -Xmx<per row: " + String.join(", ", heaps) + ">";
        }
        NetworkReport.Info info = new NetworkReport.Info(cmdLine.trim(), prof, mechanism, machine, warmup,
                warmupSeconds, runs, form, ZpWire.current().name(), options, TlsNetwork.describe(tls));
        try {
            NetworkReport.writeCharts(report, info, results);
        } catch (IOException | RuntimeException e) {
            throw SecureNnException.badInput("cannot write the charts beside " + report + ": " + e.getMessage());
        }
        io.securenn.AtomicFiles.write(report, NetworkReport.markdown(report, info, results).getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
