package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.Peers;

/**
 * Runs one kernel outside JMH, in a JVM of its own, and prints one {@link RssSample} line: the
 * process's peak resident set (VmHWM) before and after. Started by the benchmark runner as
 * {@code java -Xms64m -Xmx64m -XX:+AlwaysPreTouch ... KernelMain kernel allocator threads runs [warmupRuns]},
 * so that the small Java heap is resident from the start and part of the baseline, and with
 * {@code LD_PRELOAD} for jemalloc.
 *
 * <p>Warm-up runs go before the timed ones (the peak still covers them). Without them a fork of a
 * few dozen runs measures mostly the JIT compiling TinyAlloc's Java code: xmalloc-test over 24
 * runs gave TinyAlloc 0.4x mimalloc's rate, over 400 runs 0.7-0.9x (see
 * {@code io.tinyalloc.bench.report.KernelCompare}).
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: KernelMain <kernel> <allocator> <threads> <runs> [warmupRuns]");
            System.exit(2);
        }
        String kernelName = args[0];
        String allocatorName = args[1];
        int threads = intArgument("threads", args[2], 1);
        int runs = intArgument("runs", args[3], 1);
        int warmupRuns = args.length == 5 ? intArgument("warmupRuns", args[4], 0) : 0;
        System.out.println(measure(kernelName, allocatorName, threads, runs, warmupRuns).toLine());
    }

    static RssSample measure(String kernelName, String allocatorName, int threads, int runs) {
        return measure(kernelName, allocatorName, threads, runs, 0);
    }

    /** Peak RSS over warm-up and timed runs; time and operations of the timed runs only. */
    static RssSample measure(String kernelName, String allocatorName, int threads, int runs, int warmupRuns) {
        Kernel kernel = Kernels.create(kernelName, Scale.BENCH);
        try (NativeAllocator allocator = Peers.create(allocatorName)) {
            long baselineKiB = ProcStatus.read().peakResidentKiB();
            for (int run = 0; run < warmupRuns; run++) {
                kernel.run(allocator, threads);
            }
            long start = System.nanoTime();
            long operations = 0;
            for (int run = 0; run < runs; run++) {
                operations += kernel.run(allocator, threads);
            }
            long nanos = System.nanoTime() - start;
            long peakKiB = ProcStatus.read().peakResidentKiB();
            return new RssSample(kernelName, allocatorName, threads, runs, operations, nanos, baselineKiB, peakKiB);
        }
    }

    /** {@code text} as an int of at least {@code minimum}, or an exception naming the argument and its value. */
    public static int intArgument(String name, String text, int minimum) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + name + "=\"" + text + "\"", e);
        }
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + name + "=" + value);
        }
        return value;
    }
}
