package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chart of named series over categories, drawn as lines with markers ({@link Style#LINES}) or as
 * grouped bars ({@link Style#BARS}). Missing values (NaN) leave gaps. Bars on a logarithmic axis
 * grow from the {@code baseline} value (e.g. 1.0 for ratios), up or down.
 */
final class Chart {

    enum Style { LINES, BARS }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 520;
    private static final double LEFT = 80;
    private static final double RIGHT = 190;
    private static final double TOP = 50;
    private static final double BOTTOM = 110;

    private final String title;
    private final String valueLabel;
    private final List<String> categories;
    private final Map<String, double[]> series = new LinkedHashMap<>();
    private final Style style;
    private final boolean logarithmic;
    private double baseline = Double.NaN;

    Chart(String title, String valueLabel, List<String> categories, Style style, boolean logarithmic) {
        this.title = title;
        this.valueLabel = valueLabel;
        this.categories = List.copyOf(categories);
        this.style = style;
        this.logarithmic = logarithmic;
    }

    /** Values per category, NaN where the series has none. */
    Chart series(String name, double[] values) {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("series " + name + " has " + values.length + " values for "
                    + categories.size() + " categories");
        }
        series.put(name, values.clone());
        return this;
    }

    Chart baseline(double value) {
        this.baseline = value;
        return this;
    }

    String render() {
        Svg svg = new Svg(WIDTH, HEIGHT);
        double plotBottom = HEIGHT - BOTTOM;
        double plotRight = WIDTH - RIGHT;
        List<Double> values = new ArrayList<>();
        series.values().forEach(array -> { for (double v : array) { values.add(v); } });
        if (!Double.isNaN(baseline)) {
            values.add(baseline);
        }
        Axis axis = logarithmic ? Axis.logarithmic(values, plotBottom, TOP) : Axis.linear(values, plotBottom, TOP);
        svg.text(WIDTH / 2.0, 28, title, 18, "middle", 0);
        drawAxis(svg, axis, plotRight, plotBottom);
        double slot = (plotRight - LEFT) / Math.max(1, categories.size());
        for (int index = 0; index < categories.size(); index++) {
            double center = LEFT + slot * (index + 0.5);
            svg.text(center, plotBottom + 16, categories.get(index), 12, "end", -35);
        }
        if (style == Style.LINES) {
            drawLines(svg, axis, slot);
        } else {
            drawBars(svg, axis, slot);
        }
        drawLegend(svg, plotRight);
        return svg.render();
    }

    private void drawAxis(Svg svg, Axis axis, double plotRight, double plotBottom) {
        for (double tick : axis.ticks()) {
            double y = axis.pixel(tick);
            svg.line(LEFT, y, plotRight, y, "#dddddd", 1);
            svg.text(LEFT - 6, y + 4, Format.count(tick), 11, "end", 0);
        }
        svg.line(LEFT, TOP, LEFT, plotBottom, "#333333", 1);
        svg.line(LEFT, plotBottom, plotRight, plotBottom, "#333333", 1);
        String scale = axis.isLogarithmic() ? " (log scale)" : "";
        svg.text(18, (TOP + plotBottom) / 2, valueLabel + scale, 13, "middle", -90);
    }

    private void drawLines(Svg svg, Axis axis, double slot) {
        int seriesIndex = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            String color = colorOf(entry.getKey(), seriesIndex);
            List<double[]> run = new ArrayList<>();
            double[] values = entry.getValue();
            for (int index = 0; index < values.length; index++) {
                if (Double.isNaN(values[index])) {
                    flush(svg, run, color);
                    continue;
                }
                double x = LEFT + slot * (index + 0.5);
                double y = axis.pixel(values[index]);
                run.add(new double[] {x, y});
                svg.circle(x, y, 3.5, color);
            }
            flush(svg, run, color);
            seriesIndex++;
        }
    }

    private static void flush(Svg svg, List<double[]> run, String color) {
        if (run.size() > 1) {
            svg.polyline(run, color);
        }
        run.clear();
    }

    private void drawBars(Svg svg, Axis axis, double slot) {
        int count = Math.max(1, series.size());
        double barWidth = slot * 0.8 / count;
        double from = Double.isNaN(baseline) ? axis.min() : baseline;
        double baseY = axis.pixel(logarithmic ? from : Math.max(0, from));
        int seriesIndex = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            String color = colorOf(entry.getKey(), seriesIndex);
            double[] values = entry.getValue();
            for (int index = 0; index < values.length; index++) {
                if (Double.isNaN(values[index])) {
                    continue;
                }
                double x = LEFT + slot * index + slot * 0.1 + barWidth * seriesIndex;
                double y = axis.pixel(values[index]);
                svg.rect(x, Math.min(y, baseY), Math.max(1, barWidth - 1), Math.max(1, Math.abs(baseY - y)), color);
            }
            seriesIndex++;
        }
        if (!Double.isNaN(baseline)) {
            svg.line(LEFT, baseY, WIDTH - RIGHT, baseY, "#333333", 1.5);
        }
    }

    private void drawLegend(Svg svg, double plotRight) {
        double y = TOP + 10;
        int seriesIndex = 0;
        for (String name : series.keySet()) {
            svg.rect(plotRight + 20, y - 10, 14, 14, colorOf(name, seriesIndex++));
            svg.text(plotRight + 40, y + 2, name, 13, "start", 0);
            y += 22;
        }
    }

    /** A peer keeps its color in every chart; unknown series take the colors after the known ones. */
    private static String colorOf(String name, int seriesIndex) {
        int rank = PeerOrder.rank(name);
        return Svg.color(rank < PeerOrder.KNOWN_COUNT ? rank : rank + seriesIndex);
    }
}
