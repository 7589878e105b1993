package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Seeded multi-thread stress test of one heap.
 *
 * <p>Workload: {@value #THREADS} threads, each with {@value #SLOTS} private slots, for
 * {@value #DURATION_MILLIS} ms. Each step picks a random slot; an empty slot gets a new block
 * (sizes: 90% up to 1 KiB, 8% up to 64 KiB, 1.9% up to 256 KiB, 0.1% large up to 4 MiB); a full
 * slot is verified and then, in turn, freed here, reallocated to a new size, or swapped into one of
 * {@value #TRANSFER_SLOTS} shared transfer slots, so that the block it gets back, allocated by
 * another thread, is verified and freed here (cross-thread frees). Every block carries its own
 * address, requested size and a fill pattern, verified before any free or realloc, so a block
 * handed out twice or overwritten by the allocator is caught. At the end everything is freed, the
 * expensive checkers run and the heap must report no live block.
 */
class HeapStressTest {

    private static final int THREADS = 4;
    private static final int SLOTS = 2000;
    private static final int TRANSFER_SLOTS = 256;
    private static final long DURATION_MILLIS = 8_000;
    private static final long TAG = 0x7A11_0C00_5EEDL;
    private static final int PATTERN_BYTES = 2048;

    private final Heap heap = new Heap(HeapConfig.defaults(), Mapper.system());
    private final AtomicLongArray transfer = new AtomicLongArray(TRANSFER_SLOTS);

    @Test
    void shouldKeepEveryBlockIntactUnderConcurrentMallocFreeAndReallocWithCrossThreadFrees() throws Exception {
        long steps = SeededWorkers.run("HeapStressTest", THREADS, DURATION_MILLIS,
                (t, random, deadline) -> work(random, deadline));
        for (int i = 0; i < TRANSFER_SLOTS; i++) {
            verifyAndFree(transfer.getAndSet(i, 0));
        }
        System.out.println("HeapStressTest steps=" + steps + " " + heap.stats());
        assertThat(heap.check(true)).isTrue();
        HeapStats stats = heap.stats();
        assertThat(stats.liveCount()).isZero();
        assertThat(stats.liveBytes()).isZero();
        assertThat(stats.mallocCount()).isEqualTo(stats.freeCount());
        heap.close();
    }

    private long work(SplittableRandom random, long deadline) {
        long[] slots = new long[SLOTS];
        long steps = 0;
        while ((steps & 255) != 0 || System.nanoTime() < deadline) {
            int slot = random.nextInt(SLOTS);
            if (slots[slot] == 0) {
                slots[slot] = allocate(randomSize(random));
            } else {
                slots[slot] = step(random, slots[slot]);
            }
            steps++;
        }
        for (long block : slots) {
            verifyAndFree(block);
        }
        return steps;
    }

    private long step(SplittableRandom random, long block) {
        verify(block);
        switch (random.nextInt(3)) {
            case 0 -> {
                assertThat(heap.free(block)).isNull();
                return 0;
            }
            case 1 -> {
                return reallocate(block, randomSize(random));
            }
            default -> {
                long other = transfer.getAndSet(random.nextInt(TRANSFER_SLOTS), block);
                verifyAndFree(other);
                return 0;
            }
        }
    }

    private static long randomSize(SplittableRandom random) {
        int pick = random.nextInt(1000);
        if (pick < 900) {
            return random.nextLong(1025);
        }
        if (pick < 980) {
            return random.nextLong(1024, 65_537);
        }
        if (pick < 999) {
            return random.nextLong(65_536, SizeClasses.MAX_SMALL_SIZE + 1);
        }
        return random.nextLong(SizeClasses.MAX_SMALL_SIZE + 1, 4L << 20);
    }

    private long allocate(long size) {
        long block = heap.malloc(size);
        stamp(block, size);
        return block;
    }

    private long reallocate(long block, long newSize) {
        long oldPatternEnd = patternEnd(heap.usableSize(block));
        long moved = heap.realloc(block, newSize);
        long kept = Math.min(oldPatternEnd, newSize);
        if (kept > 16 && !Memory.isFilledWith(moved + 16, kept - 16, fill(block))) {
            throw new AssertionError("realloc lost contents: old=0x" + Long.toHexString(block) + " new=0x"
                    + Long.toHexString(moved) + " newSize=" + newSize);
        }
        stamp(moved, newSize);
        return moved;
    }

    /**
     * Header: address ^ TAG and the requested size; then a fill pattern; in blocks of 32 bytes or
     * more, the last 8 usable bytes hold the address again.
     */
    private void stamp(long block, long size) {
        long usable = heap.usableSize(block);
        if (usable < Math.max(size, 16)) {
            throw new AssertionError("usableSize=" + usable + " below request=" + size);
        }
        Memory.putLong(block, block ^ TAG);
        Memory.putLong(block + 8, size);
        Memory.fill(block + 16, patternEnd(usable) - 16, fill(block));
        if (usable >= 32) {
            Memory.putLong(block + usable - 8, block);
        }
    }

    private void verify(long block) {
        long usable = heap.usableSize(block);
        boolean intact = usable >= 16 && Memory.getLong(block) == (block ^ TAG)
                && (usable < 32 || Memory.getLong(block + usable - 8) == block)
                && Memory.isFilledWith(block + 16, patternEnd(usable) - 16, fill(block));
        if (!intact) {
            throw new AssertionError("corrupted block 0x" + Long.toHexString(block) + " usable=" + usable);
        }
    }

    private static long patternEnd(long usable) {
        return Math.min(usable >= 32 ? usable - 8 : usable, PATTERN_BYTES);
    }

    private void verifyAndFree(long block) {
        if (block != 0) {
            verify(block);
            assertThat(heap.free(block)).isNull();
        }
    }

    private static byte fill(long block) {
        return (byte) ((block >>> 4) ^ 0x5A);
    }
}
