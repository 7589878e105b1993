package io.tinyalloc.bench.trim;

import java.util.List;
import java.util.Locale;

/** An SVG line chart of RSS above each fork's baseline over time, one polyline per variant. */
final class RssChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int MARGIN = 60;
    private static final String[] COLORS = {"#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b"};

    private RssChart() {
    }

    static String svg(List<PhaseResult> results) {
        long maxMillis = 1;
        long maxKiB = 1;
        for (PhaseResult r : results) {
            for (int i = 0; i < r.atMillis().length; i++) {
                maxMillis = Math.max(maxMillis, r.atMillis()[i]);
                maxKiB = Math.max(maxKiB, r.rssKiB()[i] - (r.baselineBytes() >> 10));
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\">RSS above baseline (MiB, max %.0f) over time"
                + " (s, max %.1f): phase-changing workload</text>%n", MARGIN, maxKiB / 1024.0, maxMillis / 1000.0));
        svg.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>%n",
                MARGIN, MARGIN / 2, HEIGHT - MARGIN, WIDTH - MARGIN / 2));
        for (int v = 0; v < results.size(); v++) {
            PhaseResult r = results.get(v);
            String color = COLORS[v % COLORS.length];
            svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color).append("\" points=\"");
            for (int i = 0; i < r.atMillis().length; i++) {
                double x = MARGIN + (WIDTH - 1.5 * MARGIN) * r.atMillis()[i] / maxMillis;
                double y = HEIGHT - MARGIN - (HEIGHT - 1.5 * MARGIN) * Math.max(0, r.rssKiB()[i]
                        - (r.baselineBytes() >> 10)) / maxKiB;
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("\"/>\n");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s (AUC %.1f MiB*s)</text>%n",
                    WIDTH - 300, 40 + 16 * v, color, r.variant(), r.areaMiBSeconds()));
        }
        return svg.append("</svg>\n").toString();
    }
}
