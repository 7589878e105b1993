package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Random sequences of large-block operations against a model (block address -> requested size
 * and fill byte), with the trim thread running at a 2 ms purge delay, so that cached blocks age
 * out, evicted ones are unmapped behind the sequence's back and the cache's reuse choices (the
 * block committed closest above the request, slack kept or shrunk) all come up: malloc, calloc,
 * realloc to any large or small size, free, a second free of a freed block, usableSize of a freed
 * block, trim. Every live block keeps its contents (first and last bytes and one byte per page);
 * a freed block is never reported live again unless handed out anew.
 */
class LargeBlockProperties {

    private static final long KIB = 1024;
    private static final long PAGE = 4096;

    private final TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(2));
    private final Heap heap = new Heap(HeapConfig.defaults().withTrim(trim), Mapper.system());

    /**
     * kind: 0-3 malloc, 4 calloc, 5-6 free, 7 realloc, 8 free again or validate a freed block, 9 trim,
     * 10 a burst: more blocks than the cache holds, allocated and freed (evictions).
     */
    record Op(int kind, long size, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Long> sizes = Arbitraries.oneOf(
                Arbitraries.longs().between(SizeClasses.MAX_SMALL_SIZE + 1, 1024 * KIB),
                Arbitraries.longs().between(1024 * KIB, 3072 * KIB),
                Arbitraries.longs().between(1, 4 * KIB));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 10), sizes,
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(80);
    }

    @AfterProperty
    void close() {
        assertThat(heap.check(true)).isTrue();
        assertThat(heap.largeHandedOffCount()).as("the sequences reached evictions unmapped by the trim thread")
                .isPositive();
        assertThat(heap.stats().releasedBytes()).as("the sequences reached unmapping").isPositive();
        heap.close();
    }

    @Property(tries = 40)
    void shouldAgreeWithAModelWhileTheTrimThreadAgesAndUnmapsCachedBlocks(@ForAll("operations") List<Op> operations) {
        TreeMap<Long, long[]> live = new TreeMap<>();
        List<Long> freed = new ArrayList<>();
        for (Op op : operations) {
            apply(op, live, freed);
            assertThat(heap.stats().liveCount()).isEqualTo(live.size());
        }
        live.forEach((address, block) -> {
            verify(address, block);
            assertThat(heap.free(address)).isNull();
        });
        assertThat(heap.stats().liveCount()).isZero();
    }

    private void apply(Op op, TreeMap<Long, long[]> live, List<Long> freed) {
        List<Long> addresses = new ArrayList<>(live.keySet());
        Long picked = addresses.isEmpty() ? null : addresses.get(op.pick() % addresses.size());
        Long stale = freed.isEmpty() ? null : freed.get(op.pick() % freed.size());
        switch (op.kind()) {
            case 4 -> {
                long address = heap.calloc(op.size());
                assertThat(Memory.isFilledWith(address, op.size(), (byte) 0)).as("calloc of %d", op.size()).isTrue();
                add(live, freed, address, op.size(), op.pick());
            }
            case 5, 6 -> {
                if (picked != null) {
                    verify(picked, live.remove(picked));
                    assertThat(heap.free(picked)).isNull();
                    freed.add(picked);
                }
            }
            case 7 -> {
                if (picked != null) {
                    long[] block = live.remove(picked);
                    verify(picked, block);
                    long moved = heap.realloc(picked, op.size());
                    long kept = Math.min(block[0], op.size());
                    for (long offset = 0; offset < kept; offset += PAGE) {
                        assertThat(Memory.getByte(moved + offset)).as("kept byte at %d", offset).isEqualTo((byte) block[1]);
                    }
                    if (block[0] <= op.size()) {
                        assertThat(Memory.getByte(moved + block[0] - 1)).isEqualTo((byte) block[1]);
                    }
                    if (moved != picked) {
                        freed.add(picked);
                    }
                    add(live, freed, moved, op.size(), op.pick());
                }
            }
            case 8 -> {
                if (stale != null && !live.containsKey(stale)) {
                    assertThat(op.pick() % 2 == 0 ? heap.free(stale) : heap.validate(stale)).isNotNull();
                }
            }
            case 9 -> heap.trim();
            case 10 -> {
                List<Long> burst = new ArrayList<>();
                for (int i = 0; i < LargeBlocks.CACHE_MAX_COUNT + 4; i++) {
                    burst.add(heap.malloc(op.size() | (SizeClasses.MAX_SMALL_SIZE + 1)));
                }
                for (long address : burst) {
                    assertThat(heap.free(address)).isNull();
                    freed.add(address);
                }
            }
            default -> add(live, freed, heap.malloc(op.size()), op.size(), op.pick());
        }
    }

    private void add(TreeMap<Long, long[]> live, List<Long> freed, long address, long size, int pick) {
        assertThat(address % 16).isZero();
        assertThat(live.put(address, new long[] {size, pick})).isNull();
        freed.remove(Long.valueOf(address));
        assertThat(heap.usableSize(address)).isGreaterThanOrEqualTo(size);
        for (long offset = 0; offset < size; offset += PAGE) {
            Memory.putByte(address + offset, (byte) pick);
        }
        Memory.putByte(address + size - 1, (byte) pick);
    }

    private static void verify(long address, long[] block) {
        long size = block[0];
        for (long offset = 0; offset < size; offset += PAGE) {
            assertThat(Memory.getByte(address + offset)).as("block 0x%x at %d", address, offset).isEqualTo((byte) block[1]);
        }
        assertThat(Memory.getByte(address + size - 1)).isEqualTo((byte) block[1]);
    }
}
