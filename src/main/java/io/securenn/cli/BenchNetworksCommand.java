package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.bench.BenchCase;
import io.securenn.bench.NetProfile;
import io.securenn.bench.NetworkBench;
import io.securenn.bench.RowResult;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.tls.TlsNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code securenn bench networks}: the paper's network benchmarks (Tables 3, 6, 7) with the three parties as three
 * OS processes ({@link NetworkBench}, which runs them, combines the parties' results and writes the JSON and the
 * report). This command parses and checks the options and prints the progress: one line per row, the time, bytes,
 * rounds and peak memory beside the paper's figures.
 */
@Command(name = "networks", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Secure inference (batch 1 and 128, networks A-D) and one training iteration (batch 128, A-C), "
                + "each party in its own process, beside the paper's figures.",
                "Rows can take long: B and C at batch 128 move 1-2 GB each. Profiles lan, wan and custom need root and "
                        + "iproute2 (scripts/netns-bench.sh)."})
public final class BenchNetworksCommand implements Callable<Integer> {
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
            + "for S seconds after its first run (a fresh JVM's), so that the JIT has compiled the hot loops, and then "
            + "while any party's JIT is busy (5 %% of the last 2 s of runs), for at most 10 × S; 0 for the --warmup "
            + "count alone (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--only", split = ",", paramLabel = "SEL",
            description = "Only these rows: A, training, B:inference, C:training:128, inference:1, … (default: all 11).")
    List<String> only;

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "Add the secure inference of this ONNX model "
            + "as a row (network: the file's base name; repeatable): P0 streams the file and shares the weights, then "
            + "each run is timed from sharing the input to the logits revealed to P0, as Porthos's timer. With --model, "
            + "the built-in rows run only if --only selects them.")
    List<Path> models;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "With --model: the batch of the "
            + "model rows (default: ${DEFAULT-VALUE}).")
    int batch;

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

    @Option(names = "--jvm-options", paramLabel = "OPTS", defaultValue = NetworkBench.DEFAULT_JVM_OPTIONS,
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

    @Option(names = "--keep-work-dir", description = "Keep the temporary directory (keys, configs, party logs and results).")
    boolean keepWorkDir;

    @Override
    public Integer call() throws IOException {
        if (runs < 1) throw SecureNnException.usage("--runs must be at least 1");
        if (warmup < 0) throw SecureNnException.usage("--warmup must not be negative");
        if (!(warmupSeconds >= 0)) throw SecureNnException.usage("--warmup-seconds must not be negative");
        TlsProvider tls = TlsNetwork.resolveProvider(TlsProvider.parse(tlsProvider, "--tls-provider"));
        if (tls == TlsProvider.NONE && !insecurePlainTcp) {
            throw SecureNnException.usage("--tls-provider none is plain TCP, without encryption or authentication: it is "
                    + "for benchmarks only and needs --insecure-plain-tcp as well");
        }
        if (insecurePlainTcp && tls != TlsProvider.NONE) {
            throw SecureNnException.usage("--insecure-plain-tcp goes only with --tls-provider none");
        }
        NetProfile prof = NetProfile.parse(profile, rate, delay == null ? null : NetProfile.parseDelay(delay));
        MaxPool.Form form = BackendOptions.parseMaxPool(maxpool);
        if (batch < 1) throw SecureNnException.usage("--batch must be at least 1");
        List<BenchCase> rows = new java.util.ArrayList<>();
        if (models != null) {
            for (Path m : models) {
                if (!m.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                    throw SecureNnException.usage("--model " + m + ": an ONNX model ends in .onnx");
                }
                io.securenn.model.onnx.OnnxImporter.importGraph(m);   // readable and supported: refused here, not in a party
                rows.add(BenchCase.ofModel(m.toAbsolutePath(), batch));
            }
        }
        if (models == null || models.isEmpty() || (only != null && !only.isEmpty())) rows.addAll(BenchCase.select(only));
        String command = "securenn " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        // the party processes get its wire format and DReLU form as -Dsecurenn.zpWire and -Dsecurenn.drelu
        SessionParams session = PartyOptions.sessionParams();
        NetworkBench bench = new NetworkBench(new NetworkBench.Options(prof, rows, warmup, warmupSeconds, runs, seed,
                form, session, tls, jvmOptions, rowTimeout, netnsScript, workerClasspath, keepWorkDir, json, report, command));
        PrintWriter out = spec.commandLine().getOut();
        try {
            NetworkBench.Outcome outcome = bench.run(new NetworkBench.Listener() {
                @Override
                public void started() {
                    out.printf(Locale.ROOT, "bench networks: %d row(s), profile %s, at least %d warm-up run(s) and %s s "
                                    + "of warm-up, then %d runs each; parties are three processes over %s%n", rows.size(),
                            prof.describe(), warmup, fmtSeconds(warmupSeconds), runs, TlsNetwork.describe(tls));
                    out.flush();
                }

                @Override
                public void row(RowResult r) {
                    out.println(progressLine(r));
                    out.flush();
                }

                @Override
                public void workDirectoryKept(Path dir) {
                    out.println("work directory (keys, configs, party logs): " + dir);
                }
            });
            return outcome.failed() ? SecureNnException.Kind.INTERNAL.exitCode : 0;
        } finally {
            out.flush();
        }
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
        if (r.cpuMs() != null) {
            b.append(String.format(Locale.ROOT, "; CPU ms/run %.1f/%.1f/%.1f (JIT %.1f/%.1f/%.1f)", r.cpuMs()[0], r.cpuMs()[1],
                    r.cpuMs()[2], r.jitMs()[0], r.jitMs()[1], r.jitMs()[2]));
        }
        return b.toString();
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
