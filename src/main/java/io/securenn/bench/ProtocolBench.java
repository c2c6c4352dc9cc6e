package io.securenn.bench;

import io.securenn.AtomicFiles;
import io.securenn.Json;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.Cluster;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.InMemoryTransports;
import io.securenn.transport.Transport;
import io.securenn.transport.TransportOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs protocol cases ({@link ProtocolCases}) with the three parties as threads of this process over the given
 * transports, in one session: per case, inputs are dealt once, then one warm-up run and {@code runs} timed runs.
 *
 * <p>Before each run the parties synchronise (P1 and P2 tell P0 they are ready, P0 answers go), so they start
 * together. A run's time is the longest of the three parties' times from that start to the end of their part of
 * the protocol; its bytes are what each party sent inside the protocol and its rounds the longest message chain
 * (one protocol scope). Bytes and rounds are deterministic: a run that differs from the first is an error.
 */
public final class ProtocolBench {
    private ProtocolBench() {}

    /**
     * One case's measurements: seconds per timed run (warm-up excluded), bytes per party, rounds, and the
     * protocol's documented bytes and rounds (taken when it ran, under the Z_67 wire format it used).
     */
    public record Result(ProtocolCases.Case c, double[] seconds, long[] bytes, int rounds, long formulaBytes,
                         int formulaRounds) {
        public double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        public double min() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }

        public long totalBytes() {
            return bytes[0] + bytes[1] + bytes[2];
        }

        public boolean matchesFormula() {
            return totalBytes() == formulaBytes && rounds == formulaRounds;
        }
    }

    /** One party's measurements of one case: per run (warm-up first) its bytes, rounds and nanoseconds. */
    private record PartyRuns(long[] bytes, int[] rounds, long[] nanos) {}

    private static final String SCOPE = "bench";

    /** The links between the three parties: loopback TLS 1.3 (the real transport) or in-process links. */
    public enum Links {
        TLS, MEMORY;

        /** The name on the command line and in the JSON. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Runs the cases over fresh links of the given kind, in a session with the given parameters. */
    public static List<Result> run(List<ProtocolCases.Case> cases, int runs, Links links, SessionParams session,
                                   Consumer<String> progress) {
        Transport[] ts = links == Links.TLS ? Cluster.local(TransportOptions.defaults()) : InMemoryTransports.create();
        return run(cases, runs, ts, session, progress);
    }

    /** Writes the results as a JSON list, one object per case (atomically). */
    public static void writeJson(Path file, List<Result> results, Links links, SessionParams session) {
        AtomicFiles.write(file, Json.toJson(jsonRows(results, links, session)).getBytes(StandardCharsets.UTF_8));
    }

    static List<Map<String, Object>> jsonRows(List<Result> results, Links links, SessionParams session) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Result r : results) {
            ProtocolCases.Case c = r.c();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", c.protocol());
            m.put("dims", c.dims());
            if (c.form() != null) m.put("form", c.form().name().toLowerCase(Locale.ROOT));
            m.put("seconds_median", r.median());
            m.put("seconds_min", r.min());
            m.put("runs", r.seconds().length);
            Map<String, Object> b = new LinkedHashMap<>();
            for (int p = 0; p < 3; p++) b.put("P" + p, r.bytes()[p]);
            m.put("bytes", b);
            m.put("rounds", r.rounds());
            m.put("formula_bytes", r.formulaBytes());
            m.put("formula_rounds", r.formulaRounds());
            m.put("paper_ms", c.paperMs());
            m.put("paper_mb", c.paperMb());
            if (c.note() != null) m.put("note", c.note());
            m.put("transport", links.key());
            m.put("zp_wire", session.zpWire() == ZpWire.BYTE ? "byte" : "packed");
            m.put("drelu", session.dreluForm().option());
            list.add(m);
        }
        return list;
    }

    /**
     * @param transports three connected transports (consumed: closed at the end)
     * @param session    the session's parameters (Z_67 wire format, chunk sizes), for the runs and the formulas
     * @param progress   told the label of each case as it starts (from P0's thread)
     */
    public static List<Result> run(List<ProtocolCases.Case> cases, int runs, Transport[] transports,
                                   SessionParams session, Consumer<String> progress) {
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1");
        StringBuilder params = new StringBuilder("runs=" + runs);
        for (ProtocolCases.Case c : cases) params.append(';').append(c.label()).append(' ').append(c.dims());
        LocalCluster.Results<List<PartyRuns>> res = LocalCluster.run(transports, "bench protocols", params.toString(),
                session, ctx -> {
                    List<PartyRuns> mine = new ArrayList<>();
                    for (ProtocolCases.Case c : cases) {
                        if (ctx.id() == PartyContext.P0) progress.accept(c.label() + " " + c.dims());
                        mine.add(measure(ctx, c.kernel().prepare(ctx), runs + 1));
                    }
                    return mine;
                });
        List<Result> out = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            ProtocolCases.Case c = cases.get(k);
            PartyRuns[] p = {res.of(0).get(k), res.of(1).get(k), res.of(2).get(k)};
            long[] bytes = new long[3];
            int rounds = 0;
            for (int q = 0; q < 3; q++) {
                bytes[q] = p[q].bytes()[0];
                rounds = Math.max(rounds, p[q].rounds()[0]);
            }
            double[] seconds = new double[runs];
            for (int r = 0; r <= runs; r++) {
                int rr = 0;
                long nanos = 0;
                for (int q = 0; q < 3; q++) {
                    if (p[q].bytes()[r] != bytes[q]) {
                        throw new IllegalStateException(c.label() + " " + c.dims() + ": P" + q + " sent "
                                + p[q].bytes()[r] + " bytes in run " + r + " but " + bytes[q] + " in the first");
                    }
                    rr = Math.max(rr, p[q].rounds()[r]);
                    nanos = Math.max(nanos, p[q].nanos()[r]);
                }
                if (rr != rounds) {
                    throw new IllegalStateException(c.label() + " " + c.dims() + ": " + rr + " rounds in run " + r
                            + " but " + rounds + " in the first");
                }
                if (r > 0) seconds[r - 1] = nanos / 1e9; // run 0 is the warm-up
            }
            out.add(new Result(c, seconds, bytes, rounds, c.kernel().bytes(session), c.kernel().rounds(session)));
        }
        return out;
    }

    private static PartyRuns measure(PartyContext ctx, Supplier<long[]> protocol, int total) {
        long[] bytes = new long[total], nanos = new long[total];
        int[] rounds = new int[total];
        for (int r = 0; r < total; r++) {
            synchronise(ctx);
            ctx.ledger().clear();
            long b0 = ctx.stats().bytesSent();
            long t0 = System.nanoTime();
            try (var _ = ctx.meter(SCOPE)) {
                protocol.get();
            }
            nanos[r] = System.nanoTime() - t0;
            bytes[r] = ctx.stats().bytesSent() - b0;
            rounds[r] = (int) ctx.ledger().get(SCOPE).rounds();
        }
        return new PartyRuns(bytes, rounds, nanos);
    }

    /** P1 and P2 tell P0 they are ready; P0 answers go: the three start a run within one message of each other. */
    private static void synchronise(PartyContext ctx) {
        if (ctx.id() == PartyContext.P0) {
            ctx.receiveBytes(PartyContext.P1, 1);
            ctx.receiveBytes(PartyContext.P2, 1);
            ctx.sendBytes(PartyContext.P1, new byte[1]);
            ctx.sendBytes(PartyContext.P2, new byte[1]);
        } else {
            ctx.sendBytes(PartyContext.P0, new byte[1]);
            ctx.receiveBytes(PartyContext.P0, 1);
        }
    }
}
