package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A drop (MADV_DONTNEED) of pages given back lazily that the kernel refuses is retried by the next
 * {@link Heap#trim()}, here for the pages held inside segments in use: nothing stays only
 * MADV_FREE'd because one trim met a refusal.
 */
class LazyPurgeDropRetryTest {

    private static final long BLOCK_SIZE = 16 * 1024;
    private static final int BLOCK_COUNT = 1024;

    @Test
    void shouldRetryARefusedDropOfPagesHeldInsideSegmentsOnTheNextTrim() {
        LazyFreeLog mapper = new LazyFreeLog();
        TrimConfig trim = TrimConfig.manual().withPurgeMode(PurgeMode.FREE);
        try (Heap heap = new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(trim), mapper)) {
            long[] blocks = new long[BLOCK_COUNT];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = heap.malloc(BLOCK_SIZE);
                Memory.fill(blocks[i], BLOCK_SIZE, (byte) 0x5a);
            }
            List<Long> kept = LazyPurgeTrimTest.keepOnePerSegment(heap, blocks, BLOCK_SIZE);

            mapper.refuseDecommit = true;
            heap.trim();
            assertThat(mapper.lazyRangesLeft()).as("the first trim gave pages back lazily, its drops refused")
                    .isNotEmpty();

            mapper.refuseDecommit = false;
            heap.trim();
            assertThat(mapper.lazyRangesLeft()).as("ranges still only MADV_FREE'd after a second trim()").isEmpty();
            assertThat(heap.check(true)).isTrue();
            for (long block : kept) {
                assertThat(Memory.isFilledWith(block, BLOCK_SIZE, (byte) 0x5a)).isTrue();
                assertThat(heap.free(block)).isNull();
            }
        }
    }
}
