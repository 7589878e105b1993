package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.Peers;

/**
 * Runs one kernel outside JMH, in a JVM of its own, and prints one {@link RssSample} line: the
 * process's peak resident set (VmHWM) before and after. Started by the benchmark runner as
 * {@code java -Xms64m -Xmx64m -XX:+AlwaysPreTouch ... KernelMain kernel allocator threads runs},
 * so that the small Java heap is resident from the start and part of the baseline, and with
 * {@code LD_PRELOAD} for jemalloc.
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: KernelMain <kernel> <allocator> <threads> <runs>");
            System.exit(2);
        }
        String kernelName = args[0];
        String allocatorName = args[1];
        int threads = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        System.out.println(measure(kernelName, allocatorName, threads, runs).toLine());
    }

    static RssSample measure(String kernelName, String allocatorName, int threads, int runs) {
        Kernel kernel = Kernels.create(kernelName, Scale.BENCH);
        try (NativeAllocator allocator = Peers.create(allocatorName)) {
            long baselineKiB = ProcStatus.read().peakResidentKiB();
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
}
