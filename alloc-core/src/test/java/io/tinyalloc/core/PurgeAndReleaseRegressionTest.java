package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Defects found in review of partial purge and arena unmapping; each test failed before its fix. */
class PurgeAndReleaseRegressionTest {

    private static final long MIB = 1L << 20;
    private static final long PAGE_BLOCK = 4096;

    /**
     * One run of free blocks [2, 7) with page 4 already purged is given back as two madvise calls;
     * the second is refused. The first range stays purged (and VirtualMemory counts it as held),
     * but SegmentPurge.purge loses its bytes with the exception, so the class's heldByteSize is
     * short of them: check fails, and close() leaves committedBytes negative.
     */
    @Test
    void shouldCountHeldBytesOfARangePurgedBeforeTheKernelRefusedTheNextRangeOfTheSameRun() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        Heap heap = new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(TrimConfig.manual()), mapper);
        int classIndex = SizeClasses.classIndex(PAGE_BLOCK);
        assertThat(SizeClasses.blockSize(classIndex)).isEqualTo(PAGE_BLOCK);
        long[] blocks = new long[16];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = heap.malloc(PAGE_BLOCK);
            assertThat(blocks[i]).isEqualTo(blocks[0] + i * PAGE_BLOCK);
        }
        long base = SegmentLayout.segmentBase(blocks[0]);
        assertThat(heap.free(blocks[4])).isNull();
        heap.trim();
        assertThat(Segment.state(base, Segment.blockIndex(base, blocks[4]))).isEqualTo(SegmentLayout.STATE_PURGED);
        for (int i : new int[] {2, 3, 5, 6}) {
            assertThat(heap.free(blocks[i])).isNull();
        }

        mapper.failNth(MapOperation.DECOMMIT, 2);
        heap.trim();

        assertThat(mapper.injectedFailures()).isEqualTo(1);
        assertThat(Segment.state(base, Segment.blockIndex(base, blocks[2]))).as("first range purged")
                .isEqualTo(SegmentLayout.STATE_PURGED);
        Throwable checkFailure = catchThrowable(() -> heap.check(true));
        heap.close();
        long committedAfterClose = heap.stats().committedBytes();

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(checkFailure).as("heap.check(true) after the refused purge").isNull();
            softly.assertThat(committedAfterClose).as("committedBytes after close").isZero();
            softly.assertThat(mapper.committedBytes()).as("mapper's committed bytes after close").isZero();
        });
    }

    /**
     * A thread whose cache holds its table slot, and that afterwards only uses sizes the caches do
     * not serve (32 KiB < size <= 256 KiB), runs slow paths all the time but never passes a
     * quiescence epoch: freeSlow and the uncached malloc never call housekeeping. Empty arenas then
     * stay mapped for as long as that thread lives, though it is far from idle.
     */
    @Test
    void shouldPassTheQuiescenceEpochOnTheSlowPathsOfUncachedClasses() throws Exception {
        long arenaByteSize = 4 * MIB;
        long uncached = 64 * 1024;
        assertThat(ThreadCacheLayout.capacity(SizeClasses.classIndex(uncached))).isZero();
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(arenaByteSize), Mapper.system())) {
            CountDownLatch registered = new CountDownLatch(1);
            CountDownLatch mayWork = new CountDownLatch(1);
            CountDownLatch worked = new CountDownLatch(1);
            CountDownLatch mayFinish = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofPlatform().start(() -> {
                try {
                    long small = heap.malloc(64);
                    assertThat(heap.free(small)).isNull();
                    registered.countDown();
                    mayWork.await();
                    for (int i = 0; i < 100; i++) {
                        long block = heap.malloc(uncached);
                        assertThat(heap.free(block)).isNull();
                    }
                    worked.countDown();
                    mayFinish.await();
                } catch (Throwable t) {
                    failure.set(t);
                    registered.countDown();
                    worked.countDown();
                }
            });
            registered.await();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                blocks.add(heap.malloc(uncached));
            }
            assertThat(heap.arenaCount()).isGreaterThanOrEqualTo(3);
            for (long block : blocks) {
                assertThat(heap.free(block)).isNull();
            }
            heap.trim();
            assertThat(heap.arenaCount()).as("the worker has not passed the epoch yet").isGreaterThan(1);

            mayWork.countDown();
            worked.await();
            heap.trim();
            int arenasAfterWork = heap.arenaCount();
            mayFinish.countDown();
            worker.join();
            assertThat(failure.get()).isNull();
            assertThat(arenasAfterWork).as("arenas mapped after the busy worker's 200 slow paths").isEqualTo(1);
        }
    }

    /**
     * Two threads freeing one block at the same instant (a data race in the program) can leave it
     * in two caches. The first copy goes back, its segment empties and is retired, its arena is
     * unmapped; the second copy must then be refused from the page map, without reading the
     * header where the arena was (which would crash the JVM).
     */
    @Test
    void shouldRefuseASecondCopyOfACachedBlockWhoseArenaIsGoneWithoutReadingIt() {
        VirtualMemory memory = new VirtualMemory(Mapper.system(), Long.MAX_VALUE, Long.MAX_VALUE);
        Arenas arenas = new Arenas(memory, 4 * MIB);
        int classIndex = SizeClasses.classIndex(48);
        ClassQueue queue = new ClassQueue(classIndex, 0x7A7A_5B5B_3C3C_1D1DL ^ classIndex, false, arenas,
                new PageMap());
        long[] entries = new long[1];
        assertThat(queue.allocateCached(entries, 0, 1)).isEqualTo(1);
        long[] twoCopies = {entries[0], entries[0]};
        assertThat(queue.freeCached(twoCopies, 0, 1)).isZero();
        queue.trim();
        assertThat(queue.segmentCount()).isZero();
        arenas.releaseAll();

        assertThat(queue.freeCached(twoCopies, 1, 1)).isEqualTo(1);
        assertThat(queue.refusedCount()).isEqualTo(1);
        queue.close();
    }
}
