package io.tinyalloc.bench.report;

import java.util.List;

/**
 * A group of results compared in one table: the benchmark class that produces it, its title and a
 * sentence on what one score means.
 */
record Suite(String key, String benchmarkClass, String title, String description) {

    static final String KERNELS = "kernels";

    /** In report order. */
    static final List<Suite> ALL = List.of(
            new Suite("pairs", "PairBenchmark", "malloc + free pairs",
                    "Time of one malloc + free pair, each peer writing the block's first byte."),
            new Suite("batch", "BatchBenchmark", "Batches: allocate 1000 blocks, then free them",
                    "Time per malloc + free pair; fifo frees in allocation order, lifo in reverse."),
            new Suite("realloc", "ReallocBenchmark", "realloc growth from 16 B to 64 MiB",
                    "Time of a whole growth by doubling (22 reallocs), touching the new last byte each time."),
            new Suite("calloc", "CallocBenchmark", "calloc + free",
                    "Time of one zeroed allocation and its free."),
            new Suite(KERNELS, "KernelBenchmark", "Multi-thread kernels: throughput",
                    "The kernel's operations per second (see the list below), measured by JMH."));

    /** The suite of a JMH benchmark class name (simple name), or a suite named after it. */
    static Suite ofBenchmarkClass(String simpleName) {
        return ALL.stream().filter(suite -> suite.benchmarkClass.equals(simpleName)).findFirst()
                .orElse(new Suite(simpleName, simpleName, simpleName, ""));
    }

    /** The suite with this key, or one named after the key. */
    static Suite ofKey(String key) {
        return ALL.stream().filter(suite -> suite.key.equals(key)).findFirst()
                .orElse(new Suite(key, key, key, ""));
    }

    static int order(String key) {
        for (int index = 0; index < ALL.size(); index++) {
            if (ALL.get(index).key.equals(key)) {
                return index;
            }
        }
        return ALL.size();
    }
}
