package io.tinyalloc.bench.sys;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * What a fresh mapping costs through {@link Mapper#system()}, at 64 KiB (a small segment) and
 * 64 MiB (an arena chunk or a large block):
 *
 * <ul>
 *   <li>{@code reserveRelease}: mmap + munmap, address space only;</li>
 *   <li>{@code reserveCommitRelease}: + mprotect to read-write, still no page touched;</li>
 *   <li>{@code reserveCommitTouchRelease}: + a write to every page, so the page faults (and the
 *       kernel zeroing them) are in: the real cost of memory that gets used;</li>
 *   <li>{@code arenaAllocateBaseline}: {@code Arena.ofConfined().allocate} + close, the JDK's way
 *       to the same amount of usable memory (malloc, zeroing every byte, free): the same work as
 *       the touching variant.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = SysBenchDefaults.WARMUP_ITERATIONS, time = SysBenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = SysBenchDefaults.MEASUREMENT_ITERATIONS, time = SysBenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class MappingBenchmark {

    private static final Mapper MAPPER = Mapper.system();
    private static final long PAGE_SIZE = Platform.pageSize();

    @Param({"65536", "67108864"})
    public long byteSize;

    @Benchmark
    public long reserveRelease() {
        long address = MAPPER.reserve(byteSize, PAGE_SIZE);
        MAPPER.release(address, byteSize);
        return address;
    }

    @Benchmark
    public long reserveCommitRelease() {
        long address = MAPPER.reserve(byteSize, PAGE_SIZE);
        MAPPER.commit(address, byteSize);
        MAPPER.release(address, byteSize);
        return address;
    }

    @Benchmark
    public long reserveCommitTouchRelease() {
        long address = MAPPER.reserve(byteSize, PAGE_SIZE);
        MAPPER.commit(address, byteSize);
        for (long offset = 0; offset < byteSize; offset += PAGE_SIZE) {
            Memory.putByte(address + offset, (byte) 1);
        }
        MAPPER.release(address, byteSize);
        return address;
    }

    @Benchmark
    public long arenaAllocateBaseline() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(byteSize);
            return segment.address();
        }
    }
}
