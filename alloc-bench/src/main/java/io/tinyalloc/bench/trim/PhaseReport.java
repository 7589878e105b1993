package io.tinyalloc.bench.trim;

import io.tinyalloc.bench.peers.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the phase benchmark once per {@link PhaseVariant}, each in a dedicated JVM (small fixed
 * pre-touched Java heap, so the heap is part of the baseline), one after the other, and prints
 * peak RSS, area under the RSS curve and throughput with their ratios to mimalloc and to TinyAlloc
 * without its trim thread; writes an SVG chart of RSS over time.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp alloc-bench/target/benchmarks.jar \
 *     io.tinyalloc.bench.trim.PhaseReport [cycles peakMiB valleyMiB quietMillis [svgPath]]
 * </pre>
 * A peer that is not installed is skipped with a line saying how to install it.
 */
public final class PhaseReport {

    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch",
            "--enable-native-access=ALL-UNNAMED");

    private PhaseReport() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> workload = args.length >= 4 ? List.of(args[0], args[1], args[2], args[3])
                : List.of("4", "256", "16", "500");
        Path svg = Path.of(args.length >= 5 ? args[4] : "alloc-bench/target/trim-phase-rss.svg");
        System.out.println("phase workload: cycles=" + workload.get(0) + " peak=" + workload.get(1) + " MiB valley="
                + workload.get(2) + " MiB quiet=" + workload.get(3) + " ms");
        List<PhaseResult> results = new ArrayList<>();
        for (PhaseVariant variant : PhaseVariant.values()) {
            Optional<String> missing = Peers.notInstalledLine(variant.peer);
            if (missing.isPresent()) {
                System.out.println("skipped " + variant.label + ": " + missing.get());
                continue;
            }
            results.add(fork(variant, workload));
        }
        print(results);
        if (svg.getParent() != null) {
            Files.createDirectories(svg.getParent());
        }
        Files.writeString(svg, RssChart.svg(results));
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

    private static void print(List<PhaseResult> results) {
        PhaseResult mimalloc = find(results, PhaseVariant.MIMALLOC.label);
        PhaseResult noTrim = find(results, PhaseVariant.TINYALLOC_NO_TRIM_THREAD.label);
        System.out.printf("%-18s %10s %10s %12s %10s %12s %10s %12s%n", "variant", "base MiB", "peak MiB",
                "AUC MiB*s", "AUC/mi", "peak/mi", "Mops/s", "ops/notrim");
        for (PhaseResult r : results) {
            System.out.printf("%-18s %10.1f %10.1f %12.1f %10s %12s %10.2f %12s%n", r.variant(),
                    r.baselineBytes() / 1048576.0, r.peakBytes() / 1048576.0, r.areaMiBSeconds(),
                    ratio(r.areaMiBSeconds(), mimalloc == null ? 0 : mimalloc.areaMiBSeconds()),
                    ratio(r.peakBytes() - r.baselineBytes(), mimalloc == null ? 0
                            : mimalloc.peakBytes() - mimalloc.baselineBytes()),
                    r.throughputMops(), ratio(r.throughputMops(), noTrim == null ? 0 : noTrim.throughputMops()));
        }
    }

    private static String ratio(double value, double reference) {
        return reference <= 0 ? "-" : String.format("%.2f", value / reference);
    }

    private static PhaseResult find(List<PhaseResult> results, String variant) {
        return results.stream().filter(r -> r.variant().equals(variant)).findFirst().orElse(null);
    }
}
