package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded stress of cache adoption ({@code ThreadCaches.adoptLocked}): new threads take over the
 * bins of dead ones while other threads touch those caches, their blocks and their table slots:
 * the trim thread and explicit trims and stats (sweeps, trim epochs), threads whose ids share the
 * dead thread's or a live thread's table slot, threads freeing blocks a dead cache holds (double
 * frees), and virtual threads freeing dead threads' blocks through the shared shards.
 *
 * <p>Every block carries its address and size in its first 16 bytes and a pattern derived from
 * both and the seed after them, verified before each free; at the end everything is freed, the
 * heap is trimmed, and the expensive checks (every CACHED state byte in exactly one cache) and
 * the counters must be back to zero. Rerun one seed with {@code -Dtinyalloc.stress.seed=...}.
 */
class CacheAdoptionStressTest {

    private static final int PATTERN_BYTES = 192;
    private static final long DURATION_MILLIS = 2_500;

    private final long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
    private final long tag = new SplittableRandom(seed).nextLong() | 1;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Heap heap;
    private TaggedBlocks tagged;

    @AfterEach
    void everythingCameBack() {
        System.out.println(getClass().getSimpleName() + " seed=" + seed + " adopted=" + adoptedCount() + " "
                + heap.cacheStats() + " " + heap.stats());
        assertThat(failure.get()).as("seed=" + seed).isNull();
        heap.trim();
        assertThat(heap.check(true)).isTrue();
        HeapStats stats = heap.stats();
        CacheStats caches = heap.cacheStats();
        assertThat(stats.liveCount()).as("seed=" + seed).isZero();
        assertThat(stats.mallocCount()).as("seed=" + seed).isEqualTo(stats.freeCount());
        assertThat(caches.threadCachedBytes()).as("seed=" + seed).isZero();
        assertThat(caches.sharedCachedBytes()).as("seed=" + seed).isZero();
        assertThat(caches.refusedCount()).as("seed=" + seed).isZero();
        assertThat(stats.segmentCount()).as("seed=" + seed).isZero();
        heap.close();
    }

    /**
     * Waves of three short-lived threads: one shares the table slot of a long-lived thread, one
     * the slot of a thread of the previous wave (dead by then), one anywhere. They work on private
     * blocks and swap blocks with the long-lived thread through shared slots, and die with full
     * bins, which the next wave adopts, while a trimmer calls trim(), stats() and cacheStats() at
     * random moments and the trim thread runs passes every 5 ms.
     */
    @Test
    void shouldKeepBlocksIntactWhileNewThreadsTakeOverDeadCachesAndOthersTrimAndSweep() throws Exception {
        heap = new Heap(HeapConfig.defaults().withArenaByteSize(64L << 20)
                .withTrim(TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(5))), Mapper.system());
        tagged = new TaggedBlocks(heap, tag, seed, PATTERN_BYTES);
        AtomicLongArray shared = new AtomicLongArray(256);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MILLIS);
        Thread holder = Thread.ofPlatform().start(checked(() -> exchange(new SplittableRandom(seed - 1), shared,
                deadline)));
        Thread trimmer = Thread.ofPlatform().start(checked(() -> trimAtRandom(new SplittableRandom(seed - 2),
                deadline)));
        Thread previous = holder;
        int wave = 0;
        while (System.nanoTime() < deadline && failure.get() == null) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                SplittableRandom random = new SplittableRandom(seed + 3L * wave + t);
                Runnable work = checked(() -> shortLife(random, shared));
                threads.add(t == 0 ? sharingTheSlotOf(holder, work)
                        : t == 1 ? sharingTheSlotOf(previous, work) : Thread.ofPlatform().unstarted(work));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            previous = threads.get(1);
            wave++;
        }
        holder.join();
        trimmer.join();
        for (int i = 0; i < shared.length(); i++) {
            tagged.verifyAndFree(shared.getAndSet(i, 0));
        }
        System.out.println("waves=" + wave);
        assertThat(adoptedCount()).as("seed=" + seed).isPositive();
    }

    /**
     * A thread frees blocks into its bin and dies; then a new thread starts (and takes a dead
     * cache over) while a long-lived thread frees the dead thread's blocks again: every second
     * free must be a DOUBLE_FREE, and no block may come back twice afterwards.
     */
    @Test
    void shouldReportTheDoubleFreeOfABlockInADeadCacheWhileANewThreadTakesItOver() throws Exception {
        heap = new Heap(HeapConfig.defaults().withArenaByteSize(64L << 20), Mapper.system());
        tagged = new TaggedBlocks(heap, tag, seed, PATTERN_BYTES);
        BlockingQueue<long[]> toFreeAgain = new ArrayBlockingQueue<>(1);
        BlockingQueue<Boolean> doneFreeing = new ArrayBlockingQueue<>(1);
        AtomicLong doubleFrees = new AtomicLong();
        Thread doubleFreer = Thread.ofPlatform().start(checked(() -> {
            while (true) {
                long[] blocks = take(toFreeAgain);
                if (blocks.length == 0) {
                    return;
                }
                for (long block : blocks) {
                    assertThat(heap.free(block)).as("seed=%d block=0x%x", seed, block)
                            .isEqualTo(AddressFault.DOUBLE_FREE);
                    doubleFrees.incrementAndGet();
                }
                doneFreeing.add(true);
            }
        }));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MILLIS);
        SplittableRandom rounds = new SplittableRandom(seed);
        while (System.nanoTime() < deadline && failure.get() == null) {
            SplittableRandom random = rounds.split();
            long size = 16L * random.nextInt(1, 64);
            long[] freed = new long[random.nextInt(1, 40)];
            Thread first = Thread.ofPlatform().start(checked(() -> {
                for (int i = 0; i < freed.length; i++) {
                    freed[i] = tagged.allocate(size);
                }
                for (long block : freed) {
                    tagged.verifyAndFree(block);
                }
            }));
            first.join();
            CountDownLatch secondFreesDone = new CountDownLatch(1);
            Thread second = Thread.ofPlatform().start(checked(() -> {
                long[] other = new long[64];
                for (int i = 0; i < other.length; i++) {
                    other[i] = tagged.allocate(size + 2048);
                }
                for (long block : other) {
                    tagged.verifyAndFree(block);
                }
                await(secondFreesDone);
                long[] same = new long[freed.length];
                for (int i = 0; i < same.length; i++) {
                    same[i] = tagged.allocate(size);
                }
                for (long block : same) {
                    tagged.verifyAndFree(block);
                }
            }));
            toFreeAgain.put(freed);
            assertThat(doneFreeing.poll(20, TimeUnit.SECONDS)).isNotNull();
            secondFreesDone.countDown();
            second.join();
        }
        toFreeAgain.put(new long[0]);
        doubleFreer.join();
        assertThat(doubleFrees.get()).isPositive();
        assertThat(adoptedCount()).as("seed=" + seed).isPositive();
    }

    /**
     * Short-lived platform threads allocate blocks, hand some to virtual threads (which verify
     * and free them through the shared shards) and die with full bins that the next ones adopt;
     * the test thread trims now and then.
     */
    @Test
    void shouldKeepBlocksIntactWhenVirtualThreadsFreeDeadThreadsBlocksWhileNewThreadsAdopt() throws Exception {
        heap = new Heap(HeapConfig.defaults().withArenaByteSize(64L << 20), Mapper.system());
        tagged = new TaggedBlocks(heap, tag, seed, PATTERN_BYTES);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MILLIS);
        SplittableRandom rounds = new SplittableRandom(seed);
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            int round = 0;
            while (System.nanoTime() < deadline && failure.get() == null) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    SplittableRandom random = rounds.split();
                    threads.add(Thread.ofPlatform().start(checked(() -> {
                        long[] blocks = new long[200];
                        for (int i = 0; i < blocks.length; i++) {
                            blocks[i] = tagged.allocate(randomSize(random));
                        }
                        for (int i = 0; i < blocks.length; i++) {
                            long block = blocks[i];
                            if (random.nextBoolean()) {
                                virtualThreads.submit(checked(() -> {
                                    tagged.verifyAndFree(block);
                                    tagged.verifyAndFree(tagged.allocate(48));
                                }));
                            } else {
                                tagged.verifyAndFree(block);
                            }
                        }
                    })));
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                if (++round % 16 == 0) {
                    heap.trim();
                }
            }
        }
        assertThat(adoptedCount()).as("seed=" + seed).isPositive();
    }

    // ---- workers -------------------------------------------------------------------------------

    private void shortLife(SplittableRandom random, AtomicLongArray shared) {
        long[] mine = new long[64];
        for (int step = 0; step < 400; step++) {
            int slot = random.nextInt(mine.length);
            if (mine[slot] == 0) {
                mine[slot] = tagged.allocate(randomSize(random));
            } else if (random.nextInt(5) == 0) {
                tagged.verify(mine[slot]);
                mine[slot] = shared.getAndSet(random.nextInt(shared.length()), mine[slot]);
            } else {
                tagged.verifyAndFree(mine[slot]);
                mine[slot] = 0;
            }
        }
        for (long block : mine) {
            tagged.verifyAndFree(block);
        }
    }

    private void exchange(SplittableRandom random, AtomicLongArray shared, long deadline) {
        while (System.nanoTime() < deadline && failure.get() == null) {
            int slot = random.nextInt(shared.length());
            long fresh = tagged.allocate(randomSize(random));
            tagged.verifyAndFree(shared.getAndSet(slot, fresh));
            if (random.nextInt(64) == 0) {
                Thread.yield();
            }
        }
    }

    private void trimAtRandom(SplittableRandom random, long deadline) {
        while (System.nanoTime() < deadline && failure.get() == null) {
            switch (random.nextInt(4)) {
                case 0 -> heap.trim();
                case 1 -> heap.stats();
                case 2 -> heap.cacheStats();
                default -> { }
            }
            sleepMillis(random.nextInt(0, 15));
        }
    }

    // ---- blocks --------------------------------------------------------------------------------

    private static long randomSize(SplittableRandom random) {
        int dice = random.nextInt(100);
        return dice < 70 ? random.nextLong(0, 257) : dice < 97 ? random.nextLong(257, 4097)
                : random.nextLong(4097, 32_769);
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private long adoptedCount() {
        try {
            Field caches = Heap.class.getDeclaredField("caches");
            caches.setAccessible(true);
            return ((ThreadCaches) caches.get(heap)).adoptedCount();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** An unstarted thread whose id falls in the same thread-table slot as {@code other}'s. */
    private static Thread sharingTheSlotOf(Thread other, Runnable work) {
        Thread thread;
        do {
            thread = Thread.ofPlatform().unstarted(work);
        } while (((thread.threadId() - other.threadId()) & ThreadCaches.TABLE_MASK) != 0);
        return thread;
    }

    private Runnable checked(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable thrown) {
                failure.compareAndSet(null, thrown);
            }
        };
    }

    private long[] take(BlockingQueue<long[]> queue) {
        try {
            long[] blocks = queue.poll(30, TimeUnit.SECONDS);
            if (blocks == null) {
                throw new AssertionError("nothing to free for 30 s");
            }
            return blocks;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
