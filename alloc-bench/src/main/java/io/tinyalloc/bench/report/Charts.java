package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.RssSample;
import java.util.ArrayList;
import java.util.List;

/** The report's SVG charts, built from the same measurements as its tables. */
final class Charts {

    record ChartFile(String fileName, String svg) {
    }

    private Charts() {
    }

    static List<ChartFile> build(List<Measurement> measurements, List<RssSample> samples) {
        List<ChartFile> charts = new ArrayList<>();
        List<Measurement> pairs = measurements.stream().filter(m -> m.suite().equals("pairs")).toList();
        if (!pairs.isEmpty()) {
            charts.add(new ChartFile("pairs.svg", pairTimes(new Grid(pairs))));
        }
        List<Measurement> kernels = measurements.stream().filter(m -> m.suite().equals(Suite.KERNELS)).toList();
        if (!kernels.isEmpty()) {
            charts.add(new ChartFile("kernels-throughput.svg", kernelThroughput(new Grid(kernels))));
        }
        if (!samples.isEmpty()) {
            charts.add(new ChartFile("kernels-rss.svg", kernelRss(new Grid(MarkdownReport.rssMeasurements(samples)))));
        }
        return charts;
    }

    /** Time per malloc + free pair against block size, one line per peer, log scale. */
    static String pairTimes(Grid grid) {
        Chart chart = new Chart("malloc + free pair: time per pair by block size (lower is better)",
                grid.unit(), labels(grid), Chart.Style.LINES, true);
        for (String peer : grid.peers()) {
            chart.series(peer, grid.rows().stream().mapToDouble(row -> grid.score(row, peer)).toArray());
        }
        return chart.render();
    }

    /** Each kernel's throughput relative to glibc's (1.0), one bar per allocator, log scale. */
    static String kernelThroughput(Grid grid) {
        String reference = grid.peers().contains(PeerOrder.GLIBC) ? PeerOrder.GLIBC : grid.peers().getFirst();
        Chart chart = new Chart("Kernel throughput relative to " + reference + " (higher is better)",
                "x " + reference + " throughput", labels(grid), Chart.Style.BARS, true).baseline(1.0);
        for (String peer : grid.peers()) {
            chart.series(peer, grid.rows().stream()
                    .mapToDouble(row -> grid.score(row, peer) / grid.score(row, reference)).toArray());
        }
        return chart.render();
    }

    /** Each kernel's peak RSS in MiB, one bar per allocator. */
    static String kernelRss(Grid grid) {
        Chart chart = new Chart("Peak RSS per kernel, whole JVM (lower is better)", "MiB", labels(grid),
                Chart.Style.BARS, false);
        for (String peer : grid.peers()) {
            chart.series(peer, grid.rows().stream().mapToDouble(row -> grid.score(row, peer)).toArray());
        }
        return chart.render();
    }

    private static List<String> labels(Grid grid) {
        return grid.rows().stream().map(Rows::label).map(Charts::shorten).toList();
    }

    private static String shorten(String label) {
        return label.replace(" threads", "t").replace(" thread", "t");
    }

    static List<String> fileNames(List<ChartFile> charts) {
        return charts.stream().map(ChartFile::fileName).toList();
    }
}
