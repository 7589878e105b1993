package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Random operation sequences through the cached path against a model (a map from block address
 * to requested size): sizes mostly in the cached classes, frees on this thread and on a second
 * thread (cross-thread frees into that thread's cache), double frees of cached blocks, stale
 * frees, usableSize of freed blocks, trims (which purge pages of partly used segments and unmap
 * empty arenas). After every step the heap agrees with the model; at
 * the end the caches and the segments agree on every cached block.
 */
class CachedHeapProperties {

    /**
     * Arenas of four segments, so that a sequence spreads over several and trims unmap the empty
     * ones while stale addresses into them are still freed (they must come back NOT_OWNED-style
     * faults, never a read of unmapped memory), and trims purge pages inside partly used segments
     * under live blocks whose contents are checked.
     */
    private final Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(4L << 20), Mapper.system());
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    /** kind: 0-3 malloc, 4 free here, 5 free on the other thread, 6 free again, 7 usableSize of a freed block, 8 trim, 9 malloc on the other thread. */
    record Op(int kind, long size, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.longs().between(0, 256),
                Arbitraries.longs().between(0, ThreadCacheLayout.MAX_CACHED_SIZE),
                Arbitraries.longs().between(ThreadCacheLayout.MAX_CACHED_SIZE + 1, SizeClasses.MAX_SMALL_SIZE));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 9), sizes,
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(200);
    }

    @AfterProperty
    void close() {
        HeapStats stats = heap.stats();
        otherThread.shutdown();
        heap.close();
        assertThat(stats.releasedBytes()).as("the sequences reached arena unmapping").isPositive();
        assertThat(stats.purgedBytes()).as("the sequences reached page purging").isPositive();
    }

    @Property(tries = 60)
    void shouldAgreeWithAModelThroughTheThreadCachesAndTheIcc(@ForAll("operations") List<Op> operations)
            throws Exception {
        TreeMap<Long, Long> live = new TreeMap<>();
        List<Long> freed = new ArrayList<>();
        for (Op op : operations) {
            apply(op, live, freed);
            assertThat(heap.stats().liveCount()).isEqualTo(live.size());
        }
        for (long address : live.keySet()) {
            assertThat(heap.free(address)).isNull();
        }
        heap.trim();
        otherThread.submit(() -> heap.free(heap.malloc(16))).get();
        assertThat(heap.stats().liveCount()).isZero();
        assertThat(heap.check(true)).isTrue();
    }

    private void apply(Op op, TreeMap<Long, Long> live, List<Long> freed) throws Exception {
        List<Long> addresses = new ArrayList<>(live.keySet());
        Long picked = addresses.isEmpty() ? null : addresses.get(op.pick() % addresses.size());
        Long stale = freed.isEmpty() ? null : freed.get(op.pick() % freed.size());
        switch (op.kind()) {
            case 4, 5 -> {
                if (picked != null) {
                    verify(picked, live.remove(picked));
                    AddressFault fault = op.kind() == 4 ? heap.free(picked) : onOtherThread(() -> heap.free(picked));
                    assertThat(fault).isNull();
                    freed.add(picked);
                }
            }
            case 6 -> {
                if (stale != null && !live.containsKey(stale)) {
                    assertThat(heap.free(stale)).isNotNull();
                }
            }
            case 7 -> {
                if (stale != null && !live.containsKey(stale)) {
                    assertThat(heap.usableSize(stale)).isNegative();
                }
            }
            case 8 -> heap.trim();
            case 9 -> add(live, freed, onOtherThread(() -> heap.malloc(op.size())), op.size());
            default -> add(live, freed, heap.malloc(op.size()), op.size());
        }
    }

    private void add(Map<Long, Long> live, List<Long> freed, long address, long size) {
        assertThat(address % 16).isZero();
        assertThat(live.put(address, size)).isNull();
        freed.remove(Long.valueOf(address));
        assertThat(heap.usableSize(address)).isGreaterThanOrEqualTo(size);
        Memory.fill(address, Math.min(size, 512), (byte) (address >>> 4));
    }

    private static void verify(long address, long size) {
        assertThat(Memory.isFilledWith(address, Math.min(size, 512), (byte) (address >>> 4))).isTrue();
    }

    private <T> T onOtherThread(java.util.concurrent.Callable<T> task) throws InterruptedException {
        try {
            return otherThread.submit(task).get();
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }
}
