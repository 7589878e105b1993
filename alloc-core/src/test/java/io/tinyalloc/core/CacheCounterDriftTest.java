package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Mapper;
import org.junit.jupiter.api.Test;

/**
 * The cache counters when a refill fails: a malloc the heap could not serve is neither a hit nor
 * more than one miss, so hitCount (mallocCount - missCount) never goes below zero.
 */
class CacheCounterDriftTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldCountOneMissAndNoHitForAMallocThatFailsAtTheMemoryLimit() {
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(4 * MIB).withMaxMemoryBytes(MIB),
                Mapper.system())) {
            long block = heap.malloc(64);
            CacheStats before = heap.cacheStats();
            assertThatThrownBy(() -> heap.malloc(1024)).isInstanceOf(HeapExhaustedException.class);
            CacheStats after = heap.cacheStats();
            System.out.println("before=" + before + "\nafter=" + after);
            assertThat(after.hitCount()).as("hits").isGreaterThanOrEqualTo(0).isEqualTo(before.hitCount());
            assertThat(after.missCount() - before.missCount()).as("misses of one failed malloc").isLessThanOrEqualTo(1);
            assertThat(heap.free(block)).isNull();
            assertThat(heap.check(true)).isTrue();
        }
    }
}
