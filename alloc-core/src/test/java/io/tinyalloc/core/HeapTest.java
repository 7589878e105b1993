package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heap unit tests: every size class, alignment, usable sizes, realloc, trim, stats and close. */
class HeapTest {

    private static final long MIB = 1L << 20;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final Heap heap = new Heap(HeapConfig.defaults(), mapper);

    @AfterEach
    void closeHeap() {
        assertThat(heap.check(true)).isTrue();
        heap.close();
        assertThat(mapper.committedBytes()).isZero();
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldServeEveryClassBoundaryWithAnAlignedWritableBlockOfAtLeastTheRequestedSize() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            long size = SizeClasses.blockSize(i);
            for (long request : new long[] {size - 15, size}) {
                long block = heap.malloc(request);
                assertThat(block % 16).isZero();
                assertThat(heap.usableSize(block)).isEqualTo(size);
                Memory.fill(block, size, (byte) i);
                blocks.add(block);
            }
        }
        for (int i = 0; i < blocks.size(); i++) {
            long block = blocks.get(i);
            assertThat(Memory.isFilledWith(block, heap.usableSize(block), (byte) (i / 2))).isTrue();
            assertThat(heap.free(block)).isNull();
        }
        assertThat(heap.stats().liveCount()).isZero();
    }

    @Test
    void shouldReturnUniqueFreeableBlocksForZeroBytes() {
        long a = heap.malloc(0);
        long b = heap.malloc(0);
        assertThat(a).isNotEqualTo(b).isNotZero();
        assertThat(heap.usableSize(a)).isEqualTo(16);
        assertThat(heap.free(a)).isNull();
        assertThat(heap.free(b)).isNull();
    }

    @Test
    void shouldServeLargeRequestsWithPageRoundedBlocks() {
        long size = SizeClasses.MAX_SMALL_SIZE + 1;
        long block = heap.malloc(size);
        long page = Platform.pageSize();
        assertThat(block % SegmentLayout.SEGMENT_SIZE).isZero();
        assertThat(heap.usableSize(block)).isEqualTo((size + page - 1) / page * page);
        Memory.fill(block, heap.usableSize(block), (byte) 7);
        assertThat(heap.stats().largeCount()).isEqualTo(1);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.stats().largeCount()).isZero();
    }

    @Test
    void shouldAlignEveryPowerOfTwoUpToOneGibibyte() {
        List<Long> blocks = new ArrayList<>();
        for (long alignment = 1; alignment <= Heap.MAX_ALIGNMENT; alignment <<= 1) {
            for (long size : new long[] {0, 1, 100, 5000}) {
                long block = heap.alignedAlloc(alignment, size);
                assertThat(block % alignment).as("alignment=%d size=%d", alignment, size).isZero();
                assertThat(heap.usableSize(block)).isGreaterThanOrEqualTo(size);
                blocks.add(block);
            }
        }
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
    }

    @Test
    void shouldRejectBadSizesAndAlignmentsWithoutChangingAnything() {
        HeapStats before = heap.stats();
        assertThatThrownBy(() -> heap.malloc(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("byteSize=-1");
        assertThatThrownBy(() -> heap.alignedAlloc(24, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("byteAlignment=24");
        assertThatThrownBy(() -> heap.alignedAlloc(0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.alignedAlloc(2 * Heap.MAX_ALIGNMENT, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.alignedAlloc(64, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("byteSize=-5");
        long block = heap.malloc(10);
        assertThatThrownBy(() -> heap.realloc(block, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.stats().liveCount()).isEqualTo(before.liveCount());
    }

    @Test
    void shouldReportRequestsLargerThanTheAddressSpaceAsExhaustion() {
        assertThatThrownBy(() -> heap.malloc(Long.MAX_VALUE)).isInstanceOfSatisfying(HeapExhaustedException.class,
                e -> assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.RESERVATION_LIMIT));
        assertThatThrownBy(() -> heap.malloc(1L << 45)).isInstanceOfSatisfying(HeapExhaustedException.class,
                e -> assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.RESERVATION_LIMIT));
    }

    @Test
    void shouldReallocInPlaceWithinAClassAndMoveWithContentsAcrossClasses() {
        long block = heap.malloc(100);
        Memory.fill(block, 112, (byte) 0x5A);
        assertThat(heap.realloc(block, 112)).isEqualTo(block);
        assertThat(heap.realloc(block, 60)).isEqualTo(block);
        long grown = heap.realloc(block, 5000);
        assertThat(grown).isNotEqualTo(block);
        assertThat(Memory.isFilledWith(grown, 112, (byte) 0x5A)).isTrue();
        assertThat(heap.validate(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        long shrunk = heap.realloc(grown, 16);
        assertThat(Memory.isFilledWith(shrunk, 16, (byte) 0x5A)).isTrue();
        long large = heap.realloc(shrunk, 3 * MIB);
        assertThat(Memory.isFilledWith(large, 16, (byte) 0x5A)).isTrue();
        long small = heap.realloc(large, 40);
        assertThat(Memory.isFilledWith(small, 16, (byte) 0x5A)).isTrue();
        assertThat(heap.validate(large)).isNotNull();
        assertThat(heap.free(small)).isNull();
        assertThat(heap.stats().liveCount()).isZero();
    }

    @Test
    void shouldGrowAndShrinkALargeBlockInPlaceInsideItsReservation() {
        long block = heap.malloc(MIB + 4096);
        Memory.fill(block, MIB + 4096, (byte) 3);
        long committed = heap.stats().committedBytes();
        assertThat(heap.realloc(block, 2 * MIB)).isEqualTo(block);
        assertThat(heap.usableSize(block)).isEqualTo(2 * MIB);
        assertThat(heap.stats().committedBytes()).isGreaterThan(committed);
        assertThat(Memory.isFilledWith(block, MIB + 4096, (byte) 3)).isTrue();
        assertThat(heap.realloc(block, 300_000)).isEqualTo(block);
        assertThat(heap.usableSize(block)).isLessThan(MIB);
        assertThat(Memory.isFilledWith(block, 300_000, (byte) 3)).isTrue();
        assertThat(heap.validate(block + MIB)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(block)).isNull();
    }

    @Test
    void shouldGrowALargeBlockBeyondItsReservationWithoutLosingContents() {
        long block = heap.malloc(2 * MIB);
        for (long offset = 0; offset < 2 * MIB; offset += 8) {
            Memory.putLong(block + offset, offset * 31);
        }
        long grown = heap.realloc(block, 40 * MIB);
        assertThat(grown % SegmentLayout.SEGMENT_SIZE).isZero();
        assertThat(heap.usableSize(grown)).isEqualTo(40 * MIB);
        for (long offset = 0; offset < 2 * MIB; offset += 8) {
            if (Memory.getLong(grown + offset) != offset * 31) {
                throw new AssertionError("lost contents at offset " + offset);
            }
        }
        Memory.fill(grown + 2 * MIB, 38 * MIB, (byte) 1);
        if (grown != block) {
            assertThat(heap.validate(block)).isEqualTo(AddressFault.NOT_OWNED);
        }
        assertThat(heap.free(grown)).isNull();
    }

    @Test
    void shouldKeepTheAlignmentOfAMovedLargeBlock() {
        long alignment = 64 * MIB;
        long block = heap.alignedAlloc(alignment, 2 * MIB);
        long grown = heap.realloc(block, 100 * MIB);
        assertThat(grown % alignment).isZero();
        assertThat(heap.free(grown)).isNull();
    }

    @Test
    void shouldReuseACachedLargeBlockWithoutNewMappings() {
        long block = heap.malloc(MIB);
        assertThat(heap.free(block)).isNull();
        assertThat(heap.validate(block)).isEqualTo(AddressFault.DOUBLE_FREE);
        long reserves = mapper.calls(io.tinyalloc.sys.MapOperation.RESERVE);
        assertThat(heap.malloc(MIB)).isEqualTo(block);
        assertThat(mapper.calls(io.tinyalloc.sys.MapOperation.RESERVE)).isEqualTo(reserves);
        assertThat(heap.free(block)).isNull();
    }

    @Test
    void shouldReuseTheCachedLargeBlockThatIsCommittedForTheRequestWithoutShrinkingIt() {
        long small = heap.malloc(300 * 1024);
        long big = heap.malloc(900 * 1024);
        assertThat(heap.free(small)).isNull();
        assertThat(heap.free(big)).isNull();
        long decommits = mapper.calls(io.tinyalloc.sys.MapOperation.DECOMMIT);
        long commits = mapper.calls(io.tinyalloc.sys.MapOperation.COMMIT);

        long reused = heap.malloc(500 * 1024);

        assertThat(reused).isEqualTo(big);
        assertThat(heap.usableSize(reused)).isEqualTo(900 * 1024);
        assertThat(mapper.calls(io.tinyalloc.sys.MapOperation.DECOMMIT)).isEqualTo(decommits);
        assertThat(mapper.calls(io.tinyalloc.sys.MapOperation.COMMIT)).isEqualTo(commits);
        Memory.fill(reused, 900 * 1024, (byte) 7);
        assertThat(heap.malloc(280 * 1024)).isEqualTo(small);
        assertThat(heap.free(small)).isNull();
        assertThat(heap.free(reused)).isNull();
    }

    @Test
    void shouldGrowTheMostCommittedCachedLargeBlockWhenNoneCoversTheRequest() {
        long a = heap.malloc(300 * 1024);
        long b = heap.malloc(600 * 1024);
        assertThat(heap.free(a)).isNull();
        assertThat(heap.free(b)).isNull();

        long reused = heap.malloc(1000 * 1024);

        assertThat(reused).isEqualTo(b);
        assertThat(heap.usableSize(reused)).isEqualTo(1000 * 1024);
        Memory.fill(reused, 1000 * 1024, (byte) 3);
        assertThat(Memory.isFilledWith(reused, 1000 * 1024, (byte) 3)).isTrue();
        assertThat(heap.free(reused)).isNull();
    }

    @Test
    void shouldShrinkACachedLargeBlockWhoseSlackIsMoreThanASegmentAndAnEighth() {
        long block = heap.malloc(24 * MIB);
        assertThat(heap.free(block)).isNull();
        long committed = heap.stats().committedBytes();

        long reused = heap.malloc(13 * MIB);

        assertThat(reused).isEqualTo(block);
        assertThat(heap.usableSize(reused)).isEqualTo(13 * MIB);
        assertThat(heap.stats().committedBytes()).isEqualTo(committed - 11 * MIB);
        assertThat(heap.free(reused)).isNull();
    }

    @Test
    void shouldLowerCommittedBytesWhenTrimmed() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            blocks.add(heap.malloc(100 + i % 3000));
        }
        blocks.add(heap.malloc(8 * MIB));
        blocks.forEach(block -> assertThat(heap.free(block)).isNull());
        HeapStats idle = heap.stats();
        assertThat(idle.cachedBytes()).isGreaterThan(0);
        long returned = heap.trim();
        HeapStats trimmed = heap.stats();
        assertThat(returned).isPositive();
        assertThat(trimmed.committedBytes()).isEqualTo(idle.committedBytes() - returned);
        assertThat(trimmed.committedBytes()).isZero();
        assertThat(trimmed.segmentCount()).isZero();
        assertThat(heap.malloc(64)).isNotZero();
    }

    @Test
    void shouldCountLiveBlocksAndBytesInStats() {
        long a = heap.malloc(100);
        long b = heap.malloc(1000);
        long c = heap.malloc(MIB);
        HeapStats stats = heap.stats();
        assertThat(stats.liveCount()).isEqualTo(3);
        assertThat(stats.liveBytes()).isEqualTo(112 + 1024 + MIB);
        assertThat(stats.mallocCount() - stats.freeCount()).isEqualTo(3);
        assertThat(stats.largeCount()).isEqualTo(1);
        assertThat(stats.segmentCount()).isEqualTo(2);
        assertThat(stats.committedBytes()).isEqualTo(2 * SegmentLayout.SEGMENT_SIZE + MIB);
        assertThat(stats.reservedBytes()).isEqualTo(HeapConfig.DEFAULT_ARENA_BYTE_SIZE + MIB);
        assertThat(stats.cachedBytes()).isEqualTo(2 * SegmentLayout.SEGMENT_SIZE - 112 - 1024
                - (SegmentLayout.SEGMENT_SIZE - (long) SizeClasses.blockCount(6) * 112)
                - (SegmentLayout.SEGMENT_SIZE - (long) SizeClasses.blockCount(19) * 1024));
        for (long block : new long[] {a, b, c}) {
            assertThat(heap.free(block)).isNull();
        }
        assertThat(heap.stats().freeCount()).isEqualTo(3);
    }

    @Test
    void shouldNeverHandOutOverlappingBlocks() {
        Set<Long> starts = new HashSet<>();
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long size = (i * 7919L) % 20_000;
            long block = heap.malloc(size);
            assertThat(starts.add(block)).isTrue();
            ranges.add(new long[] {block, block + heap.usableSize(block)});
        }
        ranges.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isGreaterThanOrEqualTo(ranges.get(i - 1)[1]);
        }
        starts.forEach(heap::free);
    }

    @Test
    void shouldGiveEverythingBackOnCloseKeepTheAddressSpaceReservedAndRefuseLaterCalls() {
        long small = heap.malloc(64);
        long large = heap.malloc(4 * MIB);
        heap.close();
        assertThat(heap.isClosed()).isTrue();
        assertThat(mapper.committedBytes()).isZero();
        assertThat(heap.stats().committedBytes()).isZero();
        assertThat(mapper.reservedBytes()).as("kept until the heap is unreachable").isPositive()
                .isEqualTo(heap.stats().reservedBytes());
        assertThat(Segment.magic(SegmentLayout.segmentBase(small))).as("a racing free finds no segment").isZero();
        assertThat(Memory.getLong(large)).as("a racing write into a live large block finds it mapped").isZero();
        assertThat(heap.free(small)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.free(large)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.usableSize(small)).isNegative();
        assertThatThrownBy(() -> heap.malloc(64)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> heap.malloc(4 * MIB)).isInstanceOf(IllegalStateException.class);
        assertThat(heap.trim()).isZero();
        heap.close();
    }

    @Test
    void shouldZeroBlocksOnFreeWhenConfigured() {
        Heap zeroing = new Heap(HeapConfig.defaults().withZeroOnFree(true), mapper);
        try {
            long block = zeroing.malloc(256);
            Memory.fill(block, 256, (byte) 0x77);
            assertThat(zeroing.free(block)).isNull();
            long again = zeroing.malloc(256);
            assertThat(again).isEqualTo(block);
            assertThat(Memory.isFilledWith(again + 8, 248, (byte) 0)).isTrue();
            assertThat(zeroing.free(again)).isNull();
        } finally {
            zeroing.close();
            zeroing.unmapClosed();
        }
    }
}
