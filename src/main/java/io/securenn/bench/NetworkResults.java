package io.securenn.bench;

import io.securenn.Json;
import io.securenn.SecureNnException;
import io.securenn.runtime.Ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The files of a network benchmark row: what each party process writes ({@link #writePartyResult}, read back by
 * {@link #combine}, which makes the row of the three), and the rows as the JSON ({@link #jsonRows}).
 */
public final class NetworkResults {
    private NetworkResults() {}

    /** The result file party {@code party} ("0", "1", "2", or the namespace script's "{party}") writes in dir. */
    static Path partyFile(Path dir, String party) {
        return dir.resolve("result.p" + party + ".json");
    }

    /** Writes what one party measured, with this process's peak resident memory (atomically). */
    public static void writePartyResult(Path file, NetworkRun.PartyResult r) {
        Json.writeFile(file, partyDocument(r, Machine.peakRssKb()));
    }

    /** One party's result file: its runs, its scopes of the last run, its peak memory, the Z_67 wire and heap. */
    public static Map<String, Object> partyDocument(NetworkRun.PartyResult r, long peakRssKb) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("party", r.party());
        doc.put("case", r.benchCase().toString());
        doc.put("warmup", r.warmup());
        List<Object> runs = new ArrayList<>();
        for (NetworkRun.Sample s : r.runs()) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("seconds", s.seconds());
            run.put("bytes", s.bytes());
            run.put("rounds", s.rounds());
            if (s.threadCpuSeconds() >= 0) run.put("thread_cpu_seconds", s.threadCpuSeconds());
            if (s.jitMillis() >= 0) run.put("jit_ms", s.jitMillis());
            if (s.collections() >= 0) run.put("collections", s.collections());
            runs.add(run);
        }
        doc.put("runs", runs);
        Map<String, Object> scopes = new LinkedHashMap<>();
        for (Map.Entry<String, Ledger.Entry> e : r.scopes().entrySet()) {
            Ledger.Entry x = e.getValue();
            Map<String, Object> scope = new LinkedHashMap<>();
            scope.put("calls", x.calls());
            scope.put("bytes", x.bytesSent());
            scope.put("rounds", x.rounds());
            scopes.put(e.getKey(), scope);
        }
        doc.put("scopes", scopes);
        doc.put("peak_rss_kb", peakRssKb);
        doc.put("zp_wire", r.zpWire().name());
        doc.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        if (r.times() != null) doc.put("times", r.times());
        return doc;
    }

    /**
     * The row of the three parties' result files in dir: per run the slowest party's time, each party's bytes (the
     * same in every run, else an error), the rounds, peak memory, and per scope bytes summed and rounds the largest.
     */
    @SuppressWarnings("unchecked")
    public static RowResult combine(BenchCase c, NetProfile prof, Path dir) {
        List<Map<String, Object>> parties = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Path f = partyFile(dir, Integer.toString(p));
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
        double[] cpu = new double[3], jit = new double[3];
        boolean timed = true;
        for (int p = 0; p < 3; p++) {
            Map<String, Object> t = (Map<String, Object>) parties.get(p).get("times");
            if (t == null) {
                timed = false;
                continue;
            }
            cpu[p] = ((Number) t.get("cpu_ms_per_run")).doubleValue();
            Map<String, Object> th = (Map<String, Object>) t.get("threads");
            for (String g : List.of("jit-c1", "jit-c2")) {
                if (th.get(g) instanceof Map<?, ?> m) jit[p] += ((Number) m.get("cpu_ms_per_run")).doubleValue();
            }
        }
        for (int p = 0; p < 3; p++) {
            peak[p] = ((Number) parties.get(p).get("peak_rss_kb")).doubleValue() / 1024.0;
            Map<String, Object> s = (Map<String, Object>) parties.get(p).get("scopes");
            for (Map.Entry<String, Object> e : s.entrySet()) {
                Map<String, Object> v = (Map<String, Object>) e.getValue();
                Formulas.Cost mine = new Formulas.Cost(((Number) v.get("bytes")).longValue(), ((Number) v.get("rounds")).longValue());
                scopes.merge(e.getKey(), mine, Formulas.Cost::besides);
            }
        }
        OptionalDouble paperSeconds = prof.paperSetting() == null ? OptionalDouble.empty()
                : PaperFigures.seconds(c, prof.paperSetting());
        return new RowResult(c, prof.name(), seconds, bytes, rounds, peak, scopes, paperSeconds, PaperFigures.megabytes(c), null,
                timed ? cpu : null, timed ? jit : null);
    }

    /** The JSON: one object per completed row (its fields exactly; the report names the TLS provider). */
    public static List<Object> jsonRows(List<RowResult> rows) {
        List<Object> out = new ArrayList<>();
        for (RowResult r : rows) {
            if (!r.ok()) continue;
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("network", r.benchCase().name());
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
}
