package io.tinyalloc.bench.compare;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.FloorState;
import io.tinyalloc.bench.peers.NativeAllocatorState;
import io.tinyalloc.bench.peers.NettyAdaptiveState;
import io.tinyalloc.bench.peers.NettyPooledState;
import io.tinyalloc.bench.peers.TinyAllocSegments;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocate {@value #BATCH_COUNT} blocks of {@code byteSize}, then free them all, in allocation order
 * ({@code fifo}) or in reverse ({@code lifo}): time per malloc + free pair. FIFO walks the cache
 * the wrong way round and overflows per-thread caches; LIFO is what a stack-like program does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(BatchBenchmark.BATCH_COUNT)
@State(Scope.Thread)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class BatchBenchmark {

    public static final int BATCH_COUNT = 1000;

    @Param({"16", "256", "4096"})
    public long byteSize;

    @Param({"fifo", "lifo"})
    public String order;

    private final long[] addresses = new long[BATCH_COUNT];
    private final ByteBuf[] buffers = new ByteBuf[BATCH_COUNT];
    private final MemorySegment[] segments = new MemorySegment[BATCH_COUNT];
    private boolean fifo;

    @Setup(Level.Trial)
    public void readOrder() {
        if (!order.equals("fifo") && !order.equals("lifo")) {
            throw new IllegalArgumentException("order must be fifo or lifo: order=" + order);
        }
        fifo = order.equals("fifo");
    }

    @Benchmark
    public long nativeAllocator(NativeAllocatorState state) {
        NativeAllocator allocator = state.peer;
        for (int index = 0; index < BATCH_COUNT; index++) {
            long address = allocator.malloc(byteSize);
            Memory.putByte(address, (byte) index);
            addresses[index] = address;
        }
        for (int step = 0; step < BATCH_COUNT; step++) {
            allocator.free(addresses[freeIndex(step)]);
        }
        return addresses[0];
    }

    @Benchmark
    public long floor(FloorState state) {
        for (int index = 0; index < BATCH_COUNT; index++) {
            long address = state.list.pop();
            Memory.putByte(address, (byte) index);
            addresses[index] = address;
        }
        for (int step = 0; step < BATCH_COUNT; step++) {
            state.list.push(addresses[freeIndex(step)]);
        }
        return addresses[0];
    }

    @Benchmark
    public long tinyallocSegment() {
        for (int index = 0; index < BATCH_COUNT; index++) {
            MemorySegment segment = TinyAllocSegments.GLOBAL.allocate(byteSize, PairBenchmark.SEGMENT_ALIGNMENT);
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) index);
            segments[index] = segment;
        }
        long sum = 0;
        for (int step = 0; step < BATCH_COUNT; step++) {
            int index = freeIndex(step);
            sum += segments[index].address();
            TinyAllocSegments.GLOBAL.free(segments[index]);
            segments[index] = null;
        }
        return sum;
    }

    @Benchmark
    public int nettyAdaptive(NettyAdaptiveState state) {
        return nettyBatch(state.allocator);
    }

    @Benchmark
    public int nettyPooled(NettyPooledState state) {
        return nettyBatch(state.allocator);
    }

    private int nettyBatch(ByteBufAllocator allocator) {
        for (int index = 0; index < BATCH_COUNT; index++) {
            ByteBuf buffer = allocator.directBuffer((int) byteSize);
            buffer.setByte(0, index);
            buffers[index] = buffer;
        }
        int hash = 0;
        for (int step = 0; step < BATCH_COUNT; step++) {
            int index = freeIndex(step);
            hash += buffers[index].getByte(0);
            buffers[index].release();
            buffers[index] = null;
        }
        return hash;
    }

    private int freeIndex(int step) {
        return fifo ? step : BATCH_COUNT - 1 - step;
    }
}
