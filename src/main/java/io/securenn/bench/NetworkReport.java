package io.securenn.bench;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.SessionParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** The Markdown report of a network benchmark: conditions, results beside the paper's, charts, the model check. */
public final class NetworkReport {
    private NetworkReport() {}

    /** How the rows were run. mechanism says what produced the rate and the delay (from the netns script). */
    public record Info(String command, NetProfile profile, String mechanism, List<String> machine, int warmup,
                       double warmupSeconds, int runs, MaxPool.Form form, SessionParams session, String jvmOptions,
                       String links) {}

    /** Chart file names beside a report FILE.md: FILE-time.png and FILE-mb.png. */
    public static Path[] chartFiles(Path report) {
        String n = report.getFileName().toString();
        String base = n.endsWith(".md") ? n.substring(0, n.length() - 3) : n;
        return new Path[] {report.resolveSibling(base + "-time.png"), report.resolveSibling(base + "-mb.png")};
    }

    /** Writes the report and its two charts beside it (the report atomically, after the charts). */
    public static void write(Path report, Info info, List<RowResult> rows) {
        try {
            writeCharts(report, info, rows);
        } catch (IOException | RuntimeException e) {
            throw SecureNnException.badInput("cannot write the charts beside " + report + ": " + e.getMessage());
        }
        AtomicFiles.write(report, markdown(report, info, rows).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the two charts beside the report. */
    public static void writeCharts(Path report, Info info, List<RowResult> rows) throws IOException {
        List<RowResult> ok = rows.stream().filter(RowResult::ok).toList();
        if (ok.isEmpty()) return;
        List<String> cats = ok.stream().map(r -> r.benchCase().label()).toList();
        String paper = info.profile().paperSetting() == null ? "paper (no matching setting)"
                : "paper, " + info.profile().paperSetting();
        Path[] files = chartFiles(report);
        Charts.barChartPng(files[0], "Seconds per row: securenn (" + info.profile().name() + ", median) vs paper",
                "seconds (log scale)", cats, List.of(
                        new Charts.Series("securenn, " + info.profile().name(), ok.stream().map(r -> (Double) r.medianSeconds()).toList()),
                        new Charts.Series(paper, ok.stream().map(r -> boxed(r.paperSeconds())).toList())));
        Charts.barChartPng(files[1], "Communication per row (MB, all parties): securenn vs paper",
                "MB = 10^6 bytes (log scale)", cats, List.of(
                        new Charts.Series("securenn", ok.stream().map(r -> (Double) r.totalMb()).toList()),
                        new Charts.Series("paper", ok.stream().map(r -> boxed(r.paperMb())).toList())));
    }

    private static Double boxed(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }

    public static String markdown(Path report, Info info, List<RowResult> rows) {
        StringBuilder b = new StringBuilder();
        NetProfile p = info.profile();
        b.append("# securenn network benchmark: ").append(p.name()).append("\n\n");
        b.append("Command: `").append(info.command()).append("`\n\n");
        b.append("## Machine\n\n```\n");
        for (String l : info.machine()) b.append(l).append('\n');
        String load = Machine.loadAverage();
        if (load != null) b.append("load average (1, 5, 15 min) at the end: ").append(load).append('\n');
        b.append("```\n\n");
        b.append("The three parties are three JVM processes on this one machine: they share its processors with each "
                + "other and with whatever else runs on it (see the load averages). The paper ran each party on its "
                + "own 36-vCPU c4.8xlarge host.\n\n");
        b.append("## Conditions\n\n");
        b.append("- Network: ").append(p.describe()).append(".\n");
        b.append("- Mechanism: ").append(info.mechanism()).append(".\n");
        b.append("- Parties: three OS processes (`securenn bench worker`, one JVM each, options `")
                .append(info.jvmOptions()).append("`), connected pairwise by ").append(info.links()).append("; "
                        + "peak memory is each process's VmHWM (peak resident set) at its end, JVM included.\n");
        b.append("- Each row: warm-up of at least ").append(info.warmup()).append(info.warmup() == 1 ? " run" : " runs")
                .append(" and at least ").append(info.warmupSeconds()).append(" s (P0 decides for all three; the JIT "
                        + "needs many runs of the small rows), then ").append(info.runs())
                .append(" measured runs in the same processes. Before each run the parties meet at a barrier; a run's "
                        + "time is the slowest party's, from the barrier to the end of its part. Reported: median and "
                        + "minimum over the measured runs.\n");
        b.append("- Inference: share a batch of images (P0 deals), forward pass, argmax of the 10 logits (secure "
                + "MaxPool), predicted classes revealed to P0. Training: one SGD iteration at batch 128: share images and "
                + "one-hot labels, forward, the paper's ASM output (ReLU and Division) and δ = ASM − y, backward with "
                + "the weight update of every layer. An ONNX model's row (`--model`): P0 streams the file and shares "
                + "the weights before the runs (no server holds their shares: each is made again at each use), then "
                + "each run shares synthetic inputs uniform in [−1, 1), runs the forward pass and reveals the logits "
                + "to P0 (Porthos's timer).\n");
        b.append("- Data and weights: synthetic uniform images in [0, 1) and `Init.draw` weights (no protocol's cost "
                + "depends on the values). MaxPool form: ").append(info.form().name().toLowerCase(Locale.ROOT))
                .append("; Z_67 wire format: ").append(info.session().zpWire()).append("; DReLU form: ")
                .append(info.session().dreluForm().option()).append(".\n");
        b.append("- Everything is online and counted, P2's included: P2 deals its triples, bit shares and one-hots "
                + "inside each protocol call; there is no offline phase to leave out (the paper also reports 0 offline).\n");
        b.append("- Paper figures (spec §3): inference from Table 7 (batch 1 and 128, LAN and WAN seconds, MB). "
                + "Training from Table 3 (15 epochs at batch 128, extrapolated there from 10 iterations): seconds "
                + "per iteration = hours · 3600 / (15 · 468), 468 = ⌊60000/128⌋ iterations per epoch; e.g. A on the LAN, "
                + "1.03 h → 0.528 s. The paper gives no training MB. ");
        b.append(p.paperSetting() == null ? "This profile matches no paper setting: no ratios.\n"
                : "This profile is compared with the paper's " + p.paperSetting() + " figures"
                + (p.namespaces() ? "" : " (loopback has no network cost at all, so this compares computation)") + ".\n");
        b.append("- Ratio = ours / paper (above 1: we are slower or send more).\n\n");

        b.append("## Results\n\n");
        b.append("| row | median s | min s | paper s | time ratio | MB P0 | MB P1 | MB P2 | MB total | paper MB | MB ratio "
                + "| rounds | peak MB P0 | peak MB P1 | peak MB P2 |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RowResult r : rows) {
            if (!r.ok()) {
                b.append("| ").append(r.benchCase().label()).append(" | failed: ").append(r.error().replace('|', '/'))
                        .append(" |").append(" |".repeat(14)).append('\n');
                continue;
            }
            b.append("| ").append(r.benchCase().label())
                    .append(" | ").append(sec(r.medianSeconds())).append(" | ").append(sec(r.minSeconds()))
                    .append(" | ").append(opt(r.paperSeconds(), NetworkReport::sec))
                    .append(" | ").append(ratio(r.medianSeconds(), r.paperSeconds()));
            for (int q = 0; q < 3; q++) b.append(" | ").append(mb(r.bytes()[q] / 1e6));
            b.append(" | ").append(mb(r.totalMb())).append(" | ").append(opt(r.paperMb(), NetworkReport::mb))
                    .append(" | ").append(ratio(r.totalMb(), r.paperMb()))
                    .append(" | ").append(r.rounds());
            for (int q = 0; q < 3; q++) b.append(" | ").append(String.format(Locale.ROOT, "%.0f", r.peakMb()[q]));
            b.append(" |\n");
        }
        b.append('\n');
        if (p.namespaces() && p.rateMBps() > 0) b.append(linkFloor(p, rows));
        Path[] charts = chartFiles(report);
        if (rows.stream().anyMatch(RowResult::ok)) {
            b.append("![seconds per row, ours and the paper's, log scale](").append(charts[0].getFileName()).append(")\n\n");
            b.append("![MB per row, ours and the paper's, log scale](").append(charts[1].getFileName()).append(")\n\n");
        }
        b.append(modelSection(info, rows));
        return b.toString();
    }

    /**
     * What the shaped links alone cost: rounds · one-way delay + the largest party's bytes / rate (approximate: a
     * party's bytes go over two links, but P0 and P1 send almost everything to each other). The rest of the
     * measured time is computation, scheduling on the shared processors, TLS and the relay.
     */
    static String linkFloor(NetProfile p, List<RowResult> rows) {
        StringBuilder b = new StringBuilder("Link floor ≈ rounds · one-way delay + (largest party's bytes) / rate: the time "
                + "the shaped links alone impose; the rest of the median is computation, TLS and waiting for the shared "
                + "processors.\n\n| row | rounds · delay s | bytes / rate s | link floor s | median s | floor share |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        double delay = p.oneWayDelay().toNanos() / 1e9;
        for (RowResult r : rows) {
            if (!r.ok()) continue;
            long maxBytes = Math.max(r.bytes()[0], Math.max(r.bytes()[1], r.bytes()[2]));
            double lat = r.rounds() * delay, bw = maxBytes / (p.rateMBps() * 1e6), floor = lat + bw;
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.0f %% |%n", r.benchCase().label(), sec(lat),
                    sec(bw), sec(floor), sec(r.medianSeconds()), 100 * floor / r.medianSeconds()));
        }
        return b.append('\n').toString();
    }

    /** Predicted (our protocols' formulas, composed as the layers call them) against measured, and the paper's. */
    static String modelSection(Info info, List<RowResult> rows) {
        StringBuilder b = new StringBuilder("## Communication model\n\n");
        b.append("Predicted: the protocols' published formulas (`MatMul.bytes`, `ReLU.bytes`, `MaxPool.bytes`, "
                + "`DMaxPool.bytes`, `Division.bytes`, …) composed per layer pass exactly as the layers call them "
                + "(`securenn bench model`). Measured: the bytes all three parties sent in the last run and its rounds "
                + "(sequential composition of top-level protocols; largest over the parties). Paper formula: the same "
                + "composition with the whitepaper's per-protocol costs (spec §2: DReLU 664 B, ReLU 704 B, MaxPool 744 B "
                + "per comparison, sequential argmax, MatMul 2 rounds, …) beside the paper's measured MB.\n\n");
        b.append("| row | predicted MB | measured MB | difference (B) | predicted rounds | measured rounds | "
                + "paper-formula MB | paper-formula rounds | paper MB |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> notes = new ArrayList<>();
        for (RowResult r : rows) {
            if (!r.ok()) continue;
            CostModel.Prediction ours = CostModel.predict(r.benchCase(), Formulas.implemented(info.form(), info.session()));
            CostModel.Prediction paper = CostModel.predict(r.benchCase(), Formulas.PAPER);
            long diff = r.totalBytes() - ours.total().bytes();
            b.append("| ").append(r.benchCase().label())
                    .append(" | ").append(mb(ours.total().bytes() / 1e6)).append(" | ").append(mb(r.totalMb()))
                    .append(" | ").append(diff).append(" | ").append(ours.total().rounds()).append(" | ").append(r.rounds())
                    .append(" | ").append(mb(paper.total().bytes() / 1e6)).append(" | ").append(paper.total().rounds())
                    .append(" | ").append(opt(r.paperMb(), NetworkReport::mb)).append(" |\n");
            notes.addAll(scopeDifferences(r, ours));
        }
        b.append('\n');
        if (notes.isEmpty()) {
            b.append("Every layer pass of every row sent exactly the predicted bytes in exactly the predicted rounds.\n");
        } else {
            b.append("Differences per layer pass (a difference is a bug in a formula or in a protocol):\n\n");
            for (String n : notes) b.append("- ").append(n).append('\n');
        }
        return b.toString();
    }

    static List<String> scopeDifferences(RowResult r, CostModel.Prediction p) {
        List<String> out = new ArrayList<>();
        Map<String, Formulas.Cost> measured = new LinkedHashMap<>(r.scopes());
        for (Map.Entry<String, Formulas.Cost> e : p.byScope().entrySet()) {
            Formulas.Cost m = measured.get(e.getKey());
            if (m == null) {
                out.add(r.benchCase().label() + ": " + e.getKey() + " not measured");
            } else if (!m.equals(e.getValue())) {
                out.add(String.format(Locale.ROOT, "%s: %s predicted %d B in %d rounds, measured %d B in %d rounds",
                        r.benchCase().label(), e.getKey(), e.getValue().bytes(), e.getValue().rounds(), m.bytes(), m.rounds()));
            }
        }
        if (r.rounds() != p.total().rounds() || r.totalBytes() != p.total().bytes()) {
            out.add(String.format(Locale.ROOT, "%s: total predicted %d B in %d rounds, measured %d B in %d rounds",
                    r.benchCase().label(), p.total().bytes(), p.total().rounds(), r.totalBytes(), r.rounds()));
        }
        return out;
    }

    static String sec(double s) {
        if (s >= 100) return String.format(Locale.ROOT, "%.0f", s);
        if (s >= 10) return String.format(Locale.ROOT, "%.1f", s);
        if (s >= 1) return String.format(Locale.ROOT, "%.2f", s);
        return String.format(Locale.ROOT, "%.3f", s);
    }

    static String mb(double m) {
        if (m >= 100) return String.format(Locale.ROOT, "%.0f", m);
        if (m >= 10) return String.format(Locale.ROOT, "%.1f", m);
        return String.format(Locale.ROOT, "%.2f", m);
    }

    private static String opt(OptionalDouble d, java.util.function.DoubleFunction<String> f) {
        return d.isPresent() ? f.apply(d.getAsDouble()) : "–";
    }

    static String ratio(double ours, OptionalDouble paper) {
        if (paper.isEmpty() || paper.getAsDouble() <= 0) return "–";
        double r = ours / paper.getAsDouble();
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }
}
