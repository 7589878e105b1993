package io.tinyalloc.bench.sys;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Memory}'s absolute-address access against the two ways a Java program reaches native
 * memory without it: a direct {@link ByteBuffer} and a plain {@link MemorySegment} of the same
 * 4 KiB of native memory. Same work for all three, per access:
 *
 * <ul>
 *   <li>{@code get*}: sum the 512 longs of the buffer (time per long read);</li>
 *   <li>{@code put*}: write the 512 longs (time per long written);</li>
 *   <li>{@code cas*}: one successful compare-and-set on an aligned long.</li>
 * </ul>
 *
 * The segment and buffer are in fields, as they would be in a program, not constants; Memory's
 * segment is a constant by design (that is the point of its one static segment).
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
public class MemoryAccessBenchmark {

    private static final int BYTE_SIZE = 4096;
    private static final int LONGS = BYTE_SIZE / Long.BYTES;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final VarHandle SEGMENT_LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Arena arena;
    private MemorySegment segment;
    private ByteBuffer buffer;
    private long address;
    private long counter;

    @Setup(Level.Trial)
    public void allocate() {
        arena = Arena.ofShared();
        segment = arena.allocate(BYTE_SIZE, 64);
        buffer = segment.asByteBuffer().order(ByteOrder.nativeOrder());
        address = segment.address();
        for (int i = 0; i < LONGS; i++) {
            segment.setAtIndex(ValueLayout.JAVA_LONG, i, i);
        }
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
    }

    // ---- get ----------------------------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public long getLongMemory() {
        long sum = 0;
        for (int offset = 0; offset < BYTE_SIZE; offset += Long.BYTES) {
            sum += Memory.getLong(address + offset);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public long getLongSegment() {
        long sum = 0;
        for (int offset = 0; offset < BYTE_SIZE; offset += Long.BYTES) {
            sum += segment.get(LONG, offset);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public long getLongByteBuffer() {
        long sum = 0;
        for (int offset = 0; offset < BYTE_SIZE; offset += Long.BYTES) {
            sum += buffer.getLong(offset);
        }
        return sum;
    }

    // ---- put ----------------------------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void putLongMemory() {
        long value = counter++;
        for (int offset = 0; offset < BYTE_SIZE; offset += Long.BYTES) {
            Memory.putLong(address + offset, value + offset);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void putLongSegment() {
        long value = counter++;
        for (int offset = 0; offset < BYTE_SIZE; offset += Long.BYTES) {
            segment.set(LONG, offset, value + offset);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void putLongByteBuffer() {
        long value = counter++;
        for (int offset = 0; offset < BYTE_SIZE; offset += Long.BYTES) {
            buffer.putLong(offset, value + offset);
        }
    }

    // ---- compare-and-set ----------------------------------------------------------------------

    @Benchmark
    public boolean casLongMemory() {
        long expected = Memory.getLong(address);
        return Memory.compareAndSetLong(address, expected, expected + 1);
    }

    @Benchmark
    public boolean casLongSegment() {
        long expected = segment.get(LONG, 0);
        return SEGMENT_LONG.compareAndSet(segment, 0L, expected, expected + 1);
    }

    @Benchmark
    public boolean casLongByteBuffer() {
        long expected = buffer.getLong(0);
        return BUFFER_LONG.compareAndSet(buffer, 0, expected, expected + 1);
    }
}
