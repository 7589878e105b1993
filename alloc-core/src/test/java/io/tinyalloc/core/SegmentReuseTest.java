package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.Test;

/**
 * A segment given back by one size class and formatted for another must not carry the old
 * class's user data into the new class's state array. Workload: fill 10,000 blocks of 4 KiB with
 * the byte value of STATE_ALLOCATED, free them all (their segments retire to the arena's spares,
 * which stay committed and dirty), then allocate 16-byte blocks, which reuse those spans; a free
 * of a 16-byte block that was never handed out must still be refused and never handed out twice.
 */
class SegmentReuseTest {

    private static final int SMALL_CLASS = 0;

    @Test
    void shouldRefuseNeverAllocatedBlockInSegmentReusedByAnotherClass() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            dirtySpans(heap);
            long small = heap.malloc(16);
            long base = SegmentLayout.segmentBase(small);
            long lastBlock = base + SizeClasses.blockStart(SMALL_CLASS)
                    + (long) (SizeClasses.blockCount(SMALL_CLASS) - 1) * SizeClasses.blockSize(SMALL_CLASS);

            assertThat(heap.validate(lastBlock)).isEqualTo(AddressFault.NOT_ALLOCATED);
            assertThat(heap.free(lastBlock)).isEqualTo(AddressFault.NOT_ALLOCATED);
            assertThat(heap.malloc(16)).isNotEqualTo(lastBlock);
            assertThat(heap.check(true)).isTrue();
            assertThat(heap.free(small)).isNull();
        }
    }

    @Test
    void shouldRefuseEveryUncarvedBlockOfReusedSegmentsWithoutTrim() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            long[] blocks = new long[2_000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = heap.malloc(64 * 1024);
                Memory.fill(blocks[i], 64 * 1024, SegmentLayout.STATE_ALLOCATED);
            }
            for (long block : blocks) {
                heap.free(block);
            }
            long small = heap.malloc(16);
            long base = SegmentLayout.segmentBase(small);
            int refused = 0;
            for (int index = 1000; index < SizeClasses.blockCount(SMALL_CLASS); index += 997) {
                long address = base + SizeClasses.blockStart(SMALL_CLASS) + (long) index * SizeClasses.blockSize(SMALL_CLASS);
                assertThat(heap.free(address)).as("block %d", index).isEqualTo(AddressFault.NOT_ALLOCATED);
                refused++;
            }
            assertThat(refused).isGreaterThan(50);
            assertThat(heap.check(true)).isTrue();
            heap.free(small);
        }
    }

    /**
     * The free fast path finds block starts with one multiplication and no block count
     * ({@link SegmentLayout#exactBlockIndex}): in a segment whose tail leaves room, the block
     * start just past the last block passes that test and is refused by the guard byte alone.
     * The spans are dirtied with ALLOCATED bytes first, so a guard byte that formatting did not
     * clear would let the free through.
     */
    @Test
    void shouldRefuseTheBlockStartPastTheLastBlockOfEveryClass() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            dirtySpans(heap);
            int checked = 0;
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                long blockSize = SizeClasses.blockSize(c);
                long pastLast = SizeClasses.blockStart(c) + (long) SizeClasses.blockCount(c) * blockSize;
                if (pastLast >= SegmentLayout.SEGMENT_SIZE) {
                    continue;
                }
                long block = heap.malloc(blockSize);
                assertThat(heap.free(heap.malloc(blockSize))).isNull();
                long address = SegmentLayout.segmentBase(block) + pastLast;
                assertThat(heap.free(address)).as("class %d, offset %d", c, pastLast).isNotNull();
                assertThat(heap.validate(address)).as("class %d, offset %d", c, pastLast).isNotNull();
                assertThat(heap.free(block)).isNull();
                checked++;
            }
            assertThat(checked).isGreaterThan(10);
            assertThat(heap.check(true)).isTrue();
        }
    }

    /** 10,000 blocks of 4 KiB filled with the byte value of STATE_ALLOCATED, then freed: dirty spare spans. */
    private static void dirtySpans(Heap heap) {
        long[] blocks = new long[10_000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = heap.malloc(4096);
            Memory.fill(blocks[i], 4096, SegmentLayout.STATE_ALLOCATED);
        }
        for (long block : blocks) {
            assertThat(heap.free(block)).isNull();
        }
    }
}
