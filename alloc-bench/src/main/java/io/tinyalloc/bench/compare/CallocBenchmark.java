package io.tinyalloc.bench.compare;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.NativeAllocatorState;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
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
 * A zeroed block of {@code byteSize} bytes, then freed: time per pair. The Java peers that always
 * zero ({@code Arena.allocate}, {@code ByteBuffer.allocateDirect}) are the natural comparison; a
 * malloc that knows its memory is fresh from the kernel may skip the zeroing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class CallocBenchmark {

    @Param({"64", "4096", "1048576"})
    public long byteSize;

    @Benchmark
    public long nativeAllocator(NativeAllocatorState state) {
        NativeAllocator allocator = state.peer;
        long address = allocator.calloc(1, byteSize);
        byte last = Memory.getByte(address + byteSize - 1);
        Memory.putByte(address, (byte) 1);
        allocator.free(address);
        return address + last;
    }

    @Benchmark
    public long arenaConfined() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(byteSize);
            byte last = segment.get(ValueLayout.JAVA_BYTE, byteSize - 1);
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            return segment.address() + last;
        }
    }

    @Benchmark
    public ByteBuffer allocateDirect() {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) byteSize);
        buffer.put(0, (byte) (buffer.get((int) byteSize - 1) + 1));
        return buffer;
    }
}
