package io.securenn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a JMH CSV result (-rf csv) and prints a Markdown table of every benchmark with its speed relative to the
 * baseline measured in the same run: a method named {@code <family>Baseline…} is the baseline of the methods of its
 * class starting with {@code <family>}; a class with a single baseline uses it for all its methods. Speed-up
 * above 1 means faster than the baseline. Used by scripts/jmh-report.sh.
 */
public final class JmhRatios {
    private JmhRatios() {}

    record Row(String cls, String method, String mode, double score, double error, String unit, String params) {
        boolean baseline() {
            return method.contains("Baseline") || method.equals("baseline");
        }

        String family() {
            int i = method.indexOf("Baseline");
            return i < 0 ? "" : method.substring(0, i);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JmhRatios RESULT.csv");
            System.exit(2);
        }
        System.out.print(markdown(parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8))));
    }

    static List<Row> parse(List<String> lines) {
        List<String> head = split(lines.get(0));
        List<Integer> paramCols = new ArrayList<>();
        for (int i = 0; i < head.size(); i++) if (head.get(i).startsWith("Param: ")) paramCols.add(i);
        List<Row> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) continue;
            List<String> c = split(l);
            String full = c.get(0);
            int dot = full.lastIndexOf('.');
            String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            StringBuilder params = new StringBuilder();
            for (int i : paramCols) {
                if (i < c.size() && !c.get(i).isEmpty()) {
                    params.append(params.isEmpty() ? "" : " ").append(head.get(i).substring(7)).append('=').append(c.get(i));
                }
            }
            rows.add(new Row(cls, full.substring(dot + 1), c.get(1), Double.parseDouble(c.get(4)),
                    c.get(5).isEmpty() || c.get(5).equals("NaN") ? Double.NaN : Double.parseDouble(c.get(5)), c.get(6),
                    params.toString()));
        }
        return rows;
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| benchmark | parameters | score | ± (99.9 %) | unit | baseline | speed vs baseline |\n");
        b.append("|---|---|---:|---:|---|---|---:|\n");
        for (Row r : rows) {
            Row base = r.baseline() ? null : baselineOf(r, rows);
            String ratio = "–";
            if (base != null) {
                // time per operation: baseline / ours; throughput: ours / baseline
                double s = r.mode().equals("thrpt") ? r.score() / base.score() : base.score() / r.score();
                ratio = String.format(Locale.ROOT, "%.2f×", s);
            }
            b.append("| ").append(r.cls()).append('.').append(r.method()).append(" | ").append(r.params())
                    .append(" | ").append(fmt(r.score())).append(" | ").append(Double.isNaN(r.error()) ? "–" : fmt(r.error()))
                    .append(" | ").append(r.unit()).append(" | ")
                    .append(r.baseline() ? "(baseline)" : base == null ? "–" : base.method()).append(" | ").append(ratio).append(" |\n");
        }
        return b.toString();
    }

    static Row baselineOf(Row r, List<Row> rows) {
        List<Row> bases = rows.stream().filter(x -> x.cls().equals(r.cls()) && x.baseline() && x.params().equals(r.params())).toList();
        for (Row x : bases) if (!x.family().isEmpty() && r.method().startsWith(x.family())) return x;
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
