package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded stress tests of the cached heap, with every block's contents verified before it is freed.
 *
 * <p>Each block carries its address and requested size in its first 16 bytes and a byte pattern
 * derived from both in the next (up to) {@value #PATTERN_BYTES} bytes; a block handed out twice,
 * overwritten by the allocator or cached twice fails the check. Sizes: 70% up to 128 B, 25% up to
 * 4 KiB, 5% up to 32 KiB (all cached classes), a few large ones. Workloads:
 * <ul>
 *   <li>producer/consumer: 2 producers allocate batches of 64 that 2 consumers verify and free,
 *       through a queue of 16 batches: every block is freed by a thread that did not allocate it;</li>
 *   <li>ping-pong: 2 threads swap batches of 128 through an Exchanger, each verifying, freeing and
 *       replacing what it receives;</li>
 *   <li>churn: waves of 6 short-lived threads do random malloc/free on 200 private slots and swap
 *       blocks through 512 shared slots, so blocks outlive the threads that made them and dead
 *       threads' caches must be reclaimed.</li>
 * </ul>
 * At the end every block is freed, the heap is trimmed, and the expensive checkers must find no
 * live, cached or stranded block. Rerun one seed with {@code -Dtinyalloc.stress.seed=...}.
 */
class CachedHeapStressTest {

    private static final int PATTERN_BYTES = 256;
    private static final long TAG = 0x5EED_CAC4EL;

    private final Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(256L << 20), Mapper.system());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
    private final TaggedBlocks tagged = new TaggedBlocks(heap, TAG, seed, PATTERN_BYTES);

    @AfterEach
    void checkEverythingCameBack() {
        System.out.println(getClass().getSimpleName() + " seed=" + seed + " " + heap.stats() + " " + heap.cacheStats());
        assertThat(failure.get()).as("seed=" + seed).isNull();
        heap.trim();
        assertThat(heap.check(true)).isTrue();
        HeapStats stats = heap.stats();
        assertThat(stats.liveCount()).as("seed=" + seed).isZero();
        assertThat(stats.mallocCount()).isEqualTo(stats.freeCount());
        assertThat(heap.cacheStats().threadCachedBytes()).isZero();
        assertThat(heap.cacheStats().sharedCachedBytes()).isZero();
        assertThat(stats.segmentCount()).isZero();
        heap.close();
    }

    @Test
    void shouldKeepBlocksIntactWhenProducersAllocateAndConsumersFree() throws Exception {
        BlockingQueue<long[]> queue = new ArrayBlockingQueue<>(16);
        long deadline = deadline(2_000);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            SplittableRandom random = new SplittableRandom(seed + p);
            threads.add(Thread.ofPlatform().start(checked(() -> produce(random, queue, deadline))));
        }
        for (int c = 0; c < 2; c++) {
            threads.add(Thread.ofPlatform().start(checked(() -> consume(queue))));
        }
        join(threads.subList(0, 2));
        for (int c = 0; c < 2; c++) {
            queue.put(new long[0]);
        }
        join(threads.subList(2, 4));
    }

    @Test
    void shouldKeepBlocksIntactWhenTwoThreadsPingPongBatches() throws Exception {
        Exchanger<long[]> exchanger = new Exchanger<>();
        long deadline = deadline(1_500);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            threads.add(Thread.ofPlatform().start(checked(() -> pingPong(random, exchanger, deadline))));
        }
        join(threads);
    }

    @Test
    void shouldKeepBlocksIntactThroughWavesOfShortLivedThreads() throws Exception {
        AtomicLongArray shared = new AtomicLongArray(512);
        long deadline = deadline(2_000);
        int wave = 0;
        while (System.nanoTime() < deadline && failure.get() == null) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                SplittableRandom random = new SplittableRandom(seed + wave * 6L + t);
                threads.add(Thread.ofPlatform().start(checked(() -> churn(random, shared))));
            }
            join(threads);
            wave++;
        }
        for (int i = 0; i < shared.length(); i++) {
            verifyAndFree(shared.getAndSet(i, 0));
        }
        assertThat(heap.cacheStats().reclaimedCount()).isPositive();
    }

    private void produce(SplittableRandom random, BlockingQueue<long[]> queue, long deadline) {
        while (System.nanoTime() < deadline && failure.get() == null) {
            long[] batch = new long[64];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = allocate(random);
            }
            put(queue, batch);
        }
    }

    private void consume(BlockingQueue<long[]> queue) {
        while (true) {
            long[] batch = take(queue);
            if (batch.length == 0) {
                return;
            }
            for (long block : batch) {
                verifyAndFree(block);
            }
        }
    }

    private void pingPong(SplittableRandom random, Exchanger<long[]> exchanger, long deadline) {
        long[] batch = new long[128];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = allocate(random);
        }
        boolean more = true;
        while (more) {
            more = System.nanoTime() < deadline && failure.get() == null;
            if (!more) {
                for (long block : batch) {
                    verifyAndFree(block);
                }
                batch = new long[0];
            }
            long[] received = exchange(exchanger, batch);
            for (int i = 0; i < received.length; i++) {
                verifyAndFree(received[i]);
                received[i] = allocate(random);
            }
            batch = received;
            more &= received.length > 0;
        }
        for (long block : batch) {
            verifyAndFree(block);
        }
    }

    private void churn(SplittableRandom random, AtomicLongArray shared) {
        long[] slots = new long[200];
        for (int step = 0; step < 3_000; step++) {
            int slot = random.nextInt(slots.length);
            if (slots[slot] == 0) {
                slots[slot] = allocate(random);
            } else if (random.nextInt(4) == 0) {
                long mine = slots[slot];
                verify(mine);
                slots[slot] = shared.getAndSet(random.nextInt(shared.length()), mine);
            } else {
                verifyAndFree(slots[slot]);
                slots[slot] = 0;
            }
        }
        for (long block : slots) {
            verifyAndFree(block);
        }
    }

    private long allocate(SplittableRandom random) {
        int dice = random.nextInt(1000);
        long size = dice < 700 ? random.nextLong(0, 129) : dice < 950 ? random.nextLong(129, 4097)
                : dice < 998 ? random.nextLong(4097, 32_769) : random.nextLong(32_769, 300_000);
        return tagged.allocate(size);
    }

    private void verify(long block) {
        assertThat(heap.validate(block)).as("seed=%d block=0x%x", seed, block).isNull();
        tagged.verify(block);
    }

    private void verifyAndFree(long block) {
        if (block == 0) {
            return;
        }
        assertThat(heap.validate(block)).as("seed=%d block=0x%x", seed, block).isNull();
        tagged.verifyAndFree(block);
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

    private static long deadline(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Waits for room, giving up when another thread has failed (so a dead consumer cannot hang the test). */
    private void put(BlockingQueue<long[]> queue, long[] batch) {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    throw new AssertionError("gave up: another thread failed");
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long[] take(BlockingQueue<long[]> queue) {
        try {
            long[] batch = queue.poll(30, TimeUnit.SECONDS);
            if (batch == null) {
                throw new AssertionError("no batch for 30 s");
            }
            return batch;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long[] exchange(Exchanger<long[]> exchanger, long[] batch) {
        try {
            return exchanger.exchange(batch, 30, TimeUnit.SECONDS);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
