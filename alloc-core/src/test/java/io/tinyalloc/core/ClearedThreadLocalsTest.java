package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Threads of the common ForkJoinPool (JDK 25: InnocuousForkJoinWorkerThread) clear all their
 * ThreadLocals each time they go idle, so the registry's {@code ThreadLocal<Slot>} is lost while
 * the thread, and the cache it holds in the thread table, live on. The thread must get its own
 * cache back, not a second one: otherwise every idle cycle registers another cache, and the one
 * in the table (the fast paths') never runs housekeeping again, so it never drains on a trim
 * request and never passes a quiescence epoch, which keeps every empty arena mapped.
 */
class ClearedThreadLocalsTest {

    private static final long MIB = 1L << 20;
    private static final long TAG = 0x7C1E_A4EDL;
    private static final int CYCLES = 30;

    private final long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Set<Long> workerIds = ConcurrentHashMap.newKeySet();
    private final Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(4 * MIB), Mapper.system());

    @AfterEach
    void checkAndClose() {
        System.out.println(getClass().getSimpleName() + " seed=" + seed + " " + heap.cacheStats());
        assertThat(failure.get()).as("seed=" + seed).isNull();
        assertThat(heap.check(true)).isTrue();
        heap.close();
    }

    @Test
    void shouldKeepOneCachePerThreadWhenACommonPoolWorkerClearsItsThreadLocals() throws Exception {
        heap.free(heap.malloc(64));
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            runOnCommonPoolAndLetItIdle(new SplittableRandom(seed + cycle), 3_000, 4096);
        }
        assertThat(failure.get()).as("seed=" + seed).isNull();
        assertThat(heap.cacheStats().threadCacheCount())
                .as("caches for the test thread and %d common-pool workers", workerIds.size())
                .isLessThanOrEqualTo(workerIds.size() + 1L);
    }

    @Test
    void shouldUnmapAnEmptyArenaOnceTheCommonPoolWorkersThatClearedTheirThreadLocalsHaveBeenBack() throws Exception {
        Set<Long> firstWorkers = runOnEveryCommonPoolWorker(new SplittableRandom(seed));
        int arenasBefore = heap.arenaCount();
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            blocks.add(heap.malloc(32 * 1024));
        }
        assertThat(heap.arenaCount()).isGreaterThanOrEqualTo(arenasBefore + 2);
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
        heap.trim();
        // The workers are alive and have not passed the epoch this trim requested: the arenas
        // wait until each has been through a slow path (a refill) again.
        Set<Long> laterWorkers = ConcurrentHashMap.newKeySet();
        for (int round = 1; round <= 20 && !laterWorkers.containsAll(firstWorkers); round++) {
            laterWorkers.addAll(runOnEveryCommonPoolWorker(new SplittableRandom(seed + round)));
        }
        assertThat(laterWorkers).containsAll(firstWorkers);
        heap.trim();
        assertThat(heap.arenaCount()).as("arenas after the workers came back through their slow paths")
                .isLessThanOrEqualTo(arenasBefore);
    }

    /**
     * One task per common-pool thread (they meet at a barrier first, so no thread runs two), each
     * churning 3,000 blocks of up to 64 B (at least 2,000 of 64 B: more than the bin holds, so
     * each round misses and refills); then waits for the pool to idle.
     *
     * @return the ids of the threads that ran them
     */
    private Set<Long> runOnEveryCommonPoolWorker(SplittableRandom random) throws Exception {
        int parallelism = ForkJoinPool.getCommonPoolParallelism();
        CyclicBarrier allStarted = new CyclicBarrier(parallelism);
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(parallelism);
        for (int t = 0; t < parallelism; t++) {
            SplittableRandom own = random.split();
            ForkJoinPool.commonPool().execute(() -> {
                try {
                    allStarted.await(20, TimeUnit.SECONDS);
                    ids.add(Thread.currentThread().threadId());
                    workerIds.add(Thread.currentThread().threadId());
                    churn(own, 3_000, 64);
                } catch (Throwable thrown) {
                    failure.compareAndSet(null, thrown);
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).as("seed=" + seed).isNull();
        letThePoolIdle();
        return ids;
    }

    /**
     * Runs one task on the common pool that allocates, verifies and frees {@code count} blocks
     * (most of 64 B, the rest up to {@code maxSize}), then waits for the pool to idle.
     */
    private void runOnCommonPoolAndLetItIdle(SplittableRandom random, int count, long maxSize)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ForkJoinPool.commonPool().execute(() -> {
            try {
                workerIds.add(Thread.currentThread().threadId());
                churn(random, count, maxSize);
            } catch (Throwable thrown) {
                failure.compareAndSet(null, thrown);
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        letThePoolIdle();
    }

    /** Waits until no common-pool thread is active, and a little more: idle workers clear their ThreadLocals. */
    private static void letThePoolIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ForkJoinPool.commonPool().getActiveThreadCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(10);
    }

    /** {@code count} blocks, 80% of 64 B, the rest up to {@code maxSize}: allocated, filled, verified, freed. */
    private void churn(SplittableRandom random, int count, long maxSize) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            long size = random.nextInt(10) < 8 ? 64 : random.nextLong(1, maxSize + 1);
            blocks[i] = heap.malloc(size);
            fill(blocks[i], size);
        }
        for (long block : blocks) {
            verify(block);
            assertThat(heap.free(block)).as("seed=%d block=0x%x", seed, block).isNull();
        }
    }

    private static void fill(long block, long size) {
        Memory.putLong(block, block ^ TAG);
        Memory.putLong(block + 8, size);
        Memory.fill(block + 16, Math.max(0, Math.min(size, 256) - 16), (byte) (block >>> 4));
    }

    private void verify(long block) {
        long size = Memory.getLong(block + 8);
        assertThat(Memory.getLong(block)).as("seed=%d block=0x%x tag", seed, block).isEqualTo(block ^ TAG);
        assertThat(Memory.isFilledWith(block + 16, Math.max(0, Math.min(size, 256) - 16), (byte) (block >>> 4)))
                .as("seed=%d block=0x%x pattern", seed, block).isTrue();
        Memory.putLong(block, 0);
    }
}
