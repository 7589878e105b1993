package io.tinyalloc.bench.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.sys.Platform;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The price of asking which CPU we run on, which the per-CPU cache pays on every refill:
 * {@link Platform#currentCpu()} (a critical downcall to the vDSO {@code sched_getcpu}) against
 * the same call through an ordinary downcall (with the thread-state transitions a critical call
 * skips), and against {@code Thread.currentThread().threadId()}, the cheapest per-thread key a
 * shard could use instead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = SysBenchDefaults.WARMUP_ITERATIONS, time = SysBenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = SysBenchDefaults.MEASUREMENT_ITERATIONS, time = SysBenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class CurrentCpuBenchmark {

    @SuppressWarnings("restricted")
    private static final MethodHandle SCHED_GETCPU_NON_CRITICAL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sched_getcpu").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT));

    @Benchmark
    public int currentCpu() {
        return Platform.currentCpu();
    }

    @Benchmark
    public int schedGetcpuNonCritical() throws Throwable {
        return (int) SCHED_GETCPU_NON_CRITICAL.invokeExact();
    }

    @Benchmark
    public long threadIdBaseline() {
        return Thread.currentThread().threadId();
    }
}
