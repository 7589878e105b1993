package io.tinyalloc.bench.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bench.peers.FloorState;
import io.tinyalloc.core.Heap;
import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
 * One malloc+free pair, 16 B to 32 KiB (every size the thread cache serves), one thread, with its
 * yardsticks in the same run. Read the ratios, not the nanoseconds:
 * <ul>
 *   <li>{@code floor}: a bare thread-local free list threaded through off-heap memory, pop + push
 *       ({@link io.tinyalloc.bench.peers.FloorFreeList}): the least a cached pair can cost in Java.
 *       The budget of the cached pair is 2x this.</li>
 *   <li>{@code cached}: the alloc-core {@link Heap} with its thread cache (the default): thread
 *       table, bin pop, state byte; page map (or the thread's last segment), header checks, state
 *       byte, bin push.</li>
 *   <li>{@code api}: the same through the public {@link Allocator} long API (argument checks and
 *       error translation on top).</li>
 *   <li>{@code uncached}: the heap with {@code threadCache=false}: two size-class lock round trips.</li>
 *   <li>{@code glibc}: malloc/free through FFM downcalls (what {@code Arena} and
 *       {@code Unsafe.allocateMemory} cost a Java program).</li>
 * </ul>
 * Every variant writes the first byte of its block, so each returns memory it could use. The
 * glibc handles are plain downcalls in {@code static final} fields, so the JIT inlines the stubs.
 * Run with {@code -prof gc}: the cached pair allocates nothing on the Java heap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class HeapMallocFreeBenchmark {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GLIBC_MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("malloc"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle GLIBC_FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("free"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));

    @Param({"16", "64", "256", "1024", "4096", "32768"})
    public long byteSize;

    private Heap cachedHeap;
    private Heap uncachedHeap;
    private Allocator allocator;

    @Setup(Level.Trial)
    public void open() {
        cachedHeap = new Heap(HeapConfig.defaults(), Mapper.system());
        uncachedHeap = new Heap(HeapConfig.defaults().withThreadCache(false), Mapper.system());
        allocator = Allocator.builder().build();
    }

    @TearDown(Level.Trial)
    public void close() {
        cachedHeap.close();
        uncachedHeap.close();
        allocator.close();
    }

    @Benchmark
    public long floor(FloorState state) {
        long address = state.list.pop();
        Memory.putByte(address, (byte) 1);
        state.list.push(address);
        return address;
    }

    @Benchmark
    public long cached() {
        return pair(cachedHeap, byteSize);
    }

    @Benchmark
    public long api() {
        long address = allocator.malloc(byteSize);
        Memory.putByte(address, (byte) 1);
        allocator.free(address);
        return address;
    }

    @Benchmark
    public long uncached() {
        return pair(uncachedHeap, byteSize);
    }

    @Benchmark
    public long glibc() throws Throwable {
        long address = (long) GLIBC_MALLOC.invokeExact(byteSize);
        Memory.putByte(address, (byte) 1);
        GLIBC_FREE.invokeExact(address);
        return address;
    }

    private static long pair(Heap heap, long byteSize) {
        long address = heap.malloc(byteSize);
        Memory.putByte(address, (byte) 1);
        if (heap.free(address) != null) {
            throw new IllegalStateException("free refused its own block: address=0x" + Long.toHexString(address));
        }
        return address;
    }
}
