package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Seeded stress of the large-block cache while the trim thread unmaps evicted blocks behind the
 * freeing threads' backs.
 *
 * <p>Workload: {@value #THREADS} threads for {@value #DURATION_MILLIS} ms, each keeping up to
 * {@value #SLOTS} large blocks of 257 KiB to 3 MiB, so that far more blocks are freed than the cache
 * holds and evictions go to the trim thread all the time (purge delay 5 ms, so aged cached blocks
 * are unmapped too). A block is stamped with its address and size on each of its pages and checked
 * before it is freed; a quarter of the frees go through {@value #TRANSFER_SLOTS} shared slots and
 * happen on another thread; one thread calls {@code trim()} now and then. A block handed out twice,
 * reused while it still waited to be unmapped, or unmapped while live fails the check or crashes.
 * At the end everything is freed and the heap must hold nothing but its first arena.
 */
class LargeReleaseStressTest {

    private static final int THREADS = 3;
    private static final int SLOTS = 12;
    private static final int TRANSFER_SLOTS = 16;
    private static final long DURATION_MILLIS = 3_000;
    private static final long MIN_SIZE = 257 * 1024;
    private static final long MAX_SIZE = 3L << 20;
    private static final long PAGE = 4096;

    private final TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(5));
    private final Heap heap = new Heap(HeapConfig.defaults().withTrim(trim), Mapper.system());
    private final AtomicLongArray transfer = new AtomicLongArray(TRANSFER_SLOTS);

    @Test
    void shouldKeepEveryLargeBlockIntactWhileEvictedBlocksAreUnmappedInTheBackground() throws Exception {
        long frees = SeededWorkers.run("LargeReleaseStressTest", THREADS, DURATION_MILLIS,
                (t, random, deadline) -> work(random, deadline, t == 0));
        for (int i = 0; i < TRANSFER_SLOTS; i++) {
            verifyAndFree(transfer.getAndSet(i, 0));
        }

        assertThat(frees).as("large frees").isGreaterThan(100);
        assertThat(heap.largeHandedOffCount()).as("evicted blocks unmapped by the trim thread").isGreaterThan(10);
        assertThat(heap.stats().liveCount()).isZero();
        assertThat(heap.check(true)).isTrue();
        heap.trim();
        assertThat(heap.stats().committedBytes()).isZero();
        assertThat(heap.stats().reservedBytes()).isLessThanOrEqualTo(HeapConfig.DEFAULT_ARENA_BYTE_SIZE);
        heap.close();
    }

    private long work(SplittableRandom random, long deadline, boolean trims) {
        long[] slots = new long[SLOTS];
        long frees = 0;
        while (System.nanoTime() < deadline) {
            int slot = random.nextInt(SLOTS);
            if (slots[slot] == 0) {
                slots[slot] = allocate(random.nextLong(MIN_SIZE, MAX_SIZE));
            } else if (random.nextInt(4) == 0) {
                verifyAndFree(transfer.getAndSet(random.nextInt(TRANSFER_SLOTS), slots[slot]));
                slots[slot] = 0;
                frees++;
            } else {
                verifyAndFree(slots[slot]);
                slots[slot] = 0;
                frees++;
            }
            if (trims && random.nextInt(64) == 0) {
                heap.trim();
            }
        }
        for (long block : slots) {
            verifyAndFree(block);
        }
        return frees;
    }

    private long allocate(long byteSize) {
        long block = heap.malloc(byteSize);
        assertThat(heap.usableSize(block)).isGreaterThanOrEqualTo(byteSize);
        for (long offset = 0; offset + 16 <= byteSize - 8; offset += PAGE) {
            Memory.putLong(block + offset, block + offset);
            Memory.putLong(block + offset + 8, byteSize);
        }
        Memory.putLong(block + byteSize - 8, ~block);
        return block;
    }

    private void verifyAndFree(long block) {
        if (block == 0) {
            return;
        }
        long byteSize = Memory.getLong(block + 8);
        if (byteSize < MIN_SIZE || byteSize >= MAX_SIZE) {
            throw new AssertionError("block 0x" + Long.toHexString(block) + " lost its size stamp: " + byteSize);
        }
        for (long offset = 0; offset + 16 <= byteSize - 8; offset += PAGE) {
            if (Memory.getLong(block + offset) != block + offset || Memory.getLong(block + offset + 8) != byteSize) {
                throw new AssertionError("block 0x" + Long.toHexString(block) + " overwritten at offset " + offset);
            }
        }
        if (Memory.getLong(block + byteSize - 8) != ~block) {
            throw new AssertionError("block 0x" + Long.toHexString(block) + " overwritten at its end");
        }
        assertThat(heap.free(block)).isNull();
    }
}
