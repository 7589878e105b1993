package io.tinyalloc.bench.list;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.list.IntrusiveList;
import io.tinyalloc.list.Link;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link IntrusiveList} against {@code ArrayDeque<Long>} (what a Java programmer would reach
 * for) and against a hand-written, unchecked doubly-linked list over the same off-heap nodes
 * (the floor: what the list costs without its owner checks). Each list holds
 * {@value #RESIDENT_COUNT} nodes.
 *
 * <ul>
 *   <li>{@code pushPop*}: push one node at the tail and pop it again (a cache bin's pattern).</li>
 *   <li>{@code removeAndPushBack*}: remove a node from a random position and append it again
 *       (a segment moving between queues). O(1) for the intrusive lists, a linear search for the
 *       deque.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class IntrusiveListBenchmark {

    static final int RESIDENT_COUNT = 256;
    /** Random positions to remove, cycled through; a power of two so the cursor wraps with a mask. */
    private static final int PICK_COUNT = 4096;
    private static final long NODE_BYTE_SIZE = 64;
    /** Both lists keep their links here; the first 8 bytes stand for the caller's payload. */
    private static final long LINK_OFFSET = 8;

    private Arena arena;
    /** Nodes 0..RESIDENT_COUNT-1 live in the lists; the last one is the spare that gets pushed. */
    private long[] nodes;
    private Long[] boxedNodes;
    private int[] picks;
    private int pickCursor;

    private IntrusiveList list;
    private ArrayDeque<Long> deque;
    private BaselineList baseline;

    @Setup(Level.Trial)
    public void allocateNodes() {
        arena = Arena.ofShared();
        long base = arena.allocate((RESIDENT_COUNT + 1) * NODE_BYTE_SIZE, 64).address();
        nodes = new long[RESIDENT_COUNT + 1];
        boxedNodes = new Long[RESIDENT_COUNT + 1];
        for (int i = 0; i <= RESIDENT_COUNT; i++) {
            nodes[i] = base + i * NODE_BYTE_SIZE;
            boxedNodes[i] = nodes[i];
        }
        SplittableRandom random = new SplittableRandom(42);
        picks = random.ints(PICK_COUNT, 0, RESIDENT_COUNT).toArray();
    }

    /** Each list uses the same nodes, so only one of them may hold them at a time. */
    @Setup(Level.Iteration)
    public void fillLists() {
        for (long node : nodes) {
            Link.init(node + LINK_OFFSET);
        }
        list = new IntrusiveList(LINK_OFFSET);
        deque = new ArrayDeque<>(RESIDENT_COUNT * 2);
        baseline = new BaselineList();
        pickCursor = 0;
    }

    @TearDown(Level.Trial)
    public void freeNodes() {
        arena.close();
    }

    private IntrusiveList filledList() {
        if (list.isEmpty()) {
            for (int i = 0; i < RESIDENT_COUNT; i++) {
                list.push(nodes[i]);
            }
        }
        return list;
    }

    private ArrayDeque<Long> filledDeque() {
        if (deque.isEmpty()) {
            for (int i = 0; i < RESIDENT_COUNT; i++) {
                deque.addLast(boxedNodes[i]);
            }
        }
        return deque;
    }

    private BaselineList filledBaseline() {
        if (baseline.firstNode == 0) {
            for (int i = 0; i < RESIDENT_COUNT; i++) {
                baseline.push(nodes[i]);
            }
        }
        return baseline;
    }

    private int nextPick() {
        return picks[pickCursor++ & (PICK_COUNT - 1)];
    }

    // ---- push + pop at the tail ---------------------------------------------------------------------

    @Benchmark
    public long pushPopIntrusiveList() {
        IntrusiveList l = filledList();
        l.push(nodes[RESIDENT_COUNT]);
        return l.pop();
    }

    @Benchmark
    public Long pushPopArrayDeque() {
        ArrayDeque<Long> d = filledDeque();
        d.addLast(boxedNodes[RESIDENT_COUNT]);
        return d.pollLast();
    }

    @Benchmark
    public long pushPopBaseline() {
        BaselineList l = filledBaseline();
        l.push(nodes[RESIDENT_COUNT]);
        return l.pop();
    }

    // ---- remove from a random position, append again ------------------------------------------------

    @Benchmark
    public long removeAndPushBackIntrusiveList() {
        IntrusiveList l = filledList();
        long node = nodes[nextPick()];
        l.remove(node);
        l.push(node);
        return node;
    }

    @Benchmark
    public Long removeAndPushBackArrayDeque() {
        ArrayDeque<Long> d = filledDeque();
        Long node = boxedNodes[nextPick()];
        d.removeFirstOccurrence(node);
        d.addLast(node);
        return node;
    }

    @Benchmark
    public long removeAndPushBackBaseline() {
        BaselineList l = filledBaseline();
        long node = nodes[nextPick()];
        l.remove(node);
        l.push(node);
        return node;
    }

    /**
     * The floor: a doubly-linked list over the same links with no checks at all (no owner, no
     * address validation, no size, no modification count). Not usable as a library: a wrong node
     * corrupts it silently, which is exactly what {@link IntrusiveList} pays to prevent.
     */
    static final class BaselineList {
        long firstNode;
        long lastNode;

        void push(long node) {
            long link = node + LINK_OFFSET;
            Memory.putLong(link + Link.NEXT_OFFSET, 0);
            Memory.putLong(link + Link.PREV_OFFSET, lastNode);
            if (lastNode == 0) {
                firstNode = node;
            } else {
                Memory.putLong(lastNode + LINK_OFFSET + Link.NEXT_OFFSET, node);
            }
            lastNode = node;
        }

        long pop() {
            long node = lastNode;
            remove(node);
            return node;
        }

        void remove(long node) {
            long link = node + LINK_OFFSET;
            long prev = Memory.getLong(link + Link.PREV_OFFSET);
            long next = Memory.getLong(link + Link.NEXT_OFFSET);
            if (prev == 0) {
                firstNode = next;
            } else {
                Memory.putLong(prev + LINK_OFFSET + Link.NEXT_OFFSET, next);
            }
            if (next == 0) {
                lastNode = prev;
            } else {
                Memory.putLong(next + LINK_OFFSET + Link.PREV_OFFSET, prev);
            }
        }
    }
}
