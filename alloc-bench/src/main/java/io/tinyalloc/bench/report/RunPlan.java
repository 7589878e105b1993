package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set runs: the JMH jobs (comparison suites and kernels, each once in this JVM for the
 * in-process peers and once more in a preloaded child JVM per preloaded peer) and the RSS forks.
 *
 * @param name          "quick" or "full"
 * @param pairSizes     the {@code byteSize} values of the pair suite (empty: the annotation's, all nine)
 * @param batchSizes    the {@code byteSize} values of the batch suite (empty: the annotation's)
 * @param callocSizes   the {@code byteSize} values of the calloc suite (empty: the annotation's)
 * @param threadCounts  the kernels' thread counts
 * @param compareTiming JMH timing options of the comparison suites (empty: BenchDefaults)
 * @param kernelTiming  JMH timing options of the kernels (empty: BenchDefaults)
 * @param rssRuns       how many kernel runs an RSS fork does
 */
record RunPlan(String name, List<String> pairSizes, List<String> batchSizes, List<String> callocSizes,
               List<String> threadCounts, List<String> compareTiming, List<String> kernelTiming, int rssRuns) {

    private static final String COMPARE = "io\\.tinyalloc\\.bench\\.compare\\.";
    private static final String TINYALLOC = "tinyalloc";
    private static final String TINYALLOC_SEGMENT_METHOD = "\\.tinyallocSegment$";
    private static final String KERNELS = "io\\.tinyalloc\\.bench\\.workloads\\.KernelBenchmark\\.";

    /**
     * About six minutes on two cores: four sizes, one thread count, short iterations for the
     * single-thread suites, three RSS runs. The kernels get 2 + 4 iterations of a second: one
     * kernel operation takes milliseconds, and with half-second iterations the same build scored
     * larson anywhere from 0.66x to 1.24x mimalloc's throughput.
     */
    static RunPlan quick() {
        return new RunPlan("quick", List.of("16", "256", "4096", "1048576"), List.of("256"), List.of("4096"),
                List.of("2"), List.of("-f", "1", "-wi", "2", "-w", "300ms", "-i", "3", "-r", "300ms"),
                List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "4", "-r", "1s"), 3);
    }

    /** Everything at BenchDefaults' timing: all sizes, 1, 2 and 4 threads, ten runs per RSS fork. */
    static RunPlan full() {
        return new RunPlan("full", List.of(), List.of(), List.of(), List.of("1", "2", "4"), List.of(), List.of(), 10);
    }

    /** Every job of the set. */
    List<JmhJob> jobs(PeerAvailability peers, Path folder) {
        return jobs(peers, folder, RunOptions.SUITES, Kernels.NAMES);
    }

    /** The jobs of the chosen suites, the kernels restricted to {@code kernels}. */
    List<JmhJob> jobs(PeerAvailability peers, Path folder, Set<String> suites, List<String> kernels) {
        List<JmhJob> jobs = new ArrayList<>();
        if (suites.contains("pairs")) {
            addSuite(jobs, "pairs", COMPARE + "PairBenchmark\\.", List.of(sizes(pairSizes)), compareTiming, peers, folder);
        }
        if (suites.contains("batch")) {
            addSuite(jobs, "batch", COMPARE + "BatchBenchmark\\.", List.of(sizes(batchSizes)), compareTiming, peers, folder);
        }
        if (suites.contains("realloc")) {
            addSuite(jobs, "realloc", COMPARE + "ReallocBenchmark\\.", List.of(), compareTiming, peers, folder);
        }
        if (suites.contains("calloc")) {
            addSuite(jobs, "calloc", COMPARE + "CallocBenchmark\\.", List.of(sizes(callocSizes)), compareTiming, peers,
                    folder);
        }
        if (suites.contains("kernels")) {
            addSuite(jobs, "kernels", KERNELS, List.of(List.of("-p", "threads=" + String.join(",", threadCounts)),
                    List.of("-p", "kernel=" + String.join(",", kernels))), kernelTiming, peers, folder);
        }
        return jobs;
    }

    List<RssProbe.Case> rssCases(PeerAvailability peers) {
        return rssCases(peers, Kernels.NAMES);
    }

    List<RssProbe.Case> rssCases(PeerAvailability peers, List<String> kernels) {
        List<RssProbe.Case> cases = new ArrayList<>();
        for (String kernel : kernels) {
            for (String threads : threadCounts) {
                for (String allocator : peers.inProcess()) {
                    cases.add(new RssProbe.Case(kernel, allocator, Map.of(), Integer.parseInt(threads), rssRuns));
                }
                peers.preloaded().forEach((allocator, environment) -> cases.add(
                        new RssProbe.Case(kernel, allocator, environment, Integer.parseInt(threads), rssRuns)));
            }
        }
        return cases;
    }

    /**
     * A suite's job for the in-process peers (every method: Java peers too) and, per preloaded
     * peer, a job of its {@code nativeAllocator} method alone in a child JVM.
     */
    private void addSuite(List<JmhJob> jobs, String suite, String classRegex, List<List<String>> parameters,
                          List<String> timing, PeerAvailability peers, Path folder) {
        List<String> common = new ArrayList<>(timing);
        parameters.forEach(common::addAll);
        List<String> here = new ArrayList<>(List.of(classRegex));
        here.addAll(common);
        if (!peers.has(TINYALLOC)) {
            here.addAll(List.of("-e", TINYALLOC_SEGMENT_METHOD));
        }
        here.addAll(List.of("-p", "allocator=" + String.join(",", peers.inProcess())));
        jobs.add(new JmhJob(suite, withResultFile(here, folder, suite), Map.of()));
        peers.preloaded().forEach((allocator, environment) -> {
            String name = suite + "-" + allocator;
            String regex = classRegex.startsWith(KERNELS) ? classRegex : classRegex + "nativeAllocator$";
            List<String> child = new ArrayList<>(List.of(regex));
            child.addAll(common);
            child.addAll(List.of("-p", "allocator=" + allocator));
            jobs.add(new JmhJob(name, withResultFile(child, folder, name), environment));
        });
    }

    private static List<String> sizes(List<String> byteSizes) {
        return byteSizes.isEmpty() ? List.of() : List.of("-p", "byteSize=" + String.join(",", byteSizes));
    }

    private static List<String> withResultFile(List<String> arguments, Path folder, String jobName) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(List.of("-rf", "json", "-rff", ReportFiles.jmhResult(folder, jobName).toString()));
        return all;
    }
}
