package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.Kernels;
import io.tinyalloc.bench.workloads.RssSample;
import io.tinyalloc.bench.workloads.Scale;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report: per suite, a table of ratios (TinyAlloc against each peer) and a table of raw
 * scores; then peak RSS per kernel. When a run has no TinyAlloc results, ratios are against glibc
 * so that the peers can still be compared, and the report says so.
 */
final class MarkdownReport {

    static final String RSS_SUITE = "rss";
    private static final String THREAD_LOCAL_FLOOR = "floor-thread-local";
    private static final long DESIGN_FLOOR_BUDGET_MAX_BYTES = 4096;

    private MarkdownReport() {
    }

    static String render(ReportContext context, List<Measurement> measurements, List<RssSample> samples) {
        StringBuilder report = new StringBuilder();
        preamble(report, context);
        Map<String, List<Measurement>> bySuite = measurements.stream()
                .collect(Collectors.groupingBy(Measurement::suite, LinkedHashMap::new, Collectors.toList()));
        bySuite.keySet().stream().sorted(Comparator.comparingInt(Suite::order)).forEach(key ->
                suiteSection(report, Suite.ofKey(key), new Grid(bySuite.get(key))));
        if (!samples.isEmpty()) {
            rssSection(report, samples);
        }
        chartsSection(report, context.charts());
        return report.toString();
    }

    /** Peak RSS samples as measurements in MiB (lower is better), rows by kernel and threads. */
    static List<Measurement> rssMeasurements(List<RssSample> samples) {
        return samples.stream().map(sample -> new Measurement(RSS_SUITE,
                rssRow(sample), sample.allocator(), sample.peakKiB() / 1024.0, Double.NaN, "MiB")).toList();
    }

    /** Peak RSS minus the JVM's own baseline, in MiB (at least 1 KiB, so ratios stay finite). */
    static List<Measurement> rssGrowthMeasurements(List<RssSample> samples) {
        return samples.stream().map(sample -> new Measurement(RSS_SUITE, rssRow(sample), sample.allocator(),
                Math.max(1, sample.peakKiB() - sample.baselineKiB()) / 1024.0, Double.NaN, "MiB")).toList();
    }

    private static Map<String, String> rssRow(RssSample sample) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("kernel", sample.kernel());
        row.put("threads", Integer.toString(sample.threads()));
        return row;
    }

    private static void preamble(StringBuilder report, ReportContext context) {
        report.append("# TinyAlloc benchmark report\n\n");
        report.append("Set: **").append(context.setName()).append("**. Machine: ").append(context.machine())
                .append(". Reproduce: `").append(context.reproduce()).append("`.\n\n");
        report.append("How to read the ratios: each compares TinyAlloc with one peer measured side by side in the"
                + " same run. **x faster** = peer time / TinyAlloc time (for throughputs: TinyAlloc / peer):"
                + " above 1.00x TinyAlloc is faster, below 1.00x it is slower. For memory, **x less memory** ="
                + " peer peak RSS / TinyAlloc peak RSS: above 1.00x TinyAlloc needs less.\n\n");
        if (!context.notes().isEmpty()) {
            context.notes().forEach(note -> report.append("- ").append(note).append('\n'));
            report.append('\n');
        }
    }

    private static void suiteSection(StringBuilder report, Suite suite, Grid grid) {
        report.append("## ").append(suite.title()).append("\n\n");
        report.append(suite.description()).append(" Unit: ").append(grid.unit())
                .append(grid.higherIsBetter() ? ", higher is better." : ", lower is better.").append("\n\n");
        ratioTables(report, grid, "x faster");
        if (suite.key().equals("pairs")) {
            floorBudget(report, grid);
        }
        if (suite.key().equals(Suite.KERNELS)) {
            kernelLegend(report);
        }
        report.append("All scores (").append(grid.unit()).append(", \u00b1 half-width of JMH's 99.9% interval):\n\n");
        report.append(scoreTable(grid).render()).append('\n');
    }

    private static void ratioTables(StringBuilder report, Grid grid, String wording) {
        List<String> subjects = grid.peers().stream().filter(PeerOrder::isTinyAlloc).toList();
        if (subjects.isEmpty()) {
            String reference = grid.peers().contains(PeerOrder.GLIBC) ? PeerOrder.GLIBC : grid.peers().getFirst();
            report.append("No TinyAlloc results in this run, so the ratios are ").append(reference)
                    .append(" against each peer.\n\n");
            subjects = List.of(reference);
        }
        for (String subject : subjects) {
            MarkdownTable table = ratioTable(grid, subject);
            if (!table.isEmpty()) {
                report.append("**").append(subject).append("** vs each peer (").append(wording).append("):\n\n");
                report.append(table.render()).append('\n');
            }
        }
    }

    private static MarkdownTable ratioTable(Grid grid, String subject) {
        List<String> peers = grid.peers().stream()
                .filter(peer -> !peer.equals(subject) && !PeerOrder.isTinyAlloc(peer)).toList();
        List<String> header = new ArrayList<>(List.of("case", subject + " (" + grid.unit() + ")"));
        peers.forEach(peer -> header.add("vs " + peer));
        MarkdownTable table = new MarkdownTable(header);
        if (peers.isEmpty()) {
            return table;
        }
        for (Map<String, String> row : grid.rows()) {
            if (grid.cell(row, subject).isEmpty()) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(Rows.label(row),
                    Format.score(grid.score(row, subject), grid.unit())));
            peers.forEach(peer -> cells.add(Format.ratio(grid.advantage(row, subject, peer))));
            table.addRow(cells);
        }
        if (grid.rows().size() > 1 && !table.isEmpty()) {
            List<String> cells = new ArrayList<>(List.of("geometric mean", ""));
            peers.forEach(peer -> cells.add(Format.ratio(grid.geometricMeanAdvantage(subject, peer))));
            table.addRow(cells);
        }
        return table;
    }

    private static MarkdownTable scoreTable(Grid grid) {
        List<String> header = new ArrayList<>(List.of("case"));
        header.addAll(grid.peers());
        MarkdownTable table = new MarkdownTable(header);
        for (Map<String, String> row : grid.rows()) {
            List<String> cells = new ArrayList<>(List.of(Rows.label(row)));
            for (String peer : grid.peers()) {
                cells.add(grid.cell(row, peer).map(MarkdownReport::scoreCell).orElse(""));
            }
            table.addRow(cells);
        }
        return table;
    }

    private static String scoreCell(Measurement measurement) {
        String score = Format.score(measurement.score(), measurement.unit());
        if (Double.isNaN(measurement.error())) {
            return score;
        }
        return score + " \u00b1 " + Format.score(measurement.error(), measurement.unit());
    }

    private static void floorBudget(StringBuilder report, Grid grid) {
        List<String> parts = floorMultiples(grid, "floor");
        if (!parts.isEmpty()) {
            report.append("TinyAlloc's pair time as a multiple of the floor (DESIGN.md budget: at most 2x): ")
                    .append(String.join(", ", parts)).append(".\n\n");
        }
        List<String> threadLocalParts = floorMultiples(grid, THREAD_LOCAL_FLOOR);
        if (!threadLocalParts.isEmpty()) {
            report.append("As a multiple of the same free list found through a ThreadLocal (floor-thread-local,"
                    + " a reference for what a thread lookup costs, not the budget's yardstick): ")
                    .append(String.join(", ", threadLocalParts)).append(".\n\n");
        }
    }

    /** TinyAlloc's pair time over {@code floor}'s, per size up to the budget's largest. */
    private static List<String> floorMultiples(Grid grid, String floor) {
        List<String> parts = new ArrayList<>();
        if (!grid.peers().contains(PeerOrder.TINYALLOC) || !grid.peers().contains(floor)) {
            return parts;
        }
        for (Map<String, String> row : grid.rows()) {
            String byteSize = row.get("byteSize");
            if (byteSize != null && Long.parseLong(byteSize) <= DESIGN_FLOOR_BUDGET_MAX_BYTES) {
                double times = grid.score(row, PeerOrder.TINYALLOC) / grid.score(row, floor);
                parts.add(Rows.label(row) + " " + Format.ratio(times));
            }
        }
        return parts;
    }

    private static void kernelLegend(StringBuilder report) {
        List<String> parts = Kernels.NAMES.stream()
                .map(name -> name + ": " + Kernels.create(name, Scale.TEST).operation() + "/s").toList();
        report.append("Operations counted: ").append(String.join("; ", parts)).append(".\n\n");
    }

    private static void rssSection(StringBuilder report, List<RssSample> samples) {
        Grid grid = new Grid(rssMeasurements(samples));
        long baselineKiB = Math.round(samples.stream().mapToLong(RssSample::baselineKiB).average().orElse(0));
        report.append("## Peak RSS per kernel\n\n");
        report.append("VmHWM of a dedicated JVM (-Xms64m -Xmx64m -XX:+AlwaysPreTouch, so the Java heap is resident"
                + " from the start) that runs one kernel ").append(samples.getFirst().runs())
                .append(" time(s). The JVM alone, before the kernel, peaks at about ")
                .append(Format.mebibytes(baselineKiB)).append(" MiB. Unit: MiB, lower is better.\n\n");
        ratioTables(report, grid, "x less memory");
        report.append("The same on the growth over each JVM's own baseline (what the allocator added):\n\n");
        ratioTables(report, new Grid(rssGrowthMeasurements(samples)), "x less memory");
        report.append("All peaks (MiB; in parentheses, the growth over that JVM's own baseline):\n\n");
        MarkdownTable table = new MarkdownTable(withPeers("case", grid.peers()));
        for (Map<String, String> row : grid.rows()) {
            List<String> cells = new ArrayList<>(List.of(Rows.label(row)));
            for (String peer : grid.peers()) {
                cells.add(samples.stream().filter(sample -> sample.allocator().equals(peer)
                                && rssRow(sample).equals(row)).findFirst()
                        .map(sample -> Format.mebibytes(sample.peakKiB()) + " (+"
                                + Format.mebibytes(sample.peakKiB() - sample.baselineKiB()) + ")")
                        .orElse(""));
            }
            table.addRow(cells);
        }
        report.append(table.render()).append('\n');
    }

    private static List<String> withPeers(String first, List<String> peers) {
        List<String> header = new ArrayList<>(List.of(first));
        header.addAll(peers);
        return header;
    }

    private static void chartsSection(StringBuilder report, List<String> charts) {
        if (charts.isEmpty()) {
            return;
        }
        report.append("## Charts\n\n");
        charts.forEach(chart -> report.append("![").append(chart).append("](").append(chart).append(")\n\n"));
    }
}
