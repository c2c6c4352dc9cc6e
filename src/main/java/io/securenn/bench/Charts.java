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
}
