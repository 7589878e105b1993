package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Large blocks evicted from the cache: unregistered at once, unmapped by the trim thread when
 * there is one (so a free of a peak does not pay for the munmaps), inline when there is none,
 * and never lost from the books: committed bytes, trim() and close() account for the ones still
 * pending.
 */
class LargeReleaseTest {

    private static final long MIB = 1L << 20;
    private static final long BLOCK = 300 * 1024;
    private static final int COUNT = 40;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
    private final LargeBlocks large = new LargeBlocks(memory, new PageMap(), false);

    @Test
    void shouldUnmapEvictedBlocksOnTheFreeingThreadWithoutATrimThread() {
        try (Heap heap = new Heap(HeapConfig.defaults().withTrim(TrimConfig.manual()), mapper)) {
            List<Long> blocks = allocate(heap);
            long releases = mapper.calls(MapOperation.RELEASE);

            blocks.forEach(block -> assertThat(heap.free(block)).isNull());

            assertThat(mapper.calls(MapOperation.RELEASE) - releases).isEqualTo(COUNT - LargeBlocks.CACHE_MAX_COUNT);
            assertThat(mapper.reservedBytes()).isEqualTo(reservedFor(heap, LargeBlocks.CACHE_MAX_COUNT));
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldHaveTheTrimThreadUnmapEvictedBlocksSoonAfterTheFree() throws InterruptedException {
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofHours(1));
        try (Heap heap = new Heap(HeapConfig.defaults().withTrim(trim), mapper)) {
            List<Long> blocks = allocate(heap);

            blocks.forEach(block -> assertThat(heap.free(block)).isNull());

            long expected = reservedFor(heap, LargeBlocks.CACHE_MAX_COUNT);
            awaitReservedBytes(mapper, expected);
            assertThat(heap.stats().cachedBytes()).isGreaterThanOrEqualTo(LargeBlocks.CACHE_MAX_COUNT * BLOCK);
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldReportAnEvictedBlockAsNotOwnedAndKeepEveryOtherBlockIntact() {
        large.releaseInBackground(() -> true);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long block = large.allocate(BLOCK, 16);
            Memory.fill(block, BLOCK, (byte) i);
            live.add(block);
        }
        List<Long> freed = allocateAndFree(LargeBlocks.CACHE_MAX_COUNT + 2);

        assertThat(large.free(freed.getFirst())).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(large.free(freed.getLast())).isEqualTo(AddressFault.DOUBLE_FREE);
        for (int i = 0; i < live.size(); i++) {
            assertThat(Memory.isFilledWith(live.get(i), BLOCK, (byte) i)).isTrue();
        }
        assertThat(large.check()).isTrue();
        large.close();
        assertThat(memory.committedBytes()).isZero();
        large.releaseClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldUnmapCachedBlocksButOnlyDecommitLiveOnesOnCloseUntilTheyAreReleased() {
        long live = large.allocate(BLOCK, 16);
        Memory.fill(live, BLOCK, (byte) 0x3C);
        long cached = large.allocate(BLOCK, 16);
        assertThat(large.free(cached)).isNull();
        long liveReservation = LargeResizer.roundUpToUnit(BLOCK);

        large.close();

        assertThat(memory.committedBytes()).as("committed after close").isZero();
        assertThat(mapper.committedBytes()).as("mapper's committed after close").isZero();
        assertThat(large.committedBytes()).isZero();
        assertThat(mapper.reservedBytes()).as("only the live block stays reserved").isEqualTo(liveReservation);
        assertThat(Memory.isFilledWith(live, BLOCK, (byte) 0)).as("the live block reads as zeros").isTrue();
        Memory.putLong(live, 42);
        assertThat(large.free(live)).isEqualTo(AddressFault.NOT_OWNED);

        large.releaseClosed();

        assertThat(mapper.reservedBytes()).isZero();
        assertThat(memory.reservedBytes()).isZero();
        large.releaseClosed();
        assertThat(mapper.calls(MapOperation.RELEASE)).as("released once").isEqualTo(2);
    }

    @Test
    void shouldKeepALiveBlockCommittedAndCountedWhenTheKernelRefusesItsDecommitOnClose() {
        large.allocate(BLOCK, 16);
        mapper.failNth(MapOperation.DECOMMIT, 1);

        large.close();

        assertThat(memory.committedBytes()).isEqualTo(BLOCK);
        assertThat(large.committedBytes()).isEqualTo(BLOCK);
        assertThat(memory.failedCallCount()).isEqualTo(1);
        large.releaseClosed();
        assertThat(memory.committedBytes()).isZero();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldCountPendingBlocksAsCommittedUntilTrimUnmapsThem() {
        large.releaseInBackground(() -> true);
        allocateAndFree(LargeBlocks.CACHE_MAX_COUNT + 3);
        long committed = memory.committedBytes();

        assertThat(large.committedBytes()).isEqualTo(committed);
        assertThat(large.cacheBytes()).isEqualTo(LargeBlocks.CACHE_MAX_COUNT * BLOCK);
        assertThat(large.check()).isTrue();

        assertThat(large.trim()).isEqualTo((LargeBlocks.CACHE_MAX_COUNT + 3) * BLOCK);
        assertThat(memory.committedBytes()).isZero();
        assertThat(mapper.reservedBytes()).isZero();
        large.close();
    }

    @Test
    void shouldUnmapPendingBlocksOnClose() {
        large.releaseInBackground(() -> true);
        allocateAndFree(LargeBlocks.CACHE_MAX_COUNT + 5);

        large.close();

        assertThat(mapper.reservedBytes()).isZero();
        assertThat(memory.committedBytes()).isZero();
    }

    @Test
    void shouldUnmapInlineWhenTheTrimThreadCannotTakeTheBlock() {
        AtomicInteger requests = new AtomicInteger();
        large.releaseInBackground(() -> {
            requests.incrementAndGet();
            return false;
        });
        allocateAndFree(LargeBlocks.CACHE_MAX_COUNT + 2);

        assertThat(requests.get()).isEqualTo(2);
        assertThat(mapper.calls(MapOperation.RELEASE)).isEqualTo(2);
        assertThat(large.committedBytes()).isEqualTo(LargeBlocks.CACHE_MAX_COUNT * BLOCK);
        assertThat(large.releasePending()).isZero();
        assertThat(large.check()).isTrue();
        large.close();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldUnmapInlineBeyondThePendingLimit() {
        large.releaseInBackground(() -> true);
        long huge = LargeBlocks.MAX_PENDING_RELEASE_BYTES / 2 + MIB;
        long first = large.allocate(huge, 16);
        long second = large.allocate(huge, 16);

        assertThat(large.free(first)).isNull();
        assertThat(large.free(second)).isNull();

        assertThat(mapper.calls(MapOperation.RELEASE)).isEqualTo(1);
        assertThat(large.releasePending()).isEqualTo(huge);
        assertThat(mapper.reservedBytes()).isZero();
        large.close();
    }

    /** {@code count} large blocks of {@link #BLOCK} bytes from {@link #large}, freed in allocation order. */
    private List<Long> allocateAndFree(int count) {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            blocks.add(large.allocate(BLOCK, 16));
        }
        blocks.forEach(block -> assertThat(large.free(block)).isNull());
        return blocks;
    }

    private static List<Long> allocate(Heap heap) {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            long block = heap.malloc(BLOCK);
            Memory.putByte(block + BLOCK - 1, (byte) i);
            blocks.add(block);
        }
        return blocks;
    }

    /** Reserved bytes of the heap's arenas plus {@code cached} large reservations of one segment each. */
    private static long reservedFor(Heap heap, int cached) {
        return heap.arenaCount() * HeapConfig.DEFAULT_ARENA_BYTE_SIZE + cached * SegmentLayout.SEGMENT_SIZE;
    }

    private static void awaitReservedBytes(FaultInjectingMapper mapper, long expected) throws InterruptedException {
        for (int i = 0; i < 1000 && mapper.reservedBytes() != expected; i++) {
            Thread.sleep(10);
        }
        if (mapper.reservedBytes() != expected) {
            throw new AssertionError("reserved bytes never reached " + expected + ": " + mapper.reservedBytes());
        }
    }
}
