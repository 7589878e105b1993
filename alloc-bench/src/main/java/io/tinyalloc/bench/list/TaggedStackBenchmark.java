package io.tinyalloc.bench.list;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.list.TaggedStack;
import java.lang.foreign.Arena;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TaggedStack} against {@link ConcurrentLinkedDeque} used as a stack (the JDK's lock-free
 * LIFO), with 1 thread and with 2 threads hammering one shared instance. Both start with
 * {@value #RESIDENT_COUNT} entries; every operation pops one and pushes it back, so neither ever
 * runs empty. With 2 threads the numbers are per operation per thread, under contention on the
 * head. {@code popAllPushChainTaggedStack} is the batch path (one CAS each way for the whole
 * stack; popAll walks the chain once to keep the count exact).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class TaggedStackBenchmark {

    static final int RESIDENT_COUNT = 64;
    private static final long NODE_BYTE_SIZE = 64;
    private static final long NEXT_OFFSET = 0;

    private Arena arena;
    private TaggedStack stack;
    private ConcurrentLinkedDeque<Long> deque;
    /** The node at the bottom of the stack: the last node of the chain popAll returns. */
    private long bottomNode;

    @Setup(Level.Trial)
    public void fill() {
        arena = Arena.ofShared();
        long base = arena.allocate(RESIDENT_COUNT * NODE_BYTE_SIZE, 64).address();
        stack = new TaggedStack(NEXT_OFFSET);
        deque = new ConcurrentLinkedDeque<>();
        for (int i = 0; i < RESIDENT_COUNT; i++) {
            long node = base + i * NODE_BYTE_SIZE;
            stack.push(node);
            deque.push(node);
        }
        bottomNode = base;
    }

    @TearDown(Level.Trial)
    public void freeNodes() {
        arena.close();
    }

    // ---- one thread ---------------------------------------------------------------------------------

    @Benchmark
    @Threads(1)
    public long popPushTaggedStack1Thread() {
        return popPushTaggedStack();
    }

    @Benchmark
    @Threads(1)
    public Long popPushConcurrentLinkedDeque1Thread() {
        return popPushDeque();
    }

    @Benchmark
    @Threads(1)
    public long popAllPushChainTaggedStack() {
        long first = stack.popAll();
        stack.pushChain(first, bottomNode, RESIDENT_COUNT);
        return first;
    }

    // ---- two threads on one instance ------------------------------------------------------------------

    @Benchmark
    @Threads(2)
    public long popPushTaggedStack2Threads() {
        return popPushTaggedStack();
    }

    @Benchmark
    @Threads(2)
    public Long popPushConcurrentLinkedDeque2Threads() {
        return popPushDeque();
    }

    private long popPushTaggedStack() {
        long node = stack.pop();
        stack.push(node);
        return node;
    }

    private Long popPushDeque() {
        Long node = deque.pop();
        deque.push(node);
        return node;
    }
}
