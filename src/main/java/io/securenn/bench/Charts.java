package io.securenn.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Bar charts of the report (ours beside the paper's, log scale), as PNG through XChart. */
public final class Charts {
    private Charts() {}

    /** One series of bars: a value per category, null where there is none. */
    public record Series(String name, List<Double> values) {}

    /** Renders a grouped bar chart with a logarithmic y axis to a PNG file. */
    public static void barChartPng(Path file, String title, String yAxis, List<String> categories, List<Series> series)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(560).title(title)
                .yAxisTitle(yAxis).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(40);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Series s : series) {
            List<Double> v = new ArrayList<>(s.values());
            // a log axis cannot show 0; a missing figure stays a gap
            for (int i = 0; i < v.size(); i++) {
                Double x = v.get(i);
                if (x != null && x <= 0) v.set(i, null);
                if (x != null && x > 0) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            chart.addSeries(s.name(), categories, v);
        }
        if (hi == 0) return;
        // bars are anchored at 0 unless the axis range is given: whole decades around the data
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi) + 1e-9)));
        if (file.toAbsolutePath().getParent() != null) java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        String name = file.toAbsolutePath().toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
    }

    /** Line chart of per-epoch curves (loss and accuracies of a training run) to a PNG file, written atomically. */
    public static void curvesPng(Path file, String title, List<Integer> epochs, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("epoch").yAxisTitle("loss / accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisMin(0.0);
        List<Double> xs = new ArrayList<>();
        for (int e : epochs) xs.add((double) e);
        for (Series s : series) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < s.values().size(); i++) {
                Double v = s.values().get(i);
                if (v != null && Double.isFinite(v)) {
                    x.add(xs.get(i));
                    y.add(v);
                }
            }
            if (!x.isEmpty()) chart.addSeries(s.name(), x, y);
        }
        if (chart.getSeriesMap().isEmpty()) return;
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) java.nio.file.Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        String base = tmp.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);   // appends .png
        java.nio.file.Files.move(Path.of(base + ".png"), abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
