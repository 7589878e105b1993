package io.tinyalloc.bench.trim;

import io.tinyalloc.bench.Medians;
import io.tinyalloc.bench.peers.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Runs the phase benchmark for every {@link PhaseVariant}, each run in a dedicated JVM (small fixed
 * pre-touched Java heap, so the heap is part of the baseline), one after the other, in rounds: each
 * round runs every variant once, so drift on a noisy machine falls on all of them alike. Prints
 * peak RSS, area under the RSS curve and throughput, and their ratios to mimalloc and to TinyAlloc
 * without its trim thread taken within each round: the median over the rounds and the range.
 * Writes an SVG chart of RSS over time from the last round.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp alloc-bench/target/benchmarks.jar \
 *     io.tinyalloc.bench.trim.PhaseReport [cycles peakMiB valleyMiB quietMillis [rounds [svgPath]]]
 * </pre>
 * A peer that is not installed is skipped with a line saying how to install it.
 */
public final class PhaseReport {

    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch",
            "--enable-native-access=ALL-UNNAMED");
    private static final int DEFAULT_ROUNDS = 3;

    private PhaseReport() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> workload = args.length >= 4 ? List.of(args[0], args[1], args[2], args[3])
                : List.of("4", "256", "16", "500");
        int rounds = args.length >= 5 ? Integer.parseInt(args[4]) : DEFAULT_ROUNDS;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1: rounds=" + rounds);
        }
        Path svg = Path.of(args.length >= 6 ? args[5] : "alloc-bench/target/trim-phase-rss.svg");
        System.out.println("phase workload: cycles=" + workload.get(0) + " peak=" + workload.get(1) + " MiB valley="
                + workload.get(2) + " MiB quiet=" + workload.get(3) + " ms rounds=" + rounds);
        List<PhaseVariant> variants = new ArrayList<>();
        for (PhaseVariant variant : PhaseVariant.values()) {
            Optional<String> missing = Peers.notInstalledLine(variant.peer);
            if (missing.isPresent()) {
                System.out.println("skipped " + variant.label + ": " + missing.get());
            } else {
                variants.add(variant);
            }
        }
        List<List<PhaseResult>> byRound = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<PhaseResult> results = new ArrayList<>();
            for (PhaseVariant variant : variants) {
                results.add(fork(variant, workload));
            }
            byRound.add(results);
            System.out.println("round " + (round + 1) + " of " + rounds + " done");
        }
        print(variants, byRound);
        if (svg.getParent() != null) {
            Files.createDirectories(svg.getParent());
        }
        Files.writeString(svg, RssChart.svg(byRound.get(byRound.size() - 1)));
        System.out.println("chart: " + svg.toAbsolutePath());
    }

    private static PhaseResult fork(PhaseVariant variant, List<String> workload) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(variant.jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PhaseMain.class.getName());
        command.add(variant.label);
        command.addAll(workload);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        PhaseResult result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                PhaseResult parsed = PhaseResult.parse(line);
                if (parsed != null) {
                    result = parsed;
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("fork for " + variant.label + " failed with exit code " + exit + ":\n" + output);
        }
        return result;
    }

    private static void print(List<PhaseVariant> variants, List<List<PhaseResult>> byRound) {
        System.out.printf("%-18s %9s %9s %10s %16s %10s %8s %16s%n", "variant", "base MiB", "peak MiB",
                "AUC MiB*s", "AUC/mi", "peak/mi", "Mops/s", "ops/notrim");
        for (PhaseVariant variant : variants) {
            String label = variant.label;
            double[] base = column(byRound, r -> value(r, label, x -> x.baselineBytes() / 1048576.0));
            double[] peak = column(byRound, r -> value(r, label, x -> x.peakBytes() / 1048576.0));
            double[] area = column(byRound, r -> value(r, label, PhaseResult::areaMiBSeconds));
            double[] mops = column(byRound, r -> value(r, label, PhaseResult::throughputMops));
            double[] areaRatio = column(byRound, r -> ratio(value(r, label, PhaseResult::areaMiBSeconds),
                    value(r, PhaseVariant.MIMALLOC.label, PhaseResult::areaMiBSeconds)));
            double[] peakRatio = column(byRound, r -> ratio(value(r, label, PhaseReport::peakAboveBaseline),
                    value(r, PhaseVariant.MIMALLOC.label, PhaseReport::peakAboveBaseline)));
            double[] opsRatio = column(byRound, r -> ratio(value(r, label, PhaseResult::throughputMops),
                    value(r, PhaseVariant.TINYALLOC_NO_TRIM_THREAD.label, PhaseResult::throughputMops)));
            System.out.printf("%-18s %9.1f %9.1f %10.1f %16s %10s %8.2f %16s%n", label, Medians.of(base), Medians.of(peak),
                    Medians.of(area), withRange(areaRatio), format(Medians.of(peakRatio)), Medians.of(mops), withRange(opsRatio));
        }
        System.out.println("values are medians over the rounds; ratios are taken within each round, "
                + "as median [min-max]");
    }

    private static double peakAboveBaseline(PhaseResult result) {
        return result.peakBytes() - result.baselineBytes();
    }

    private static double value(List<PhaseResult> round, String variant, ToDoubleFunction<PhaseResult> metric) {
        return round.stream().filter(r -> r.variant().equals(variant)).mapToDouble(metric).findFirst().orElse(Double.NaN);
    }

    private static double[] column(List<List<PhaseResult>> byRound, ToDoubleFunction<List<PhaseResult>> metric) {
        return byRound.stream().mapToDouble(metric).toArray();
    }

    private static double ratio(double value, double reference) {
        return reference > 0 ? value / reference : Double.NaN;
    }

    private static String withRange(double[] ratios) {
        if (ratios.length == 1) {
            return format(ratios[0]);
        }
        double min = Arrays.stream(ratios).min().orElse(Double.NaN);
        double max = Arrays.stream(ratios).max().orElse(Double.NaN);
        return format(Medians.of(ratios)) + " [" + format(min) + "-" + format(max) + "]";
    }

    private static String format(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format("%.2f", ratio);
    }
}
