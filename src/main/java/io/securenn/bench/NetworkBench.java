package io.securenn.bench;

import io.securenn.Json;
import io.securenn.SecureNnException;
import io.securenn.job.HeapPlan;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.HostPort;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import io.securenn.transport.tls.TlsNetwork;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The network benchmarks (the paper's Tables 3, 6, 7) with the three parties as three OS processes. For every row
 * this coordinator starts three {@code bench worker} processes (directly over loopback, or through
 * scripts/netns-bench.sh in three shaped network namespaces), waits for them (a row that outlives its timeout
 * fails), reads the result each party wrote and combines them ({@link NetworkResults#combine}): time (slowest party
 * per run; median and minimum), bytes per party, rounds, peak memory per party, the paper's figures. Writes the
 * rows as JSON and a Markdown report with charts on request. Keys, cluster configs, party logs and results live in
 * a temporary work directory, deleted at the end unless kept or a row failed.
 */
public final class NetworkBench {
    /** The party processes' JVM options unless the caller gives others (the row's heap plan comes on top). */
    public static final String DEFAULT_JVM_OPTIONS = "-Xss16m --add-modules jdk.incubator.vector "
            + "--enable-native-access=ALL-UNNAMED";
    private static final String MECHANISM_PREFIX = "netns mechanism: ";

    /**
     * What to run and where to write.
     *
     * @param rows            the rows, run in this order
     * @param session         the party processes' session parameters: their Z_67 wire format and DReLU form are
     *                        passed to them as {@code -Dsecurenn.zpWire} and {@code -Dsecurenn.drelu}
     * @param tls             the party processes' TLS provider, resolved ({@link TlsNetwork#resolveProvider})
     * @param jvmOptions      the party processes' JVM options ({@link #partyJvmOptions})
     * @param rowTimeout      a row still running after this long fails
     * @param netnsScript     the namespace script (null: scripts/netns-bench.sh of this installation); profiles in
     *                        network namespaces only
     * @param workerClasspath the party processes' class path (null: this process's)
     * @param keepWorkDir     keep the work directory even when every row succeeds
     * @param json            where to write the rows as JSON ({@link NetworkResults#jsonRows}), or null
     * @param report          where to write the Markdown report with its charts beside it, or null
     * @param command         the command line, for the report
     */
    public record Options(NetProfile profile, List<BenchCase> rows, int warmup, double warmupSeconds, int runs,
                          long seed, MaxPool.Form form, SessionParams session, TlsProvider tls, String jvmOptions,
                          Duration rowTimeout, Path netnsScript, String workerClasspath, boolean keepWorkDir, Path json,
                          Path report, String command) {}

    /** What the bench tells as it goes, from the calling thread. */
    public interface Listener {
        /** The keys are made; the rows start. */
        void started();

        /** A row is done, or failed ({@link RowResult#ok}). */
        void row(RowResult r);

        /** The work directory (keys, configs, party logs and results) is kept: asked for, or a row failed. */
        void workDirectoryKept(Path dir);
    }

    /** The rows in order, and whether any failed. */
    public record Outcome(List<RowResult> rows, boolean failed) {}

    private final Options o;

    public NetworkBench(Options options) {
        this.o = options;
    }

    /**
     * Runs the rows. A row that fails is reported as failed and the next one runs, except a USAGE error (the
     * namespace script cannot run at all, say), which no later row would escape: it ends the bench.
     */
    public Outcome run(Listener listener) throws IOException {
        NetProfile prof = o.profile();
        Path script = prof.namespaces() ? locateScript(o.netnsScript()) : null;
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
            listener.started();
            for (int k = 0; k < o.rows().size(); k++) {
                BenchCase c = o.rows().get(k);
                Path dir = Files.createDirectories(work.resolve("row" + k));
                RowResult r;
                try {
                    String mech = script == null ? runLoopback(c, keys, dir, running)
                            : runNamespaces(script, c, keys, dir, running);
                    if (mech != null) mechanism = mech;
                    r = NetworkResults.combine(c, prof, dir);
                } catch (SecureNnException e) {
                    if (e.kind() == SecureNnException.Kind.USAGE) throw e;   // no later row would do better
                    failed = true;
                    r = RowResult.failed(c, prof.name(), e.getMessage());
                }
                results.add(r);
                listener.row(r);
            }
            if (mechanism == null) mechanism = "(no row completed: mechanism unknown)";
            if (o.json() != null) Json.writeFile(o.json(), NetworkResults.jsonRows(results));
            if (o.report() != null) NetworkReport.write(o.report(), reportInfo(mechanism, machine, results), results);
        } finally {
            stopAll(running);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            if (o.keepWorkDir() || failed) {
                listener.workDirectoryKept(work);
            } else {
                deleteTree(work);
            }
        }
        return new Outcome(List.copyOf(results), failed);
    }

    // ---- one row over loopback: three processes on 127.0.0.1

    private String runLoopback(BenchCase c, Path keys, Path dir, List<Process> running) throws IOException {
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
            cmd.addAll(workerArgs(c, Integer.toString(p), config.toString(), dir));
            Process proc = new ProcessBuilder(cmd).redirectOutput(dir.resolve("p" + p + ".out").toFile())
                    .redirectError(dir.resolve("p" + p + ".err").toFile()).start();
            ps.add(proc);
            synchronized (running) {
                running.add(proc);
            }
        }
        long deadline = System.nanoTime() + o.rowTimeout().toNanos();
        String error = null;
        for (int p = 0; p < 3; p++) {
            int code = waitFor(ps.get(p), deadline);
            if (code != 0 && error == null) {
                error = code == -1 ? "P" + p + " did not finish within " + o.rowTimeout()
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

    private String runNamespaces(Path script, BenchCase c, Path keys, Path dir, List<Process> running) throws IOException {
        NetProfile prof = o.profile();
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
        cmd.addAll(workerArgs(c, "{party}", "{config}", dir));
        Path log = dir.resolve("netns.out");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (running) {
            running.add(proc);
        }
        int code = waitFor(proc, System.nanoTime() + o.rowTimeout().toNanos());
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
            String why = code == -1 ? "did not finish within " + o.rowTimeout() : "exited with code " + code;
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "netns-bench.sh " + why + ": "
                    + (lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1)) + " (log: " + log + ")");
        }
        return mech;
    }

    /** The arguments of one party's {@code securenn bench worker}; it writes its result into dir. */
    private List<String> workerArgs(BenchCase c, String party, String config, Path dir) {
        List<String> args = new ArrayList<>(List.of("bench", "worker", "--party", party, "--config", config, "--case",
                c.toString(), "--warmup", Integer.toString(o.warmup()), "--warmup-seconds", Double.toString(o.warmupSeconds()),
                "--runs", Integer.toString(o.runs()), "--seed",
                Long.toString(o.seed()), "--maxpool", o.form().name().toLowerCase(Locale.ROOT), "--idle-timeout", "120s",
                "--connect-timeout", "120s", "--tls-provider", o.tls().cliName(),
                "--result", NetworkResults.partyFile(dir, party).toString()));
        if (o.tls() == TlsProvider.NONE) args.add("--insecure-plain-tcp");
        return args;
    }

    /**
     * The least heap of a built-in row's party process, MB. {@link HeapPlan} sizes a heap from the live set (A and D
     * at batch 128: 64–77 MB), and the serial collector's young generation is a third of it; a run of D inference
     * at batch 128 allocates 90–100 MB per party, so it collected 4.5–5 times per run, copying the protocol state
     * alive across each collection (P1 holds P2's dealing message): 8–19 ms of collector CPU per run at P0 and P1.
     * With 128 MB: 2.5–2.9 collections, 3–7 ms, and 9–13 % less CPU for the three parties (docs/benchmarks/README.md,
     * "The small rows"), for 50 MB more peak memory per party (about 230 MB, under C inference's 274 MB target).
     */
    public static final long MIN_ROW_HEAP_MB = 128;

    /** The heap one party process of the row needs, MB ({@link HeapPlan}; at least {@link #MIN_ROW_HEAP_MB} for A–D). */
    public static long partyHeapMb(BenchCase c) {
        if (c.model() != null) return HeapPlan.heapMbForStreamedInference(c.model(), c.batch(), 1);
        return Math.max(MIN_ROW_HEAP_MB, HeapPlan.heapMb(c.network(), c.batch(), c.mode() == BenchCase.Mode.TRAINING, 1, false));
    }

    /** The party processes' JVM options for a row: jvmOptions, and the row's heap plan unless they choose one. */
    public static String partyJvmOptions(String jvmOptions, BenchCase c) {
        if (HeapPlan.chooses(jvmOptions)) return jvmOptions.trim();
        return (jvmOptions.trim() + " " + HeapPlan.options(partyHeapMb(c))).trim();
    }

    /** java, its options, -cp CLASSPATH: the JVM and class path of this process, the row's JVM options. */
    private List<String> javaPrefix(BenchCase c) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new SecureNnException(SecureNnException.Kind.INTERNAL, "cannot tell which java runs this process"));
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String opt : partyJvmOptions(o.jvmOptions(), c).split("\\s+")) if (!opt.isEmpty()) cmd.add(opt);
        cmd.add("-D" + ZpWire.PROPERTY + "=" + o.session().zpWire().name().toLowerCase(Locale.ROOT));
        cmd.add("-D" + DReluForm.PROPERTY + "=" + o.session().dreluForm().option());
        cmd.add("-cp");
        cmd.add(o.workerClasspath() != null ? o.workerClasspath() : System.getProperty("java.class.path"));
        return cmd;
    }

    /** How the report describes the conditions: the JVM options name each row's heap when the plan chose them. */
    private NetworkReport.Info reportInfo(String mechanism, List<String> machine, List<RowResult> results) {
        String options = o.jvmOptions().trim();
        if (!HeapPlan.chooses(o.jvmOptions())) {
            List<String> heaps = new ArrayList<>();
            for (RowResult r : results) heaps.add(r.benchCase().label() + " " + partyHeapMb(r.benchCase()) + "m");
            options += " " + HeapPlan.COLLECTOR + " -Xmx<per row: " + String.join(", ", heaps) + ">";
        }
        return new NetworkReport.Info(o.command().trim(), o.profile(), mechanism, machine, o.warmup(),
                o.warmupSeconds(), o.runs(), o.form(), o.session(), options, TlsNetwork.describe(o.tls()));
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

    /** Ends the processes this bench started (the namespace script tears its namespaces down on SIGTERM). */
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

    /**
     * The namespace script: the given one (a usage error if it is not a file), else scripts/netns-bench.sh of the
     * installation this class was loaded from (target/… → project directory), else of the working directory.
     */
    public static Path locateScript(Path given) {
        if (given != null) {
            if (!Files.isRegularFile(given)) throw SecureNnException.usage("no script at " + given);
            return given;
        }
        List<Path> candidates = new ArrayList<>();
        try {
            Path code = Path.of(NetworkBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = code.getParent(); d != null; d = d.getParent()) candidates.add(d.resolve("scripts/netns-bench.sh"));
        } catch (URISyntaxException | RuntimeException e) {
            // fall back on the working directory
        }
        candidates.add(Path.of("scripts/netns-bench.sh"));
        for (Path p : candidates) if (Files.isRegularFile(p)) return p;
        throw SecureNnException.usage("cannot find scripts/netns-bench.sh: give --netns-script FILE");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
