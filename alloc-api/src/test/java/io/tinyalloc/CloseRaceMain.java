package io.tinyalloc;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * For {@link AllocatorCloseRaceTest}, run in a child JVM: rounds in which worker threads call an
 * allocator while the main thread closes it. Workers touch no block themselves, only the
 * allocator does: one platform thread mallocs and frees small blocks (the cached fast paths), one
 * platform and one virtual thread mix small and large mallocs, callocs, reallocs across the
 * small/large boundary and frees (slow paths, large blocks, the copies and zeroing the allocator
 * does inside its calls). Each worker stops at its first exception; anything but the documented
 * ones (the allocator is closed, or refuses a block of the closed allocator) is reported. Exit
 * code 0 and no "unexpected" line mean every round ended without a crash.
 */
public final class CloseRaceMain {

    private static final int KEPT = 64;

    private CloseRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000L;
        int rounds = 0;
        while (System.nanoTime() < deadline) {
            runRound(rounds++);
        }
        System.out.println("rounds=" + rounds);
    }

    private static void runRound(int round) throws InterruptedException {
        Allocator allocator = TestAllocators.builder().trimThread(false).build();
        AtomicLong calls = new AtomicLong();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        workers.add(Thread.ofPlatform().start(() -> untilRefused(unexpected, () -> mallocAndFree(allocator, calls))));
        workers.add(Thread.ofPlatform().start(() -> untilRefused(unexpected, () -> mix(allocator, calls, round))));
        workers.add(Thread.ofVirtual().start(() -> untilRefused(unexpected, () -> mix(allocator, calls, ~round))));
        long warmup = 1000 + (round % 50) * 100L;
        while (calls.get() < warmup && workers.stream().anyMatch(Thread::isAlive)) {
            Thread.onSpinWait();
        }
        allocator.close();
        for (Thread worker : workers) {
            worker.join();
        }
        if (unexpected.get() != null) {
            System.out.println("round " + round + ": unexpected " + unexpected.get());
        }
    }

    private static void untilRefused(AtomicReference<Throwable> unexpected, Runnable work) {
        try {
            work.run();
        } catch (IllegalStateException | IllegalArgumentException documented) {
            // closed, or a block of the closed allocator refused
        } catch (Throwable other) {
            unexpected.compareAndSet(null, other);
        }
    }

    private static void mallocAndFree(Allocator allocator, AtomicLong calls) {
        long[] kept = new long[KEPT];
        for (int i = 0; ; i++) {
            long address = allocator.malloc(16 + (i % 64) * 16L);
            int slot = i & (KEPT - 1);
            if (kept[slot] != 0) {
                allocator.free(kept[slot]);
            }
            kept[slot] = address;
            calls.incrementAndGet();
        }
    }

    private static void mix(Allocator allocator, AtomicLong calls, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] kept = new long[KEPT];
        while (true) {
            int slot = random.nextInt(KEPT);
            long size = random.nextInt(8) == 0 ? 40_000 + random.nextInt(600_000) : 1 + random.nextInt(2_000);
            kept[slot] = switch (random.nextInt(4)) {
                case 0 -> allocator.realloc(kept[slot], size);
                case 1 -> replace(allocator, kept[slot], allocator.calloc(1, size));
                default -> replace(allocator, kept[slot], allocator.malloc(size));
            };
            calls.incrementAndGet();
        }
    }

    private static long replace(Allocator allocator, long old, long address) {
        if (old != 0) {
            allocator.free(old);
        }
        return address;
    }
}
