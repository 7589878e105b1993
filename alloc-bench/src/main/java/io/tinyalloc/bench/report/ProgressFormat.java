package io.tinyalloc.bench.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH output as one progress line per benchmark ({@code [job 3] Class.method a=1 b=2 ... 21.4 ± 0.3
 * ns/op}), instead of JMH's page per benchmark. Messages JMH prints (failures with their stack
 * traces, the forked JVM's own output) pass through, except JMH's own headers and the JDK's warning
 * about JMH's use of the JDK's deprecated {@code Unsafe} class, which every fork repeats; with {@code summary}, the
 * end of the run prints every score once more as a table.
 */
final class ProgressFormat implements OutputFormat {

    /** Marks the JVM's warnings about JMH calling the deprecated Unsafe class (nothing here uses it). */
    private static final String JMH_UNSAFE_WARNING = "sun.misc.Unsafe";

    private final PrintStream out;
    private final String job;
    private final boolean summary;
    private final ByteArrayOutputStream pendingOutput = new ByteArrayOutputStream();
    private int benchmarkNumber;

    ProgressFormat(PrintStream out, String job, boolean summary) {
        this.out = out;
        this.job = job;
        this.summary = summary;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        benchmarkNumber++;
        out.print("[" + job + " " + benchmarkNumber + "] " + describe(params) + " ... ");
        out.flush();
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (result == null) {
            out.println("failed");
            return;
        }
        out.println(scoreText(result));
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        if (!summary || results.isEmpty()) {
            return;
        }
        out.println();
        List<String> header = List.of("benchmark", "parameters", "score", "unit");
        MarkdownTable table = new MarkdownTable(header);
        for (RunResult result : results) {
            BenchmarkResult aggregate = result.getAggregatedResult();
            Result<?> primary = aggregate.getPrimaryResult();
            table.addRow(new ArrayList<>(List.of(shortName(result.getParams().getBenchmark()),
                    parameters(result.getParams()), Format.significant(primary.getScore()) + " \u00b1 "
                            + Format.significant(primary.getScoreError()), primary.getScoreUnit())));
        }
        out.print(table.render());
    }

    @Override
    public void println(String line) {
        if (!isNoise(line)) {
            out.println(line);
        }
    }

    static boolean isNoise(String line) {
        return line.isBlank() || line.startsWith("# ") || line.startsWith("Benchmark result is saved to")
                || (line.startsWith("WARNING:") && (line.contains(JMH_UNSAFE_WARNING) || line.contains("org.openjdk.jmh")));
    }

    @Override
    public void print(String text) {
        out.print(text);
    }

    @Override
    public void verbosePrintln(String line) {
        // JMH's verbose chatter (fork command lines, timings) is not progress.
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        // One line per benchmark, not per iteration.
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        // One line per benchmark, not per iteration.
    }

    @Override
    public void startRun() {
        // Nothing before the first benchmark.
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        if (pendingOutput.size() > 0) {
            println(pendingOutput.toString(StandardCharsets.UTF_8));
            pendingOutput.reset();
        }
        out.flush();
    }

    /** The forked JVM's raw output arrives here; it is cut into lines so that noise can be dropped. */
    @Override
    public void write(int b) {
        if (b == '\n') {
            println(pendingOutput.toString(StandardCharsets.UTF_8));
            pendingOutput.reset();
        } else {
            pendingOutput.write(b);
        }
    }

    @Override
    public void write(byte[] b) {
        for (byte value : b) {
            write(value);
        }
    }

    private static String scoreText(BenchmarkResult result) {
        Result<?> primary = result.getPrimaryResult();
        StringBuilder text = new StringBuilder(score(primary));
        Result<?> operations = result.getSecondaryResults().get(JmhResults.KERNEL_METRIC);
        if (operations != null) {
            text.append(" (").append(score(operations)).append(' ').append(JmhResults.KERNEL_METRIC).append(')');
        }
        return text.toString();
    }

    private static String score(Result<?> result) {
        String unit = result.getScoreUnit();
        String error = Double.isNaN(result.getScoreError()) ? "" : " \u00b1 " + Format.score(result.getScoreError(), unit);
        return Format.score(result.getScore(), unit) + error + " " + unit;
    }

    private static String describe(BenchmarkParams params) {
        String parameters = parameters(params);
        return shortName(params.getBenchmark()) + (parameters.isEmpty() ? "" : " " + parameters);
    }

    private static String parameters(BenchmarkParams params) {
        List<String> parts = new ArrayList<>();
        for (String key : params.getParamsKeys()) {
            parts.add(key + "=" + params.getParam(key));
        }
        return String.join(" ", parts);
    }

    /** io.tinyalloc.bench.compare.PairBenchmark.floor -> PairBenchmark.floor */
    private static String shortName(String benchmark) {
        int methodDot = benchmark.lastIndexOf('.');
        int classDot = benchmark.lastIndexOf('.', methodDot - 1);
        return benchmark.substring(classDot + 1);
    }
}
