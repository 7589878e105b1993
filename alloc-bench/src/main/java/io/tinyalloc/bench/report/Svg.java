package io.tinyalloc.bench.report;

import java.util.List;
import java.util.Locale;

/** A minimal SVG document writer: the few elements the charts use, with XML escaping. */
final class Svg {

    /** Series colors, by peer order (colorblind-friendly first). */
    private static final List<String> PALETTE = List.of("#d62728", "#ff7f0e", "#7f7f7f", "#1f77b4", "#2ca02c",
            "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939");

    private final StringBuilder body = new StringBuilder();
    private final int width;
    private final int height;

    Svg(int width, int height) {
        this.width = width;
        this.height = height;
    }

    static String color(int index) {
        return PALETTE.get(Math.floorMod(index, PALETTE.size()));
    }

    Svg rect(double x, double y, double w, double h, String fill) {
        body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, y, w, h, escape(fill)));
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth) {
        body.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
                x1, y1, x2, y2, escape(stroke), strokeWidth));
        return this;
    }

    Svg circle(double x, double y, double radius, String fill) {
        body.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n",
                x, y, radius, escape(fill)));
        return this;
    }

    Svg polyline(List<double[]> points, String stroke) {
        StringBuilder coordinates = new StringBuilder();
        for (double[] point : points) {
            coordinates.append(String.format(Locale.ROOT, "%.1f,%.1f ", point[0], point[1]));
        }
        body.append("<polyline fill=\"none\" stroke=\"").append(escape(stroke)).append("\" stroke-width=\"2\" points=\"")
                .append(coordinates.toString().trim()).append("\"/>\n");
        return this;
    }

    /** Text; {@code anchor} is start, middle or end; {@code rotate} in degrees around the anchor. */
    Svg text(double x, double y, String text, int fontSize, String anchor, double rotate) {
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"",
                x, y, fontSize, anchor));
        if (rotate != 0) {
            body.append(String.format(Locale.ROOT, " transform=\"rotate(%.0f %.1f %.1f)\"", rotate, x, y));
        }
        body.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    String render() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"sans-serif\">\n"
                + "<rect x=\"0\" y=\"0\" width=\"" + width + "\" height=\"" + height + "\" fill=\"white\"/>\n"
                + body + "</svg>\n";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
