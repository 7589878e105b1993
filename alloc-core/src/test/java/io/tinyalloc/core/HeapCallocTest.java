package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.Test;

/**
 * calloc returns zeroed memory whatever the block's past, and a large block freshly mapped is not
 * touched to get there: its pages cost no resident memory until the program writes them.
 */
class HeapCallocTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldNotTouchThePagesOfAFreshLargeBlock() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            long before = RssReader.residentBytes();
            long block = heap.calloc(256 * MIB);
            long after = RssReader.residentBytes();

            assertThat(after - before).isLessThan(32 * MIB);
            for (long offset = 0; offset < 256 * MIB; offset += 4 * MIB + 8) {
                assertThat(Memory.getLong(block + offset)).isZero();
            }
            assertThat(heap.free(block)).isNull();
        }
    }

    @Test
    void shouldZeroALargeBlockReusedFromTheCache() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            long dirty = heap.malloc(2 * MIB);
            Memory.fill(dirty, 2 * MIB, (byte) 0x5A);
            assertThat(heap.free(dirty)).isNull();

            long block = heap.calloc(2 * MIB - 4096);

            assertThat(block).as("served from the large-block cache").isEqualTo(dirty);
            assertThat(Memory.isFilledWith(block, 2 * MIB - 4096, (byte) 0)).isTrue();
            assertThat(heap.free(block)).isNull();
        }
    }

    @Test
    void shouldZeroRecycledSmallBlocksOfEveryCachedSize() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            for (long size : new long[] {0, 1, 16, 100, 4096, 32 * 1024, 200 * 1024}) {
                long dirty = heap.malloc(size);
                Memory.fill(dirty, size, (byte) -1);
                assertThat(heap.free(dirty)).isNull();
                long block = heap.calloc(size);
                assertThat(Memory.isFilledWith(block, size, (byte) 0)).as("size %d", size).isTrue();
                assertThat(heap.free(block)).isNull();
            }
            assertThat(heap.stats().liveCount()).isZero();
        }
    }

    @Test
    void shouldRejectANegativeSizeNamingIt() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            assertThatThrownBy(() -> heap.calloc(-5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-5");
            assertThat(heap.stats().liveCount()).isZero();
        }
    }
}
