package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.RssSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The result folder: JMH's {@code jmh-*.json} files and {@code rss.json} in, {@code report.md} and
 * the SVG charts out.
 */
final class ReportFiles {

    static final String REPORT = "report.md";
    static final String JMH_PREFIX = "jmh-";

    private ReportFiles() {
    }

    static Path jmhResult(Path folder, String jobName) {
        return folder.resolve(JMH_PREFIX + jobName + ".json").toAbsolutePath();
    }

    /** Writes the report and charts from what the folder holds and returns the report's text. */
    static String generate(Path folder, ReportContext context) {
        createFolder(folder);
        List<Measurement> measurements = readMeasurements(folder);
        List<RssSample> samples = readRss(folder);
        List<Charts.ChartFile> charts = Charts.build(measurements, samples);
        for (Charts.ChartFile chart : charts) {
            write(folder.resolve(chart.fileName()), chart.svg());
        }
        ReportContext withCharts = new ReportContext(context.setName(), context.machine(), context.reproduce(),
                context.notes(), Charts.fileNames(charts));
        String report = MarkdownReport.render(withCharts, measurements, samples);
        write(folder.resolve(REPORT), report);
        return report;
    }

    static void writeRss(Path folder, List<RssSample> samples) {
        write(folder.resolve(RssFile.NAME), RssFile.write(samples));
    }

    /** Removes the files a previous run left, so a report never mixes two runs. */
    static void clean(Path folder) {
        createFolder(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                boolean ours = (name.startsWith(JMH_PREFIX) && name.endsWith(".json")) || name.equals(RssFile.NAME)
                        || name.equals(REPORT) || name.endsWith(".svg");
                if (ours) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Measurement> readMeasurements(Path folder) {
        List<Measurement> measurements = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(JMH_PREFIX) && name.endsWith(".json") && Files.size(file) > 0) {
                    measurements.addAll(JmhResults.parse(Files.readString(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return measurements;
    }

    private static List<RssSample> readRss(Path folder) {
        Path file = folder.resolve(RssFile.NAME);
        try {
            return Files.isRegularFile(file) ? RssFile.read(Files.readString(file)) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
