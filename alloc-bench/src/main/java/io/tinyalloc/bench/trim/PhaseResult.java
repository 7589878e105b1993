package io.tinyalloc.bench.trim;

import java.util.ArrayList;
import java.util.List;

/**
 * What one fork of the phase benchmark measured: throughput of the active phases, the RSS
 * baseline (first sample), peak RSS, and the area under the RSS curve above the baseline
 * (MiB x s, trapezoids), plus the samples for the chart. One text line of {@code key=value}
 * fields; {@code samples=} last, as {@code ms:KiB} pairs.
 */
record PhaseResult(String variant, long operations, long activeNanos, long baselineBytes, long peakBytes,
                   double areaMiBSeconds, long[] atMillis, long[] rssKiB) {

    private static final String PREFIX = "phase ";
    private static final double MIB = 1 << 20;

    static PhaseResult of(String variant, long operations, long activeNanos, long[][] samples) {
        long[] at = samples[0];
        long[] rss = samples[1];
        long baseline = rss.length == 0 ? 0 : rss[0];
        long peak = 0;
        double area = 0;
        for (int i = 0; i < rss.length; i++) {
            peak = Math.max(peak, rss[i]);
            if (i > 0) {
                double above = (Math.max(0, rss[i] - baseline) + Math.max(0, rss[i - 1] - baseline)) / 2.0 / MIB;
                area += above * (at[i] - at[i - 1]) / 1e9;
            }
        }
        long[] millis = new long[at.length];
        long[] kib = new long[rss.length];
        for (int i = 0; i < at.length; i++) {
            millis[i] = at[i] / 1_000_000;
            kib[i] = rss[i] >> 10;
        }
        return new PhaseResult(variant, operations, activeNanos, baseline, peak, area, millis, kib);
    }

    double throughputMops() {
        return activeNanos == 0 ? 0 : operations * 1e3 / activeNanos;
    }

    String toLine() {
        StringBuilder line = new StringBuilder(PREFIX).append("variant=").append(variant)
                .append(" operations=").append(operations).append(" activeNanos=").append(activeNanos)
                .append(" baselineBytes=").append(baselineBytes).append(" peakBytes=").append(peakBytes)
                .append(" areaMiBSeconds=").append(areaMiBSeconds).append(" samples=");
        for (int i = 0; i < atMillis.length; i++) {
            line.append(i == 0 ? "" : ",").append(atMillis[i]).append(':').append(rssKiB[i]);
        }
        return line.toString();
    }

    /** Parses a line printed by {@link #toLine()}; null if the line is not one. */
    static PhaseResult parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        for (String field : line.substring(PREFIX.length()).split(" ")) {
            int equals = field.indexOf('=');
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        List<long[]> pairs = new ArrayList<>();
        for (String pair : fields.get("samples").split(",")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                pairs.add(new long[] {Long.parseLong(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1))});
            }
        }
        return new PhaseResult(fields.get("variant"), Long.parseLong(fields.get("operations")),
                Long.parseLong(fields.get("activeNanos")), Long.parseLong(fields.get("baselineBytes")),
                Long.parseLong(fields.get("peakBytes")), Double.parseDouble(fields.get("areaMiBSeconds")),
                pairs.stream().mapToLong(p -> p[0]).toArray(), pairs.stream().mapToLong(p -> p[1]).toArray());
    }
}
