package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;

/**
 * A multi-threaded allocation workload re-implemented from a published mimalloc-bench description
 * (see BENCHMARKS.md). One {@link #run} is a complete, bounded piece of work: it starts its own
 * threads, frees every block it allocated before it returns, and checks block contents where the
 * workload says so, throwing {@link BlockCorruptedException} when they are wrong.
 */
public interface Kernel {

    /** The kernel's name in parameters and reports, e.g. {@code "larson"}. */
    String name();

    /** What {@link #run} counts, e.g. {@code "allocations"}: the unit of the throughput metric. */
    String operation();

    /**
     * Runs the workload once.
     *
     * @param threadCount the workload's degree of parallelism (its meaning is documented per kernel)
     * @return the number of operations done
     */
    long run(NativeAllocator allocator, int threadCount);
}
