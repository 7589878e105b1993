package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Seeded stress of {@link AtomicBitmap} on real threads.
 *
 * <p>Workload: 4 threads share a 130-bit bitmap (three words, a partial last word, so runs cross
 * word boundaries and meet the tail). For 1,000,000 steps each thread, with its own seeded random,
 * picks: claim(), claimRun(1..6), tryClaim(random index), or the release of one of the bits or
 * runs it holds (release or releaseRun); a thread holds at most 40 bits, so the bitmap is often
 * nearly full and claims fail and race. An ownership ledger (one int per bit) checks every bit it
 * receives: the ledger slot must go from "nobody" to this thread, so a bit handed out twice, a
 * rolled-back partial run left set, or a tail bit would be caught. At the end every thread
 * releases what it holds and the bitmap must be clear.
 */
class AtomicBitmapStressTest {

    private static final long SEED = 0x7A11_0C_B17L;
    private static final int BIT_COUNT = 130;
    private static final int THREAD_COUNT = 4;
    private static final int STEP_COUNT = 1_000_000;
    private static final int MAX_HELD_BITS = 40;

    private final AtomicIntegerArray owners = new AtomicIntegerArray(BIT_COUNT);
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();

    @Test
    void shouldNeverHandOutABitTwice() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            AtomicBitmap bitmap = new AtomicBitmap(
                    arena.allocate(AtomicBitmap.byteSizeFor(BIT_COUNT), Long.BYTES).address(), BIT_COUNT);
            CyclicBarrier start = new CyclicBarrier(THREAD_COUNT);
            List<Thread> threads = new ArrayList<>();
            for (int threadIndex = 0; threadIndex < THREAD_COUNT; threadIndex++) {
                Worker worker = new Worker(bitmap, threadIndex + 1, new Random(SEED + threadIndex), start);
                threads.add(Thread.ofPlatform().name("stress-" + threadIndex).start(worker));
            }
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(problems).as("seed=%x", SEED).isEmpty();
            assertThat(bitmap.isClear()).isTrue();
            assertThat(bitmap.cardinality()).isZero();
        }
    }

    /** A run this thread holds: {@code count} bits from {@code fromIndex}. */
    private record Held(int fromIndex, int count) {
    }

    private final class Worker implements Runnable {
        private final AtomicBitmap bitmap;
        private final int ownerId;
        private final Random random;
        private final CyclicBarrier start;
        private final List<Held> held = new ArrayList<>();
        private int heldBits;

        Worker(AtomicBitmap bitmap, int ownerId, Random random, CyclicBarrier start) {
            this.bitmap = bitmap;
            this.ownerId = ownerId;
            this.random = random;
            this.start = start;
        }

        @Override
        public void run() {
            try {
                start.await();
                for (int step = 0; step < STEP_COUNT && problems.isEmpty(); step++) {
                    step();
                }
                while (!held.isEmpty()) {
                    releaseOne();
                }
            } catch (Exception | AssertionError e) {
                problems.add("thread " + ownerId + ": " + e);
            }
        }

        private void step() {
            int choice = random.nextInt(10);
            if (heldBits >= MAX_HELD_BITS || (choice >= 6 && !held.isEmpty())) {
                releaseOne();
            } else if (choice < 2) {
                take(bitmap.claim(), 1);
            } else if (choice < 4) {
                int count = 1 + random.nextInt(6);
                take(bitmap.claimRun(count), count);
            } else {
                int index = random.nextInt(BIT_COUNT);
                if (bitmap.tryClaim(index)) {
                    take(index, 1);
                }
            }
        }

        private void take(int fromIndex, int count) {
            if (fromIndex < 0) {
                return;
            }
            for (int index = fromIndex; index < fromIndex + count; index++) {
                if (index >= BIT_COUNT || !owners.compareAndSet(index, 0, ownerId)) {
                    problems.add("bit " + index + " handed to thread " + ownerId + " but held by "
                            + (index < BIT_COUNT ? owners.get(index) : "nobody (tail bit)"));
                }
            }
            held.add(new Held(fromIndex, count));
            heldBits += count;
        }

        private void releaseOne() {
            Held run = held.remove(random.nextInt(held.size()));
            for (int index = run.fromIndex(); index < run.fromIndex() + run.count(); index++) {
                if (!owners.compareAndSet(index, ownerId, 0)) {
                    problems.add("bit " + index + " released by thread " + ownerId + " but held by " + owners.get(index));
                }
            }
            if (run.count() == 1 && random.nextBoolean()) {
                bitmap.release(run.fromIndex());
            } else {
                bitmap.releaseRun(run.fromIndex(), run.count());
            }
            heldBits -= run.count();
        }
    }
}
