package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heap with its thread caches and InterConnect Cache: hits and misses, double frees of cached
 * blocks, caps under producer/consumer traffic, thread exit, virtual threads, trim, zero-on-free,
 * the memory limit, close, and the cache switched off.
 */
class ThreadCacheTest {

    private static final long MIB = 1L << 20;
    private static final HeapConfig CONFIG = HeapConfig.defaults().withArenaByteSize(64 * MIB);

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final AtomicReference<Throwable> threadFailure = new AtomicReference<>();
    private Heap heap = new Heap(CONFIG, mapper);

    @AfterEach
    void closeHeap() {
        assertThat(threadFailure.get()).as("failure on another thread").isNull();
        if (!heap.isClosed()) {
            assertThat(heap.check(true)).isTrue();
            heap.close();
        }
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldServeAMallocFromTheThreadsBinWithTheBlockFreedLast() {
        long first = heap.malloc(64);
        assertThat(heap.free(first)).isNull();
        assertThat(heap.malloc(60)).isEqualTo(first);
        assertThat(heap.usableSize(first)).isEqualTo(64);
        assertThat(heap.free(first)).isNull();
        CacheStats stats = heap.cacheStats();
        assertThat(stats.missCount()).isEqualTo(1);
        assertThat(stats.hitCount()).isEqualTo(1);
        assertThat(stats.threadCacheCount()).isEqualTo(1);
        assertThat(heap.stats().mallocCount()).isEqualTo(2);
        assertThat(heap.stats().freeCount()).isEqualTo(2);
        assertThat(heap.stats().liveCount()).isZero();
    }

    @Test
    void shouldRejectASecondFreeOfACachedBlockRightAway() {
        long block = heap.malloc(48);
        assertThat(heap.free(block)).isNull();
        HeapStats before = heap.stats();
        assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        assertThat(heap.stats()).isEqualTo(before);
        assertThat(heap.malloc(48)).isEqualTo(block);
        assertThat(heap.malloc(48)).isNotEqualTo(block);
    }

    @Test
    void shouldRejectASecondFreeOfABlockWhereverItWentAfterOtherOperations() {
        long block = heap.malloc(100);
        long neighbour = heap.malloc(100);
        assertThat(heap.free(block)).isNull();
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 3 * ThreadCacheLayout.capacity(SizeClasses.classIndex(100)); i++) {
            others.add(heap.malloc(100));
            others.add(heap.malloc(5000));
        }
        others.forEach(other -> assertThat(heap.free(other)).isNull());
        assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        heap.trim();
        assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        assertThat(heap.stats().liveCount()).isEqualTo(1);
        assertThat(heap.free(neighbour)).isNull();
    }

    @Test
    void shouldReportACachedBlockAsFreedToUsableSizeValidateAndRealloc() {
        long block = heap.malloc(256);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.usableSize(block)).isEqualTo(Segment.fault(AddressFault.DOUBLE_FREE));
        assertThat(heap.validate(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        assertThatThrownBy(() -> heap.realloc(block, 300)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toHexString(block));
        assertThat(heap.free(block + 16)).isEqualTo(AddressFault.INTERIOR);
    }

    @Test
    void shouldStillNameEveryFaultOfTheFastPath() {
        long block = heap.malloc(48);
        long base = SegmentLayout.segmentBase(block);
        assertThat(heap.free(block + 16)).isEqualTo(AddressFault.INTERIOR);
        assertThat(heap.free(base)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(base + SegmentLayout.STATE_OFFSET)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(base + SegmentLayout.SEGMENT_SIZE - 16)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(block + 48 * 1000)).isEqualTo(AddressFault.NOT_ALLOCATED);
        assertThat(heap.free(block + SegmentLayout.SEGMENT_SIZE)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(-16)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(block)).isNull();
    }

    @Test
    void shouldCountMissesAndOverflowsAndKeepBinsWithinTheirCapacity() {
        int classIndex = SizeClasses.classIndex(1024);
        int capacity = ThreadCacheLayout.capacity(classIndex);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 4 * capacity; i++) {
            blocks.add(heap.malloc(1024));
        }
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
        CacheStats stats = heap.cacheStats();
        assertThat(stats.missCount()).isGreaterThanOrEqualTo(4 * capacity / ThreadCacheLayout.batchSize(classIndex) - 1);
        assertThat(stats.overflowCount()).isPositive();
        assertThat(stats.threadCachedBytes()).isLessThanOrEqualTo((long) capacity * 1024);
        assertThat(stats.hitCount() + stats.missCount()).isEqualTo(4L * capacity);
        assertThat(heap.stats().liveCount()).isZero();
    }

    @Test
    void shouldRefillANewThreadsBinWithFewBlocksFirstAndDoubleEachRefillUpToHalfTheBin() {
        int classIndex = SizeClasses.classIndex(16);
        int batch = ThreadCacheLayout.batchSize(classIndex);
        assertThat(batch).isGreaterThan(8 * ThreadCache.FIRST_REFILL);
        List<Long> blocks = new ArrayList<>();
        int refill = ThreadCache.FIRST_REFILL;
        for (int miss = 1; miss <= 10; miss++) {
            blocks.add(heap.malloc(16));
            assertThat(heap.cacheStats().threadCachedBytes()).as("after miss %d", miss).isEqualTo((refill - 1) * 16L);
            for (int hit = 1; hit < refill; hit++) {
                blocks.add(heap.malloc(16));
            }
            assertThat(heap.cacheStats().threadCachedBytes()).isZero();
            assertThat(heap.cacheStats().missCount()).isEqualTo(miss);
            refill = Math.min(batch, 2 * refill);
        }
        assertThat(refill).isEqualTo(batch);
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
        assertThat(heap.stats().liveCount()).isZero();
    }

    @Test
    void shouldKeepCachesBoundedWhenOneThreadAllocatesAndAnotherFrees() throws Exception {
        BlockingQueue<long[]> handOff = new ArrayBlockingQueue<>(8);
        int rounds = 400;
        int perRound = 512;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> producer = pool.submit(() -> {
            for (int r = 0; r < rounds; r++) {
                long[] batch = new long[perRound];
                for (int i = 0; i < perRound; i++) {
                    batch[i] = heap.malloc(64);
                    Memory.putLong(batch[i], batch[i]);
                }
                handOff.put(batch);
            }
            return null;
        });
        AtomicReference<CacheStats> peak = new AtomicReference<>(heap.cacheStats());
        Future<?> consumer = pool.submit(() -> {
            for (int r = 0; r < rounds; r++) {
                for (long block : handOff.take()) {
                    assertThat(Memory.getLong(block)).isEqualTo(block);
                    assertThat(heap.free(block)).isNull();
                }
                CacheStats stats = heap.cacheStats();
                if (stats.threadCachedBytes() + stats.sharedCachedBytes()
                        > peak.get().threadCachedBytes() + peak.get().sharedCachedBytes()) {
                    peak.set(stats);
                }
            }
            return null;
        });
        try {
            producer.get();
            consumer.get();
        } finally {
            // If one side failed, the other must not still be in the heap when closeHeap unmaps it:
            // a side that does not stop is a thread failure, and closeHeap then leaves the heap mapped.
            pool.shutdownNow();
            if (!pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                threadFailure.compareAndSet(null, new AssertionError("producer or consumer still running"));
            }
        }
        long shardBytes = (long) InterConnectCache.shardCapacity(0) * 64 * InterConnectCache.shardCountFor(
                io.tinyalloc.sys.Platform.cpuCount());
        assertThat(peak.get().threadCachedBytes()).isLessThanOrEqualTo(2 * ThreadCacheLayout.maxCachedByteSize());
        assertThat(peak.get().sharedCachedBytes()).isLessThanOrEqualTo(shardBytes * 4);
        assertThat(heap.stats().liveCount()).isZero();
        assertThat(heap.stats().mallocCount()).isEqualTo((long) rounds * perRound);
        assertThat(heap.stats().segmentCount()).isLessThanOrEqualTo(4);
    }

    /**
     * 10,000 platform threads, each allocating blocks of several classes and freeing most of them,
     * so that each dies with a populated cache. After they end, trim reclaims every dead cache: no
     * cached byte and no live block remain, and the segments agree (no stranded block).
     */
    @Test
    void shouldReclaimTheCachesOfTenThousandShortLivedThreads() throws Exception {
        HeapStats baseline = heap.stats();
        List<Long> kept = java.util.Collections.synchronizedList(new ArrayList<>());
        int threadCount = 10_000;
        for (int wave = 0; wave < threadCount / 100; wave++) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 100; t++) {
                int seed = wave * 100 + t;
                threads.add(Thread.ofPlatform().start(checked(() -> {
                    long[] blocks = new long[8];
                    for (int i = 0; i < blocks.length; i++) {
                        blocks[i] = heap.malloc(16L << (i % 6));
                    }
                    for (int i = 0; i < blocks.length - 1; i++) {
                        assertThat(heap.free(blocks[i])).isNull();
                    }
                    if (seed % 2 == 0) {
                        kept.add(blocks[blocks.length - 1]);
                    } else {
                        assertThat(heap.free(blocks[blocks.length - 1])).isNull();
                    }
                })));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertThat(heap.cacheStats().threadCacheCount()).isLessThan(threadCount);
        for (long block : kept) {
            assertThat(heap.free(block)).isNull();
        }
        heap.trim();
        CacheStats caches = heap.cacheStats();
        assertThat(caches.reclaimedCount()).isGreaterThanOrEqualTo(threadCount);
        assertThat(caches.threadCachedBytes()).isZero();
        assertThat(caches.sharedCachedBytes()).isZero();
        HeapStats after = heap.stats();
        assertThat(after.liveCount()).isEqualTo(baseline.liveCount());
        assertThat(after.liveBytes()).isEqualTo(baseline.liveBytes());
        assertThat(after.mallocCount()).isEqualTo(after.freeCount()).isEqualTo(8L * threadCount);
        assertThat(after.segmentCount()).isZero();
        assertThat(heap.check(true)).isTrue();
    }

    /**
     * A thread that starts after another has ended takes the dead thread's cache over, blocks
     * included: its first malloc of a class the dead thread freed into is served from the
     * inherited bin, with no refill, and a second free of that block is still a double free. No
     * stats call may run in between: it would sweep (drain) the dead cache first.
     */
    @Test
    void shouldHandADeadThreadsCacheWithItsBlocksToTheNextNewThread() throws Exception {
        long[] freedByFirst = new long[2];
        Thread first = Thread.ofPlatform().start(checked(() -> {
            freedByFirst[0] = heap.malloc(64);
            freedByFirst[1] = heap.malloc(1000);
            assertThat(heap.free(freedByFirst[0])).isNull();
            assertThat(heap.free(freedByFirst[1])).isNull();
        }));
        first.join();
        long[] servedToSecond = new long[2];
        Thread second = Thread.ofPlatform().start(checked(() -> {
            servedToSecond[0] = heap.malloc(64);
            servedToSecond[1] = heap.malloc(1000);
            assertThat(heap.free(servedToSecond[0])).isNull();
            assertThat(heap.free(servedToSecond[0])).isEqualTo(AddressFault.DOUBLE_FREE);
            assertThat(heap.free(servedToSecond[1])).isNull();
        }));
        second.join();

        assertThat(servedToSecond).containsExactly(freedByFirst);
        CacheStats stats = heap.cacheStats();
        assertThat(stats.missCount()).as("refills: the first thread's two only").isEqualTo(2);
        assertThat(stats.hitCount()).isEqualTo(2);
        assertThat(stats.reclaimedCount()).isEqualTo(2);
        assertThat(stats.threadCacheCount()).isZero();
        HeapStats heapStats = heap.stats();
        assertThat(heapStats.mallocCount()).isEqualTo(heapStats.freeCount()).isEqualTo(4);
        assertThat(heapStats.liveCount()).isZero();
        assertThat(heap.check(true)).isTrue();
    }

    /**
     * Virtual threads get no thread cache: a million of them allocate and free through the ICC's
     * shards, and the only thread cache is the test thread's; the shards stay within their bounds.
     */
    @Test
    void shouldServeVirtualThreadsFromTheSharedShardsWithoutThreadCaches() throws Exception {
        heap.free(heap.malloc(32));
        long cachesBefore = heap.cacheStats().threadCacheCount();
        int threadCount = 1_000_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threadCount; t++) {
                int size = 16 + (t % 8) * 16;
                virtualThreads.submit(() -> {
                    try {
                        long block = heap.malloc(size);
                        Memory.putLong(block, block);
                        long other = heap.malloc(2 * size);
                        assertThat(Memory.getLong(block)).isEqualTo(block);
                        assertThat(heap.free(block)).isNull();
                        assertThat(heap.free(other)).isNull();
                    } catch (Throwable thrown) {
                        failure.compareAndSet(null, thrown);
                    }
                });
            }
        }
        assertThat(failure.get()).isNull();
        Thread.ofVirtual().start(checked(() -> {
            long block = heap.malloc(64);
            assertThat(heap.free(block)).isNull();
            assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        })).join();
        CacheStats stats = heap.cacheStats();
        assertThat(stats.threadCacheCount()).isEqualTo(cachesBefore);
        assertThat(stats.sharedMallocCount()).isEqualTo(2L * threadCount + 1);
        assertThat(stats.sharedFreeCount()).isEqualTo(2L * threadCount + 1);
        long shardBound = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            shardBound += (long) InterConnectCache.shardCapacity(c) * SizeClasses.blockSize(c);
        }
        assertThat(stats.sharedCachedBytes()).isLessThanOrEqualTo(shardBound * InterConnectCache.shardCountFor(
                io.tinyalloc.sys.Platform.cpuCount()));
        assertThat(heap.stats().liveCount()).isZero();
        assertThat(heap.check(true)).isTrue();
    }

    @Test
    void shouldDrainALiveThreadsCacheOnItsNextRefillAfterATrim() throws Exception {
        CountDownLatch cached = new CountDownLatch(1);
        CountDownLatch trimmed = new CountDownLatch(1);
        CountDownLatch refilled = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().start(checked(() -> {
            for (int i = 0; i < 10; i++) {
                heap.free(heap.malloc(96));
            }
            cached.countDown();
            await(trimmed);
            heap.free(heap.malloc(4000));
            refilled.countDown();
            await(checked);
        }));
        cached.await();
        assertThat(heap.cacheStats().threadCachedBytes()).isPositive();
        heap.trim();
        trimmed.countDown();
        refilled.await();
        int classIndex = SizeClasses.classIndex(4000);
        assertThat(heap.cacheStats().threadCachedBytes())
                .isEqualTo((long) SizeClasses.blockSize(classIndex) * ThreadCacheLayout.batchSize(classIndex));
        checked.countDown();
        worker.join();
    }

    /**
     * Thread ids 4096 apart share a thread-table slot. The second thread works from its
     * ThreadLocal (slow path) while the first lives, and takes the slot over once it has died.
     */
    @Test
    void shouldServeAThreadWhoseTableSlotIsTakenAndTakeTheSlotOverWhenItsHolderDies() throws Exception {
        CountDownLatch holderReady = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().unstarted(checked(() -> {
            heap.free(heap.malloc(64));
            holderReady.countDown();
            await(release);
            heap.free(heap.malloc(64));
        }));
        Thread collider = threadSharingTheSlotOf(holder);
        holder.start();
        holderReady.await();
        collider.start();
        collider.join();
        assertThat(heap.cacheStats().threadCacheCount()).isEqualTo(1);
        release.countDown();
        holder.join();
        Thread taker = threadSharingTheSlotOf(holder);
        taker.start();
        taker.join();
        assertThat(heap.cacheStats().reclaimedCount()).isEqualTo(3);
        assertThat(heap.stats().liveCount()).isZero();
        assertThat(heap.check(true)).isTrue();
    }

    /** An unstarted thread whose id falls in the same thread-table slot as {@code other}'s. */
    private Thread threadSharingTheSlotOf(Thread other) {
        Thread thread;
        do {
            thread = Thread.ofPlatform().unstarted(checked(this::collide));
        } while (((thread.threadId() - other.threadId()) & ThreadCaches.TABLE_MASK) != 0);
        return thread;
    }

    @Test
    void shouldZeroFreedBlocksWithTheCacheOn() {
        heap.close();
        heap.unmapClosed();
        heap = new Heap(CONFIG.withZeroOnFree(true), mapper);
        long block = heap.malloc(200);
        Memory.fill(block, 200, (byte) 0x5A);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        assertThat(Memory.isFilledWith(block, 200, (byte) 0)).isTrue();
        assertThat(heap.malloc(200)).isEqualTo(block);
        assertThat(heap.cacheStats().hitCount()).isEqualTo(1);
    }

    @Test
    void shouldServeEverythingFromTheClassLocksWithTheCacheOff() {
        heap.close();
        heap.unmapClosed();
        heap = new Heap(CONFIG.withThreadCache(false), mapper);
        long block = heap.malloc(64);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        assertThat(heap.cacheStats()).isEqualTo(new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(heap.stats().cachedBytes()).isPositive();
        assertThat(heap.stats().mallocCount()).isEqualTo(1);
    }

    @Test
    void shouldDrainCachesAndRetryWhenTheMemoryLimitIsReached() {
        heap.close();
        heap.unmapClosed();
        heap = new Heap(CONFIG.withMaxMemoryBytes(4 * MIB), mapper);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 4 * SizeClasses.blockCount(SizeClasses.classIndex(1024)); i++) {
            blocks.add(heap.malloc(1024));
        }
        assertThat(heap.stats().committedBytes()).isEqualTo(4 * MIB);
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
        assertThat(heap.cacheStats().threadCachedBytes()).isPositive();
        blocks.clear();
        for (int i = 0; i < 4 * SizeClasses.blockCount(SizeClasses.classIndex(2048)); i++) {
            blocks.add(heap.malloc(2048));
        }
        assertThat(heap.stats().committedBytes()).isLessThanOrEqualTo(4 * MIB);
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
    }

    @Test
    void shouldFailCleanlyAfterCloseWithBlocksInTheCaches() throws Exception {
        long block = heap.malloc(64);
        heap.free(heap.malloc(64));
        Thread other = Thread.ofPlatform().start(checked(() -> heap.free(heap.malloc(128))));
        other.join();
        heap.close();
        assertThatThrownBy(() -> heap.malloc(64)).isInstanceOf(IllegalStateException.class);
        assertThat(heap.free(block)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.cacheStats().threadCacheCount()).isZero();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread late = Thread.ofPlatform().start(checked(() -> {
            try {
                heap.malloc(128);
            } catch (Throwable thrown) {
                failure.set(thrown);
            }
        }));
        late.join();
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldHoldEachBlockInOnePlaceOnlyAcrossThreads() throws Exception {
        Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        List<Long> all = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(checked(() -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < 5000; i++) {
                    long block = heap.malloc(32);
                    assertThat(seen.add(block)).isTrue();
                    mine.add(block);
                }
                all.addAll(mine);
            })));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(new HashSet<>(all)).hasSize(20_000);
        all.forEach(block -> assertThat(heap.free(block)).isNull());
    }

    private void collide() {
        long block = heap.malloc(64);
        Memory.putLong(block, 42);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.free(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        for (int i = 0; i < 600; i++) {
            heap.free(heap.malloc(64 + i % 64));
        }
    }

    /** Runs {@code task} on another thread, keeping its first failure for {@link #closeHeap}. */
    private Runnable checked(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable thrown) {
                threadFailure.compareAndSet(null, thrown);
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
