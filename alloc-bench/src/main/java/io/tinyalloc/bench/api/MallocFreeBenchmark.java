package io.tinyalloc.bench.api;

import io.tinyalloc.Allocator;
import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.peers.GlibcAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One malloc+free pair through the public {@link Allocator} API, against glibc's malloc/free
 * called through an FFM downcall in the same run (what {@code Arena} and
 * {@code Unsafe.allocateMemory} cost a Java program). Read the ratio, not the nanoseconds.
 *
 * <p>glibc is the {@link GlibcAllocator} peer that the comparison benchmarks measure too: plain
 * downcalls on {@code static final} handles that the JIT inlines, called directly here because
 * the field's type is the peer's own final class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class MallocFreeBenchmark {

    @Param({"16", "64", "256", "1024", "4096", "32768", "262144", "1048576"})
    public long byteSize;

    private static final GlibcAllocator GLIBC = new GlibcAllocator();

    @Benchmark
    public long tinyAlloc(AllocatorState state) {
        long address = state.allocator.malloc(byteSize);
        state.allocator.free(address);
        return address;
    }

    @Benchmark
    public long glibc() {
        long address = GLIBC.malloc(byteSize);
        GLIBC.free(address);
        return address;
    }
}
