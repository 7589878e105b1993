package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.peers.NativeAllocatorState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every kernel, for every {@link io.tinyalloc.bench.NativeAllocator} peer and thread count: one
 * benchmark invocation is one {@link Kernel#run}. The primary metric counts runs; the secondary
 * metric {@code operations} is the kernel's own throughput (allocations, frees or writes per
 * second, see {@link Kernel#operation()}), the number the report compares.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class KernelBenchmark {

    @Param({"larson", "xmalloc-test", "mstress", "glibc-thread", "cache-scratch", "malloc-large", "thread-exit"})
    public String kernel;

    /** 4 is more threads than the development machines have cores, on purpose. */
    @Param({"1", "2", "4"})
    public int threads;

    private Kernel workload;

    @Setup(Level.Trial)
    public void open() {
        workload = Kernels.create(kernel, Scale.BENCH);
    }

    @Benchmark
    public long run(NativeAllocatorState state, Operations operations) {
        long count = workload.run(state.peer, threads);
        operations.operations += count;
        return count;
    }

    /** The kernel's operations, reported by JMH per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Operations {

        public long operations;

        @Setup(Level.Iteration)
        public void reset() {
            operations = 0;
        }
    }
}
