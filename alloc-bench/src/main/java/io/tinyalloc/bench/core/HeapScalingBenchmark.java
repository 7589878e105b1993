package io.tinyalloc.bench.core;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.core.Heap;
import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scaling of one shared heap from 1 to 2 threads, each allocating and freeing its own blocks
 * (throughput, operations per microsecond; an operation is one malloc+free pair, or one block of
 * a batch). The bar: 2 threads on 2 cores reach at least 1.8x one thread's throughput.
 * <ul>
 *   <li>{@code pair1}/{@code pair2}: one malloc+free pair of {@code byteSize}: the thread caches'
 *       fast paths only.</li>
 *   <li>{@code batch1}/{@code batch2}: allocate {@value #BATCH} blocks of mixed sizes (16 B to
 *       2 KiB), write each, free them all: bins overflow and run dry, so refills and flushes go
 *       through the InterConnect Cache's shards and, now and then, the size-class locks.</li>
 * </ul>
 * The heap is shared ({@code Scope.Benchmark}), as one allocator is in a program; each thread has
 * its own block array. On a 2-core machine shared with other work, read 2-thread results as a
 * lower bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public class HeapScalingBenchmark {

    static final int BATCH = 512;

    /** pair1/pair2's block size: 4 KiB blocks share no line of their own, only the segment's state bytes. */
    @Param({"64", "4096"})
    public long byteSize;

    private Heap heap;

    /** One thread's blocks. */
    @State(Scope.Thread)
    public static class Blocks {
        final long[] addresses = new long[BATCH];
        final long[] sizes = new long[BATCH];

        @Setup(Level.Trial)
        public void chooseSizes() {
            java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            for (int i = 0; i < BATCH; i++) {
                sizes[i] = 16L << random.nextInt(8);
            }
        }
    }

    @Setup(Level.Trial)
    public void open() {
        heap = new Heap(HeapConfig.defaults(), Mapper.system());
    }

    @TearDown(Level.Trial)
    public void close() {
        heap.close();
    }

    @Benchmark
    @Threads(1)
    public long pair1() {
        return pair();
    }

    @Benchmark
    @Threads(2)
    public long pair2() {
        return pair();
    }

    @Benchmark
    @Threads(1)
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public long batch1(Blocks blocks) {
        return batch(blocks);
    }

    @Benchmark
    @Threads(2)
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public long batch2(Blocks blocks) {
        return batch(blocks);
    }

    private long pair() {
        long address = heap.malloc(byteSize);
        Memory.putByte(address, (byte) 1);
        heap.free(address);
        return address;
    }

    private long batch(Blocks blocks) {
        long[] addresses = blocks.addresses;
        for (int i = 0; i < BATCH; i++) {
            addresses[i] = heap.malloc(blocks.sizes[i]);
            Memory.putLong(addresses[i], i);
        }
        long sum = 0;
        for (int i = BATCH - 1; i >= 0; i--) {
            sum += Memory.getLong(addresses[i]);
            heap.free(addresses[i]);
        }
        return sum;
    }
}
