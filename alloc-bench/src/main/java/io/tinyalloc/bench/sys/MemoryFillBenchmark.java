package io.tinyalloc.bench.sys;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Memory#fill} (what calloc, realloc's zeroing and zero-on-free use) against
 * {@code MemorySegment.fill} of the same range, the JDK's own way to set native memory: time to
 * zero {@code byteSize} bytes that stay in cache between calls. Sizes on both sides of the point
 * where {@code Memory.fill} switches from {@code MemorySegment.fill} to its own word loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = SysBenchDefaults.WARMUP_ITERATIONS, time = SysBenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = SysBenchDefaults.MEASUREMENT_ITERATIONS, time = SysBenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class MemoryFillBenchmark {

    @Param({"256", "1024", "4096", "32768", "1048576"})
    public long byteSize;

    private Arena arena;
    private MemorySegment segment;
    private long address;

    @Setup(Level.Trial)
    public void allocate() {
        arena = Arena.ofShared();
        segment = arena.allocate(byteSize, 64);
        address = segment.address();
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
    }

    @Benchmark
    public long memoryFill() {
        Memory.fill(address, byteSize, (byte) 0);
        return address;
    }

    @Benchmark
    public MemorySegment segmentFill() {
        return segment.fill((byte) 0);
    }
}
