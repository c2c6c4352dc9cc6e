package io.securenn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads JMH CSV results (-rf csv; several files are concatenated) and prints a Markdown table of every benchmark
 * with its speed relative to the baseline measured in the same run: a method named {@code <family>Baseline…} is
 * the baseline of the methods of its class starting with {@code <family>} (the longest such family where several
 * start the name: a kernel's scalar twin before a family-wide floor); a class with a single baseline uses it
 * for all its methods. A baseline applies to the rows whose parameters include all of its own (a baseline without
 * the provider parameter serves every provider). Sample-time benchmarks also get their median (JMH's p0.50
 * row), and their speed is the ratio of medians; otherwise the ratio of scores. Speed-up above 1 means faster
 * than the baseline. Used by scripts/jmh-report.sh.
 */
public final class JmhRatios {
    private JmhRatios() {}

    record Row(String cls, String method, String mode, double score, double error, String unit, String params,
               double median) {
        boolean baseline() {
            return method.contains("Baseline") || method.startsWith("baseline");
        }

        String family() {
            int i = method.indexOf("Baseline");
            return i < 0 ? "" : method.substring(0, i);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JmhRatios RESULT.csv [MORE.csv ...]");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String a : args) rows.addAll(parse(Files.readAllLines(Path.of(a), StandardCharsets.UTF_8)));
        System.out.print(markdown(rows));
    }

    static List<Row> parse(List<String> lines) {
        List<String> head = split(lines.get(0));
        List<Integer> paramCols = new ArrayList<>();
        for (int i = 0; i < head.size(); i++) if (head.get(i).startsWith("Param: ")) paramCols.add(i);
        // secondary results (sample-time percentiles) are named <benchmark>:<label>; keep the medians
        java.util.Map<String, Double> medians = new java.util.HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) continue;
            List<String> c = split(l);
            int colon = c.get(0).indexOf(':');
            if (colon >= 0 && c.get(0).endsWith("p0.50")) {
                medians.put(c.get(0).substring(0, colon) + "|" + params(c, head, paramCols), Double.parseDouble(c.get(4)));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) continue;
            List<String> c = split(l);
            String full = c.get(0);
            if (full.contains(":")) continue;
            String params = params(c, head, paramCols);
            int dot = full.lastIndexOf('.');
            String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            rows.add(new Row(cls, full.substring(dot + 1), c.get(1), Double.parseDouble(c.get(4)),
                    c.get(5).isEmpty() || c.get(5).equals("NaN") ? Double.NaN : Double.parseDouble(c.get(5)), c.get(6),
                    params, medians.getOrDefault(full + "|" + params, Double.NaN)));
        }
        return rows;
    }

    private static String params(List<String> c, List<String> head, List<Integer> paramCols) {
        StringBuilder params = new StringBuilder();
        for (int i : paramCols) {
            if (i < c.size() && !c.get(i).isEmpty()) {
                params.append(params.isEmpty() ? "" : " ").append(head.get(i).substring(7)).append('=').append(c.get(i));
            }
        }
        return params.toString();
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| benchmark | parameters | score | ± (99.9 %) | median | unit | baseline | speed vs baseline |\n");
        b.append("|---|---|---:|---:|---:|---|---|---:|\n");
        for (Row r : rows) {
            Row base = r.baseline() ? null : baselineOf(r, rows);
            String ratio = "–";
            if (base != null) {
                boolean medians = !Double.isNaN(r.median()) && !Double.isNaN(base.median());
                double ours = medians ? r.median() : r.score(), theirs = medians ? base.median() : base.score();
                // time per operation: baseline / ours; throughput: ours / baseline
                double s = r.mode().equals("thrpt") ? ours / theirs : theirs / ours;
                ratio = String.format(Locale.ROOT, "%.2f×", s);
            }
            b.append("| ").append(r.cls()).append('.').append(r.method()).append(" | ").append(r.params())
                    .append(" | ").append(fmt(r.score())).append(" | ").append(Double.isNaN(r.error()) ? "–" : fmt(r.error()))
                    .append(" | ").append(Double.isNaN(r.median()) ? "–" : fmt(r.median()))
                    .append(" | ").append(r.unit()).append(" | ")
                    .append(r.baseline() ? "(baseline)" : base == null ? "–" : base.method()).append(" | ").append(ratio).append(" |\n");
        }
        return b.toString();
    }

    static Row baselineOf(Row r, List<Row> rows) {
        List<String> mine = List.of(r.params().split(" "));
        List<Row> bases = rows.stream().filter(x -> x.cls().equals(r.cls()) && x.baseline()
                && (x.params().isEmpty() || mine.containsAll(List.of(x.params().split(" "))))).toList();
        // the longest family that starts the method's name: modPPrgBaselineScalar before modPBaseline… for modPPrg
        Row best = null;
        for (Row x : bases) {
            if (!x.family().isEmpty() && r.method().startsWith(x.family())
                    && (best == null || x.family().length() > best.family().length())) best = x;
        }
        if (best != null) return best;
        long families = bases.stream().map(Row::method).distinct().count();
        return families == 1 ? bases.get(0) : null;
    }

    private static String fmt(double x) {
        return x >= 100 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.3g", x);
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(ch);
        }
        out.add(cur.toString());
        return out;
    }
}
