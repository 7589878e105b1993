package io.tinyalloc.bench.compare;

import io.netty.buffer.ByteBuf;
import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.FloorState;
import io.tinyalloc.bench.peers.NativeAllocatorState;
import io.tinyalloc.bench.peers.NettyAdaptiveState;
import io.tinyalloc.bench.peers.NettyPooledState;
import io.tinyalloc.bench.peers.ThreadLocalFloorState;
import io.tinyalloc.bench.peers.TinyAllocSegments;
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
 * One malloc + free pair of {@code byteSize} bytes, for every peer side by side: time per pair.
 *
 * <p>Each method is one peer; {@link #nativeAllocator} is the C-style peers and TinyAlloc's long
 * API, chosen by the {@code allocator} parameter; {@link #tinyallocSegment} is TinyAlloc's
 * {@code MemorySegment} API. Every peer writes the first byte of its block so
 * that each returns memory it can really use (a 16 MiB block from mmap then costs a page fault, as
 * it would in a program). The JDK's {@code Arena.allocate} and {@code ByteBuffer.allocateDirect}
 * also zero the whole block: that is their price, and it is part of what they are compared on.
 * {@code allocateDirect} is freed later by the GC through its cleaner.
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
public class PairBenchmark {

    /** What malloc promises; the MemorySegment peers ask for the same. */
    static final long SEGMENT_ALIGNMENT = 16;

    @Param({"16", "64", "256", "1024", "4096", "32768", "262144", "1048576", "16777216"})
    public long byteSize;

    @Benchmark
    public long nativeAllocator(NativeAllocatorState state) {
        NativeAllocator allocator = state.peer;
        long address = allocator.malloc(byteSize);
        Memory.putByte(address, (byte) 1);
        allocator.free(address);
        return address;
    }

    @Benchmark
    public long tinyallocSegment() {
        MemorySegment segment = TinyAllocSegments.GLOBAL.allocate(byteSize, SEGMENT_ALIGNMENT);
        segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        TinyAllocSegments.GLOBAL.free(segment);
        return segment.address();
    }

    @Benchmark
    public long floor(FloorState state) {
        long address = state.list.pop();
        Memory.putByte(address, (byte) 1);
        state.list.push(address);
        return address;
    }

    /**
     * The floor's list found through a {@code ThreadLocal} for each call, as a {@code malloc(long)}
     * must find its thread's cache: a reference for the thread lookup's share of the gap.
     */
    @Benchmark
    public long floorThreadLocal(ThreadLocalFloorState state) {
        long address = ThreadLocalFloorState.LISTS.get().pop();
        Memory.putByte(address, (byte) 1);
        ThreadLocalFloorState.LISTS.get().push(address);
        return address;
    }

    @Benchmark
    public ByteBuf nettyAdaptive(NettyAdaptiveState state) {
        ByteBuf buffer = state.allocator.directBuffer((int) byteSize);
        buffer.setByte(0, 1);
        buffer.release();
        return buffer;
    }

    @Benchmark
    public ByteBuf nettyPooled(NettyPooledState state) {
        ByteBuf buffer = state.allocator.directBuffer((int) byteSize);
        buffer.setByte(0, 1);
        buffer.release();
        return buffer;
    }

    @Benchmark
    public long arenaConfined() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(byteSize);
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            return segment.address();
        }
    }

    @Benchmark
    public long arenaShared() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(byteSize);
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            return segment.address();
        }
    }

    @Benchmark
    public ByteBuffer allocateDirect() {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) byteSize);
        buffer.put(0, (byte) 1);
        return buffer;
    }
}
