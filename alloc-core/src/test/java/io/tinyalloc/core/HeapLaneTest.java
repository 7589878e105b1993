package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Through a heap: two live threads, whose caches get different ICC shards, carve their first
 * blocks of a class from different segments, so their malloc+free pairs write no common cache
 * line (two threads on 2 cores ran at 0.7x one thread's throughput when they shared one).
 */
class HeapLaneTest {

    private static final long BYTE_SIZE = 1024;

    @Test
    void shouldGiveTwoThreadsOfDifferentShardsBlocksOfDifferentSegments() throws Exception {
        assumeTrue(InterConnectCache.shardCountFor(Platform.cpuCount()) >= 2,
                "one ICC shard on this machine: every thread cache is in lane 0");
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            long[] blocks = new long[2];
            CyclicBarrier allocated = new CyclicBarrier(2);
            CountDownLatch firstAllocated = new CountDownLatch(1);
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                int slot = t;
                // Both stay alive until both have allocated: the second cannot adopt the first's cache.
                threads[t] = Thread.ofPlatform().start(() -> {
                    blocks[slot] = heap.malloc(BYTE_SIZE);
                    Memory.putLong(blocks[slot], slot);
                    firstAllocated.countDown();
                    await(allocated);
                });
                if (t == 0) {
                    // Register the first cache (shard 0) before the second (shard 1).
                    assertThat(firstAllocated.await(1, TimeUnit.MINUTES)).isTrue();
                }
            }
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(SegmentLayout.segmentBase(blocks[1])).isNotEqualTo(SegmentLayout.segmentBase(blocks[0]));
            assertThat(Memory.getLong(blocks[0])).isZero();
            assertThat(Memory.getLong(blocks[1])).isEqualTo(1);
            assertThat(heap.free(blocks[0])).isNull();
            assertThat(heap.free(blocks[1])).isNull();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
