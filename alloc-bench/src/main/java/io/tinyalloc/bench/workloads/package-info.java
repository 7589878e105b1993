/**
 * Multi-thread kernels re-implemented from mimalloc-bench's published descriptions (larson,
 * xmalloc-test, mstress, glibc-thread, cache-scratch, malloc-large, thread-exit leak), runnable from
 * JMH ({@link io.tinyalloc.bench.workloads.KernelBenchmark}) and from a plain main that reports the
 * peak RSS of its own JVM ({@link io.tinyalloc.bench.workloads.KernelMain}).
 */
package io.tinyalloc.bench.workloads;
