package io.tinyalloc.bench.compare;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.NativeAllocatorState;
import io.tinyalloc.bench.peers.NettyAdaptiveState;
import io.tinyalloc.bench.peers.NettyPooledState;
import io.tinyalloc.sys.Memory;
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
 * A buffer growing by doubling from {@value #FIRST_BYTE_SIZE} B to 64 MiB through realloc (22
 * reallocs), writing its last byte at each size and checking that the first byte survived every
 * move, then freed: time per whole growth. Large blocks are where an allocator can grow in place
 * (mremap) instead of copying. Netty's peer is {@code ByteBuf.capacity(int)}, its realloc.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class ReallocBenchmark {

    public static final long FIRST_BYTE_SIZE = 16;
    public static final long LAST_BYTE_SIZE = 64L << 20;
    private static final byte MARK = 0x5A;

    @Benchmark
    public long nativeAllocator(NativeAllocatorState state) {
        NativeAllocator allocator = state.peer;
        long address = allocator.malloc(FIRST_BYTE_SIZE);
        Memory.putByte(address, MARK);
        for (long byteSize = FIRST_BYTE_SIZE * 2; byteSize <= LAST_BYTE_SIZE; byteSize *= 2) {
            address = allocator.realloc(address, byteSize);
            Memory.putByte(address + byteSize - 1, MARK);
        }
        if (Memory.getByte(address) != MARK) {
            throw CompareErrors.lostContents(state.allocator, address);
        }
        allocator.free(address);
        return address;
    }

    @Benchmark
    public int nettyAdaptive(NettyAdaptiveState state) {
        return nettyGrowth(state.allocator);
    }

    @Benchmark
    public int nettyPooled(NettyPooledState state) {
        return nettyGrowth(state.allocator);
    }

    private static int nettyGrowth(ByteBufAllocator allocator) {
        ByteBuf buffer = allocator.directBuffer((int) FIRST_BYTE_SIZE, (int) LAST_BYTE_SIZE);
        buffer.setByte(0, MARK);
        for (int byteSize = (int) FIRST_BYTE_SIZE * 2; byteSize <= LAST_BYTE_SIZE; byteSize *= 2) {
            buffer.capacity(byteSize);
            buffer.setByte(byteSize - 1, MARK);
        }
        byte first = buffer.getByte(0);
        buffer.release();
        if (first != MARK) {
            throw CompareErrors.lostContents("netty", 0);
        }
        return first;
    }
}
