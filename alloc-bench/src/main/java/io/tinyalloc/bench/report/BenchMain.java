package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.Kernels;
import io.tinyalloc.bench.workloads.RssSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark runner behind {@code ./bench}: runs the quick or full set (or one module's suite),
 * prints a progress line per benchmark, writes JMH JSON, measures peak RSS in dedicated forks, and
 * turns it all into {@code report.md} (printed too) and SVG charts. See {@link RunOptions#USAGE}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (!arguments.isEmpty() && arguments.getFirst().equals(JmhLauncher.CHILD_FLAG)) {
            boolean ok = JmhLauncher.runHere(arguments.get(1), arguments.subList(2, arguments.size()), false);
            System.exit(ok ? 0 : 1);
        }
        if (arguments.contains("--help")) {
            System.out.print(RunOptions.USAGE);
            return;
        }
        RunOptions options;
        try {
            options = RunOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.module() != null) {
            runModule(options);
        } else {
            runSet(options, reproduceCommand(arguments));
        }
    }

    private static void runModule(RunOptions options) {
        List<String> jmhArgs = new ArrayList<>(List.of("io\\.tinyalloc\\.bench\\." + options.module() + "\\."));
        if (options.quick()) {
            jmhArgs.addAll(RunPlan.quick().compareTiming());
        }
        String job = "module-" + options.module();
        jmhArgs.addAll(List.of("-rf", "json", "-rff", ReportFiles.jmhResult(options.folder(), job).toString()));
        ReportFiles.createFolder(options.folder());
        JmhLauncher.runHere(job, jmhArgs, true);
    }

    /** The ./bench command that runs the same set again: the arguments less where the output went. */
    static String reproduceCommand(List<String> arguments) {
        List<String> kept = new ArrayList<>();
        for (int index = 0; index < arguments.size(); index++) {
            switch (arguments.get(index)) {
                case "--report-only" -> { }
                case "--out" -> index++;
                default -> kept.add(arguments.get(index));
            }
        }
        return ("./bench " + String.join(" ", kept)).trim();
    }

    private static void runSet(RunOptions options, String reproduce) {
        RunPlan plan = options.full() ? RunPlan.full() : RunPlan.quick();
        PeerAvailability peers = PeerAvailability.detect();
        peers.notes().forEach(System.out::println);
        if (!options.reportOnly()) {
            ReportFiles.clean(options.folder());
            List<String> kernels = options.kernels().isEmpty() ? Kernels.NAMES : options.kernels();
            for (JmhJob job : plan.jobs(peers, options.folder(), options.suites(), kernels)) {
                JmhLauncher.run(job, false);
            }
            if (options.rss()) {
                List<RssSample> samples = RssProbe.run(plan.rssCases(peers, kernels));
                ReportFiles.writeRss(options.folder(), samples);
            }
        }
        ReportContext context = new ReportContext(plan.name(), Machine.describe(), reproduce, peers.notes(), List.of());
        String report = ReportFiles.generate(options.folder(), context);
        System.out.println();
        System.out.print(report);
        System.out.println("Report and charts: " + options.folder().toAbsolutePath());
    }
}
