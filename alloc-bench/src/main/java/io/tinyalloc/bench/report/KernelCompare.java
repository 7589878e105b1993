package io.tinyalloc.bench.report;

import io.tinyalloc.bench.Medians;
import io.tinyalloc.bench.peers.Peers;
import io.tinyalloc.bench.workloads.KernelMain;
import io.tinyalloc.bench.workloads.Kernels;
import io.tinyalloc.bench.workloads.RssSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Steady-state throughput of one kernel, allocator against allocator, outside JMH: every round
 * starts one {@code KernelMain} JVM per allocator, which runs the kernel {@code warmupRuns} times
 * untimed and then {@code runs} times timed; the order of the allocators rotates from round to
 * round. Ratios are taken within a round (the machine's speed drifts between rounds by more than
 * the differences looked for) and reported as the median with the range.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp alloc-bench/target/benchmarks.jar \
 *     io.tinyalloc.bench.report.KernelCompare xmalloc-test 2 400 100 5 tinyalloc mimalloc
 * </pre>
 *
 * The first allocator is the one compared; jemalloc gets its {@code LD_PRELOAD}.
 */
public final class KernelCompare {

    /** What a comparison runs. */
    record Plan(String kernel, int threads, int runs, int warmupRuns, int rounds, List<String> allocators) {

        Plan {
            allocators = List.copyOf(allocators);
        }

        /** The plan in {@code args}, or an exception that names the bad argument and its value. */
        static Plan parse(String... args) {
            if (args.length < 7) {
                throw new IllegalArgumentException("usage: KernelCompare <kernel> <threads> <runs> <warmupRuns> <rounds>"
                        + " <allocator> <allocator>... (got " + args.length + " arguments)");
            }
            String kernel = args[0];
            if (!Kernels.NAMES.contains(kernel)) {
                throw new IllegalArgumentException("unknown kernel: kernel=" + kernel + " (known: " + Kernels.NAMES + ")");
            }
            List<String> allocators = List.of(Arrays.copyOfRange(args, 5, args.length));
            for (String allocator : allocators) {
                if (!Peers.NAMES.contains(allocator)) {
                    throw new IllegalArgumentException("unknown allocator: allocator=" + allocator + " (known: "
                            + Peers.NAMES + ")");
                }
            }
            if (allocators.stream().distinct().count() != allocators.size()) {
                throw new IllegalArgumentException("an allocator is named twice: allocators=" + allocators);
            }
            return new Plan(kernel, KernelMain.intArgument("threads", args[1], 1), KernelMain.intArgument("runs", args[2], 1),
                    KernelMain.intArgument("warmupRuns", args[3], 0), KernelMain.intArgument("rounds", args[4], 1), allocators);
        }

        /** Round {@code round}'s order: the allocators rotated by the round number. */
        List<String> order(int round) {
            List<String> order = new ArrayList<>(allocators);
            Collections.rotate(order, -(round % order.size()));
            return order;
        }
    }

    /** Per round, each allocator's operations per second (NaN where its fork failed), in plan order. */
    record Result(Plan plan, double[][] opsPerSecond) {

        /** Median over the rounds of allocator {@code a}'s rate, failed forks left out; NaN if none. */
        double medianRate(int a) {
            return Medians.of(column(a, round -> opsPerSecond[round][a]));
        }

        /** The first allocator's rate over allocator {@code a}'s, per round where both ran. */
        double[] ratios(int a) {
            return column(a, round -> opsPerSecond[round][0] / opsPerSecond[round][a]);
        }

        private double[] column(int a, IntToDoubleFunction value) {
            return IntStream.range(0, opsPerSecond.length).mapToDouble(value)
                    .filter(v -> !Double.isNaN(v)).toArray();
        }

        /** The summary lines: each allocator's median rate, then the first against each other one. */
        List<String> summary() {
            List<String> lines = new ArrayList<>();
            List<String> allocators = plan.allocators();
            for (int a = 0; a < allocators.size(); a++) {
                lines.add(allocators.get(a) + ": median " + Format.count(medianRate(a)) + " ops/s over "
                        + ratesCount(a) + " rounds");
            }
            for (int a = 1; a < allocators.size(); a++) {
                double[] ratios = ratios(a);
                if (ratios.length == 0) {
                    lines.add(allocators.get(0) + " / " + allocators.get(a) + ": no round where both ran");
                    continue;
                }
                double[] sorted = ratios.clone();
                Arrays.sort(sorted);
                lines.add(allocators.get(0) + " / " + allocators.get(a) + ": " + Format.ratio(Medians.of(ratios)) + " ("
                        + Format.ratio(sorted[0]) + " - " + Format.ratio(sorted[sorted.length - 1]) + ", "
                        + ratios.length + " rounds)");
            }
            return lines;
        }

        private int ratesCount(int a) {
            return column(a, round -> opsPerSecond[round][a]).length;
        }
    }

    private KernelCompare() {
    }

    public static void main(String[] args) {
        Plan plan;
        try {
            plan = Plan.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(plan).summary().forEach(System.out::println);
    }

    static Result run(Plan plan) {
        double[][] rates = new double[plan.rounds()][plan.allocators().size()];
        for (int round = 0; round < plan.rounds(); round++) {
            Arrays.fill(rates[round], Double.NaN);
            for (String allocator : plan.order(round)) {
                System.out.print("[round " + (round + 1) + "/" + plan.rounds() + "] " + plan.kernel() + " "
                        + allocator + " threads=" + plan.threads() + " ... ");
                System.out.flush();
                Optional<RssSample> sample = RssProbe.measure(new RssProbe.Case(plan.kernel(), allocator,
                        environment(allocator), plan.threads(), plan.runs(), plan.warmupRuns()));
                if (sample.isPresent()) {
                    double rate = sample.get().operations() * 1e9 / sample.get().nanos();
                    rates[round][plan.allocators().indexOf(allocator)] = rate;
                    System.out.println(Format.count(rate) + " ops/s, peak RSS "
                            + Format.mebibytes(sample.get().peakKiB()) + " MiB");
                }
            }
        }
        return new Result(plan, rates);
    }

    private static Map<String, String> environment(String allocator) {
        return Peers.needsPreload(allocator).map(library -> library.preloadEnvironment()).orElse(Map.of());
    }
}
