package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages of free blocks inside partly used segments go back to the kernel on trim(). Workload: 32
 * MiB of 64-byte blocks (64 per page) and 32 MiB of 80-byte blocks (they straddle pages), each
 * filled with a pattern of its own; then every block is freed except one in {@link #KEEP_EVERY},
 * which leaves runs of whole free pages between the live blocks of every segment.
 */
class PartialPurgeTest {

    private static final long MIB = 1L << 20;
    private static final long[] SIZES = {64, 80};
    private static final long BYTES_PER_SIZE = 32 * MIB;
    /** One live block per 16 KiB of 64-byte blocks (20 KiB of 80-byte ones): about 3 free pages in 4. */
    private static final int KEEP_EVERY = 256;

    @Test
    void shouldLowerRssKeepLiveContentsAndReusePurgedBlocksWithoutNewSegments() {
        try (Heap heap = new Heap(HeapConfig.defaults().withTrim(TrimConfig.manual()), Mapper.system())) {
            List<long[]> kept = freeAllButSparse(heap, allocateFilled(heap));
            HeapStats beforeTrim = heap.stats();
            long rssBefore = RssReader.residentBytes();
            long returned = heap.trim();
            long rssAfter = RssReader.residentBytes();
            HeapStats afterTrim = heap.stats();
            System.out.printf("partial purge: RSS %d -> %d MiB, trim returned %d MiB, committed %d -> %d MiB%n",
                    rssBefore / MIB, rssAfter / MIB, returned / MIB, beforeTrim.committedBytes() / MIB,
                    afterTrim.committedBytes() / MIB);

            long purgeable = BYTES_PER_SIZE;
            assertThat(afterTrim.purgedBytes() - beforeTrim.purgedBytes()).isGreaterThan(purgeable);
            assertThat(rssBefore - rssAfter).as("RSS fell").isGreaterThan(purgeable);
            assertThat(afterTrim.segmentCount()).as("every segment still holds live blocks")
                    .isEqualTo(beforeTrim.segmentCount());
            assertThat(beforeTrim.committedBytes() - afterTrim.committedBytes()).isGreaterThan(purgeable);
            assertThat(heap.check(true)).isTrue();
            verify(kept);

            List<long[]> again = allocateAlternating(heap, (int) (2 * BYTES_PER_SIZE / 80) - kept.size());
            HeapStats reused = heap.stats();
            assertThat(reused.segmentCount()).as("purged blocks were reused").isEqualTo(beforeTrim.segmentCount());
            assertThat(reused.committedBytes()).isLessThanOrEqualTo(beforeTrim.committedBytes());
            assertThat(heap.check(true)).isTrue();
            verify(kept);
            verify(again);
            freeAll(heap, kept);
            freeAll(heap, again);
            assertThat(heap.stats().liveCount()).isZero();
            assertThat(heap.check(true)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldRejectAFreeOfAPurgedBlockAsDoubleFree(boolean threadCache) {
        try (Heap heap = new Heap(HeapConfig.defaults().withThreadCache(threadCache).withTrim(TrimConfig.manual()),
                Mapper.system())) {
            long[] blocks = new long[1024];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = heap.malloc(64);
            }
            for (int i = 1; i < blocks.length - 1; i++) {
                assertThat(heap.free(blocks[i])).isNull();
            }
            heap.trim();
            long purged = 0;
            for (int i = 1; i < blocks.length - 1 && purged == 0; i++) {
                long base = SegmentLayout.segmentBase(blocks[i]);
                if (Segment.state(base, Segment.blockIndex(base, blocks[i])) == SegmentLayout.STATE_PURGED) {
                    purged = blocks[i];
                }
            }
            assertThat(purged).as("a freed block was purged").isNotZero();
            long base = SegmentLayout.segmentBase(purged);

            assertThat(heap.free(purged)).isEqualTo(AddressFault.DOUBLE_FREE);
            assertThat(heap.validate(purged)).isEqualTo(AddressFault.DOUBLE_FREE);
            assertThat(heap.usableSize(purged)).isNegative();
            long address = purged;
            assertThatThrownBy(() -> heap.realloc(address, 100)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Long.toHexString(purged));
            assertThat(Segment.state(base, Segment.blockIndex(base, purged))).isEqualTo(SegmentLayout.STATE_PURGED);
            assertThat(heap.check(true)).isTrue();
            assertThat(heap.free(blocks[0])).isNull();
            assertThat(heap.free(blocks[blocks.length - 1])).isNull();
        }
    }

    @Test
    void shouldLeaveBlocksFreeAndCountTheFailureWhenTheKernelRefusesThePurge() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        try (Heap heap = new Heap(HeapConfig.defaults().withTrim(TrimConfig.manual()), mapper)) {
            List<long[]> kept = freeAllButSparse(heap, allocateFilledBytes(heap, 4 * MIB));
            heap.trim();
            heap.trim();
            HeapStats clean = heap.stats();

            List<long[]> second = allocateFilledBytes(heap, 4 * MIB);
            List<long[]> keptToo = freeAllButSparse(heap, second);
            mapper.failAlways(MapOperation.DECOMMIT);
            heap.trim();
            HeapStats refused = heap.stats();
            assertThat(refused.failedKernelCalls()).isGreaterThan(clean.failedKernelCalls());
            assertThat(refused.purgedBytes()).isEqualTo(clean.purgedBytes());
            assertThat(refused.committedBytes()).isEqualTo(mapper.committedBytes());
            for (int i = 0; i < second.size(); i++) {
                long address = second.get(i)[0];
                long base = SegmentLayout.segmentBase(address);
                assertThat(Segment.state(base, Segment.blockIndex(base, address))).as("block %d", i)
                        .isEqualTo(i % KEEP_EVERY == 0 ? SegmentLayout.STATE_ALLOCATED : SegmentLayout.STATE_FREE);
            }
            assertThat(heap.check(true)).as("every FREE block is in its segment's free list").isTrue();
            verify(kept);
            verify(keptToo);

            List<long[]> refilled = allocateAlternating(heap, second.size() - keptToo.size());
            assertThat(heap.stats().segmentCount()).as("no block was lost").isEqualTo(refused.segmentCount());
            freeAll(heap, refilled);

            mapper.reset();
            heap.trim();
            HeapStats after = heap.stats();
            assertThat(after.purgedBytes()).isGreaterThan(refused.purgedBytes());
            assertThat(after.committedBytes()).isEqualTo(mapper.committedBytes());
            assertThat(heap.check(true)).isTrue();
            verify(kept);
            verify(keptToo);
            freeAll(heap, kept);
            freeAll(heap, keptToo);
            assertThat(heap.stats().liveCount()).isZero();
        }
    }

    @Test
    void shouldRecommitHeldPagesWhenAPurgedSegmentIsRetiredOrTheHeapCloses() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        Heap heap = new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(TrimConfig.manual()), mapper);
        List<long[]> kept = freeAllButSparse(heap, allocateFilledBytes(heap, 4 * MIB));
        heap.trim();
        assertThat(heap.stats().committedBytes()).isEqualTo(mapper.committedBytes());
        List<long[]> half = kept.subList(0, kept.size() / 2);
        freeAll(heap, half);
        heap.trim();
        assertThat(heap.stats().committedBytes()).isEqualTo(mapper.committedBytes());
        assertThat(heap.check(true)).isTrue();
        heap.close();
        assertThat(heap.stats().committedBytes()).isZero();
        assertThat(mapper.committedBytes()).isZero();
    }

    // ---- workload -----------------------------------------------------------------------------

    private static List<long[]> allocateFilled(Heap heap) {
        return allocateFilledBytes(heap, BYTES_PER_SIZE);
    }

    private static List<long[]> allocateFilledBytes(Heap heap, long bytesPerSize) {
        List<long[]> blocks = new ArrayList<>();
        for (long size : SIZES) {
            blocks.addAll(allocateFilled(heap, (int) (bytesPerSize / size), size));
        }
        return blocks;
    }

    /** {@code count} blocks, alternating between the sizes. */
    private static List<long[]> allocateAlternating(Heap heap, int count) {
        List<long[]> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            blocks.addAll(allocateFilled(heap, 1, SIZES[i % SIZES.length]));
        }
        return blocks;
    }

    private static List<long[]> allocateFilled(Heap heap, int count, long size) {
        List<long[]> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long address = heap.malloc(size);
            long pattern = address * 0x9E37_79B9_7F4A_7C15L;
            Memory.fill(address, size, (byte) pattern);
            blocks.add(new long[] {address, size, pattern});
        }
        return blocks;
    }

    /** Frees all but every {@link #KEEP_EVERY}-th block; returns the kept ones. */
    private static List<long[]> freeAllButSparse(Heap heap, List<long[]> blocks) {
        List<long[]> kept = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (i % KEEP_EVERY == 0) {
                kept.add(blocks.get(i));
            } else {
                assertThat(heap.free(blocks.get(i)[0])).isNull();
            }
        }
        return kept;
    }

    private static void verify(List<long[]> blocks) {
        for (long[] block : blocks) {
            assertThat(Memory.isFilledWith(block[0], block[1], (byte) block[2]))
                    .as("contents of the live block 0x%x", block[0]).isTrue();
        }
    }

    private static void freeAll(Heap heap, List<long[]> blocks) {
        for (long[] block : blocks) {
            assertThat(heap.free(block[0])).isNull();
        }
    }
}
