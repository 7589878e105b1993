package io.tinyalloc.bench.api;

import io.tinyalloc.Allocator;
import io.tinyalloc.bench.BenchDefaults;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Getting a short-lived {@link MemorySegment} and giving it back, the FFM way:
 * <ul>
 *   <li>{@code allocatorSegment}: {@link Allocator#allocate(long, long)} + {@link Allocator#free(MemorySegment)};</li>
 *   <li>{@code allocatorArena}: an arena from {@link Allocator#newArena()}, one allocate, close;</li>
 *   <li>{@code jdkConfinedArena}: {@link Arena#ofConfined()}, one allocate, close (the JDK's idiom,
 *       glibc malloc underneath, zeroed memory);</li>
 *   <li>{@code jdkSharedArena}: {@link Arena#ofShared()}, one allocate, close: the baseline of
 *       {@code allocatorArena}, which is shared too. Closing a shared arena makes the JVM
 *       handshake with every thread, which dominates both.</li>
 * </ul>
 * Each benchmark writes one byte so the memory is really touched.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SegmentAllocateBenchmark {

    @Param({"16", "256", "4096", "65536"})
    public long byteSize;

    @Benchmark
    public long allocatorSegment(AllocatorState state) {
        MemorySegment segment = state.allocator.allocate(byteSize, 8);
        touch(segment);
        state.allocator.free(segment);
        return segment.address();
    }

    @Benchmark
    public long allocatorArena(AllocatorState state) {
        return allocateOneAndClose(state.allocator.newArena());
    }

    @Benchmark
    public long jdkSharedArena() {
        return allocateOneAndClose(Arena.ofShared());
    }

    @Benchmark
    public long jdkConfinedArena() {
        return allocateOneAndClose(Arena.ofConfined());
    }

    /** The arena idiom: one allocation, touched, then the arena closed (which frees it). */
    private long allocateOneAndClose(Arena arena) {
        try (arena) {
            MemorySegment segment = arena.allocate(byteSize, 8);
            touch(segment);
            return segment.address();
        }
    }

    private static void touch(MemorySegment segment) {
        segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
    }
}
