package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Random operation sequences against a simple model: a map from block address to requested
 * size. After every step the heap must agree with the model: live blocks are disjoint, at least
 * as large as asked, aligned, keep their contents; freed ones are refused; the live count matches.
 */
class HeapProperties {

    private final Heap heap = new Heap(HeapConfig.defaults(), Mapper.system());

    /** kind: 0-3 malloc, 4 alignedAlloc, 5-6 free, 7 realloc, 8 free of a stale address. */
    record Op(int kind, long size, int pick, int alignmentLog2) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.longs().between(0, 512),
                Arbitraries.longs().between(0, SizeClasses.MAX_SMALL_SIZE),
                Arbitraries.longs().between(SizeClasses.MAX_SMALL_SIZE + 1, 3L << 20));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 8), sizes,
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 22)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @AfterProperty
    void closeHeap() {
        heap.close();
    }

    @Property(tries = 60)
    void shouldAgreeWithAModelOfDisjointLiveBlocks(@ForAll("operations") List<Op> operations) {
        TreeMap<Long, Long> live = new TreeMap<>();
        List<Long> stale = new ArrayList<>();
        for (Op op : operations) {
            apply(op, live, stale);
            assertConsistent(live);
        }
        for (long address : live.keySet()) {
            assertThat(heap.free(address)).isNull();
        }
        assertThat(heap.stats().liveCount()).isZero();
        assertThat(heap.check(true)).isTrue();
    }

    private void apply(Op op, TreeMap<Long, Long> live, List<Long> stale) {
        List<Long> addresses = new ArrayList<>(live.keySet());
        Long picked = addresses.isEmpty() ? null : addresses.get(op.pick() % addresses.size());
        switch (op.kind()) {
            case 4 -> add(live, heap.alignedAlloc(1L << op.alignmentLog2(), op.size()), op.size(), 1L << op.alignmentLog2());
            case 5, 6 -> {
                if (picked != null) {
                    verify(picked, live.remove(picked));
                    assertThat(heap.free(picked)).isNull();
                    stale.add(picked);
                }
            }
            case 7 -> {
                if (picked != null) {
                    long oldSize = live.remove(picked);
                    long moved = heap.realloc(picked, op.size());
                    verifyPrefix(moved, picked, Math.min(oldSize, op.size()));
                    if (moved != picked) {
                        stale.add(picked);
                    }
                    add(live, moved, op.size(), 16);
                }
            }
            case 8 -> {
                if (!stale.isEmpty()) {
                    long address = stale.get(op.pick() % stale.size());
                    if (!live.containsKey(address)) {
                        assertThat(heap.free(address)).isNotNull();
                    }
                }
            }
            default -> add(live, heap.malloc(op.size()), op.size(), 16);
        }
    }

    private void add(Map<Long, Long> live, long address, long size, long alignment) {
        assertThat(address % alignment).isZero();
        assertThat(live.put(address, size)).isNull();
        fill(address, size);
    }

    private void assertConsistent(TreeMap<Long, Long> live) {
        long previousEnd = 0;
        for (Map.Entry<Long, Long> block : live.entrySet()) {
            long usable = heap.usableSize(block.getKey());
            assertThat(usable).isGreaterThanOrEqualTo(block.getValue());
            assertThat(block.getKey()).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = block.getKey() + usable;
        }
        assertThat(heap.stats().liveCount()).isEqualTo(live.size());
    }

    private static void fill(long address, long size) {
        Memory.fill(address, Math.min(size, 4096), pattern(address));
    }

    private static void verify(long address, long size) {
        assertThat(Memory.isFilledWith(address, Math.min(size, 4096), pattern(address))).isTrue();
    }

    private static void verifyPrefix(long moved, long original, long size) {
        assertThat(Memory.isFilledWith(moved, Math.min(size, 4096), pattern(original))).isTrue();
    }

    private static byte pattern(long address) {
        return (byte) (address >>> 4);
    }
}
