package io.tinyalloc.bench.array;

import io.tinyalloc.array.LongStack;
import io.tinyalloc.array.OffHeapLongStack;
import io.tinyalloc.bench.BenchDefaults;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * A thread-cache bin's traffic on the long stacks of alloc-array, against the floor: a
 * hand-written {@code long[]} stack with no checks beyond the full/empty test, in this class.
 *
 * <ul>
 *   <li>{@code *PushPop}: push {@value #BATCH_COUNT} addresses, then pop them all; the time is
 *       per push+pop pair (a cached free followed by a cached malloc).</li>
 *   <li>{@code *BatchMove}: move {@value #BATCH_COUNT} addresses out to an array and back
 *       (popInto + pushAll: a bin flushing to and refilling from a shared cache); per element.</li>
 * </ul>
 * {@code LongStack} is measured on both its fast path (tryPush/popOrZero) and its checked path
 * (push/pop, which throw on misuse); {@code OffHeapLongStack} keeps its size in native memory,
 * so every operation also loads and stores the header.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class LongStackBenchmark {

    static final int BATCH_COUNT = 32;
    private static final int CAPACITY = 64;
    /** Values look like 16-byte aligned block addresses; never 0, which popOrZero reserves. */
    private static final long FIRST_ADDRESS = 0x7f00_0000_0000L;

    private Arena arena;
    private LongStack stack;
    private OffHeapLongStack offHeapStack;
    private long[] batch;

    private long[] baselineElements;
    private int baselineSize;

    @Setup
    public void create() {
        arena = Arena.ofShared();
        stack = new LongStack(CAPACITY);
        offHeapStack = OffHeapLongStack.format(
                arena.allocate(OffHeapLongStack.byteSizeFor(CAPACITY), 64).address(), CAPACITY);
        batch = new long[BATCH_COUNT];
        baselineElements = new long[CAPACITY];
        for (int index = 0; index < BATCH_COUNT; index++) {
            stack.push(address(index));
            offHeapStack.push(address(index));
        }
    }

    @TearDown
    public void free() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_COUNT)
    public long baselinePushPop() {
        for (int index = 0; index < BATCH_COUNT; index++) {
            baselineTryPush(address(index));
        }
        long sum = 0;
        for (int index = 0; index < BATCH_COUNT; index++) {
            sum += baselinePopOrZero();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_COUNT)
    public long longStackPushPop() {
        for (int index = 0; index < BATCH_COUNT; index++) {
            stack.tryPush(address(index));
        }
        long sum = 0;
        for (int index = 0; index < BATCH_COUNT; index++) {
            sum += stack.popOrZero();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_COUNT)
    public long longStackCheckedPushPop() {
        for (int index = 0; index < BATCH_COUNT; index++) {
            stack.push(address(index));
        }
        long sum = 0;
        for (int index = 0; index < BATCH_COUNT; index++) {
            sum += stack.pop();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_COUNT)
    public long offHeapStackPushPop() {
        for (int index = 0; index < BATCH_COUNT; index++) {
            offHeapStack.tryPush(address(index));
        }
        long sum = 0;
        for (int index = 0; index < BATCH_COUNT; index++) {
            sum += offHeapStack.popOrZero();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_COUNT)
    public long longStackBatchMove() {
        stack.popInto(batch, 0, BATCH_COUNT);
        stack.pushAll(batch, 0, BATCH_COUNT);
        return stack.peek();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_COUNT)
    public long offHeapStackBatchMove() {
        offHeapStack.popInto(batch, 0, BATCH_COUNT);
        offHeapStack.pushAll(batch, 0, BATCH_COUNT);
        return offHeapStack.peek();
    }

    private boolean baselineTryPush(long value) {
        if (baselineSize == baselineElements.length) {
            return false;
        }
        baselineElements[baselineSize++] = value;
        return true;
    }

    private long baselinePopOrZero() {
        return baselineSize == 0 ? 0 : baselineElements[--baselineSize];
    }

    private static long address(int index) {
        return FIRST_ADDRESS + 16L * index;
    }
}
