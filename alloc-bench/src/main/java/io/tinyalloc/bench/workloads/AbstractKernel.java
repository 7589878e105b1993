package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;

/**
 * What every kernel has besides its workload: its name and unit, its configuration, and the check
 * of {@link #run}'s thread count. A kernel's own file then holds only the workload.
 *
 * @param <C> the kernel's configuration record
 */
abstract class AbstractKernel<C extends Record> implements Kernel {

    final C config;
    private final String name;
    private final String operation;

    AbstractKernel(String name, String operation, C config) {
        this.name = name;
        this.operation = operation;
        this.config = config;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String operation() {
        return operation;
    }

    @Override
    public final long run(NativeAllocator allocator, int threadCount) {
        WorkloadErrors.requireThreads(name, threadCount);
        return runChecked(allocator, threadCount);
    }

    /** {@link #run}, once {@code threadCount >= 1} is checked. */
    abstract long runChecked(NativeAllocator allocator, int threadCount);
}
