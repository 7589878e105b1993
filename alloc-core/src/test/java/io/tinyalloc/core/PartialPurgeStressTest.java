package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Purges race with allocation. Workload (seeded, {@code -Dtinyalloc.stress.seed} to rerun): 3
 * worker threads for about 1.5 s, each with 4096 slots; a step replaces a random slot by a block
 * of 16..2048 bytes (sizes skewed small), filled with a pattern derived from its address and
 * verified when it is freed; one block in 16 is handed to another thread through a shared queue
 * and freed there. Meanwhile the trim thread runs with a purge delay of 0 (every dirty segment is
 * purged on each 5 ms pass) and a fourth thread calls trim() every 20 ms, so segments are purged
 * and revived under the workers' feet. At the end every block is verified and freed, and the
 * heap's invariants hold.
 */
class PartialPurgeStressTest {

    private static final int WORKERS = 3;
    private static final int SLOTS = 4096;
    private static final long RUN_NANOS = 1_500_000_000L;

    @Test
    void shouldKeepEveryBlockIntactWhilePurgesRaceWithAllocation() throws InterruptedException {
        long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
        System.out.println("PartialPurgeStressTest seed=" + seed + " (rerun with -Dtinyalloc.stress.seed=" + seed + ")");
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ZERO);
        try (Heap heap = new Heap(HeapConfig.defaults().withTrim(trim), Mapper.system())) {
            ConcurrentLinkedQueue<long[]> handoff = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long end = System.nanoTime() + RUN_NANOS;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                SplittableRandom random = new SplittableRandom(seed + w);
                threads.add(start(failure, () -> work(heap, random, handoff, end)));
            }
            threads.add(start(failure, () -> {
                while (System.nanoTime() < end) {
                    heap.trim();
                    sleep(20);
                }
            }));
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failure.get()).as("seed=%d", seed).isNull();
            for (long[] block = handoff.poll(); block != null; block = handoff.poll()) {
                verifyAndFree(heap, block);
            }
            HeapStats stats = heap.stats();
            System.out.println("PartialPurgeStressTest " + stats);
            assertThat(stats.liveCount()).isZero();
            assertThat(stats.purgedBytes()).isPositive();
            assertThat(stats.failedKernelCalls()).isZero();
            heap.trim();
            assertThat(heap.check(true)).isTrue();
        }
    }

    private static void work(Heap heap, SplittableRandom random, ConcurrentLinkedQueue<long[]> handoff, long end) {
        long[][] slots = new long[SLOTS][];
        while (System.nanoTime() < end) {
            for (int step = 0; step < 1000; step++) {
                int slot = random.nextInt(SLOTS);
                if (slots[slot] != null) {
                    if (random.nextInt(16) == 0) {
                        handoff.add(slots[slot]);
                    } else {
                        verifyAndFree(heap, slots[slot]);
                    }
                }
                long[] foreign = random.nextInt(16) == 0 ? handoff.poll() : null;
                if (foreign != null) {
                    verifyAndFree(heap, foreign);
                }
                long size = 16 + (random.nextLong(2032) * random.nextLong(2032)) / 2032;
                long address = heap.malloc(size);
                Memory.fill(address, size, (byte) (address >>> 4));
                slots[slot] = new long[] {address, size};
            }
        }
        for (long[] block : slots) {
            if (block != null) {
                verifyAndFree(heap, block);
            }
        }
    }

    private static void verifyAndFree(Heap heap, long[] block) {
        if (!Memory.isFilledWith(block[0], block[1], (byte) (block[0] >>> 4))) {
            throw new AssertionError("block 0x" + Long.toHexString(block[0]) + " of " + block[1]
                    + " bytes was overwritten");
        }
        AddressFault fault = heap.free(block[0]);
        if (fault != null) {
            throw new AssertionError("free of 0x" + Long.toHexString(block[0]) + ": " + fault);
        }
    }

    private static Thread start(AtomicReference<Throwable> failure, Runnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
