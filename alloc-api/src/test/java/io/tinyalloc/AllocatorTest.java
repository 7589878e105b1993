package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each method of {@link Allocator} does when it is used correctly. */
class AllocatorTest {

    private final Allocator allocator = TestAllocators.newAllocator();

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    // ---- identity ------------------------------------------------------------------------------

    @Test
    void shouldCompareAllocatorsByIdentityAlthoughTheyAreRecords() {
        // A record, so that the JIT trusts its fields (see TinyAllocator); equality must not
        // become component equality, nor hashCode walk the open-arena map.
        Allocator other = TestAllocators.newAllocator();
        try {
            assertThat(allocator.getClass().isRecord()).isTrue();
            assertThat(allocator).isEqualTo(allocator).isNotEqualTo(other);
            assertThat(allocator.hashCode()).isEqualTo(System.identityHashCode(allocator));
            try (java.lang.foreign.Arena arena = allocator.newArena()) {
                arena.allocate(16);
                assertThat(allocator.hashCode()).isEqualTo(System.identityHashCode(allocator));
            }
            assertThat(allocator.toString()).startsWith("TinyAllocator[open, ");
        } finally {
            other.close();
        }
    }

    // ---- malloc --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {1, 15, 16, 17, 100, 1000, 4096, 100_000, 1 << 20, 8 << 20})
    void shouldReturnAWritable16ByteAlignedBlockOfAtLeastTheRequestedSize(long byteSize) {
        long address = allocator.malloc(byteSize);

        assertThat(address % 16).isZero();
        assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(byteSize);
        Memory.fill(address, allocator.usableSize(address), (byte) 0x5A);
        assertThat(Memory.isFilledWith(address, byteSize, (byte) 0x5A)).isTrue();
        allocator.free(address);
    }

    @Test
    void shouldReturnAUniqueFreeableBlockForMallocOfZero() {
        long first = allocator.malloc(0);
        long second = allocator.malloc(0);

        assertThat(first).isNotZero().isNotEqualTo(second);
        assertThat(allocator.usableSize(first)).isGreaterThanOrEqualTo(0);
        allocator.free(first);
        allocator.free(second);
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldNeverHandOutOverlappingBlocks() {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long byteSize = (i * 37L) % 3000;
            long address = allocator.malloc(byteSize);
            ranges.add(new long[] {address, address + allocator.usableSize(address)});
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isGreaterThanOrEqualTo(ranges.get(i - 1)[1]);
        }
        ranges.forEach(range -> allocator.free(range[0]));
    }

    // ---- calloc --------------------------------------------------------------------------------

    @Test
    void shouldZeroCallocBlocksEvenWhenTheyReuseDirtyMemory() {
        for (int round = 0; round < 3; round++) {
            long dirty = allocator.malloc(4000);
            Memory.fill(dirty, 4000, (byte) -1);
            allocator.free(dirty);

            long address = allocator.calloc(100, 40);
            assertThat(Memory.isFilledWith(address, 4000, (byte) 0)).isTrue();
            allocator.free(address);
        }
    }

    @Test
    void shouldReturnAUniqueBlockForCallocOfNothing() {
        long first = allocator.calloc(0, 8);
        long second = allocator.calloc(8, 0);

        assertThat(first).isNotZero().isNotEqualTo(second);
        allocator.free(first);
        allocator.free(second);
    }

    // ---- realloc -------------------------------------------------------------------------------

    @Test
    void shouldMallocWhenReallocatingTheNullAddress() {
        long address = allocator.realloc(0, 100);

        assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(100);
        allocator.free(address);
    }

    @Test
    void shouldFreeAndReturnZeroWhenReallocatingToZeroBytes() {
        long address = allocator.malloc(100);

        assertThat(allocator.realloc(address, 0)).isZero();
        assertThat(allocator.stats().liveCount()).isZero();
        assertThatThrownBy(() -> allocator.usableSize(address)).isInstanceOf(InvalidAddressException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 100, 5000, 300_000, 5 << 20})
    void shouldKeepTheContentsWhenReallocGrowsAndShrinks(long byteSize) {
        long address = allocator.malloc(byteSize);
        Memory.fill(address, byteSize, (byte) 7);

        long grown = allocator.realloc(address, byteSize * 3);
        assertThat(allocator.usableSize(grown)).isGreaterThanOrEqualTo(byteSize * 3);
        assertThat(Memory.isFilledWith(grown, byteSize, (byte) 7)).isTrue();

        long shrunk = allocator.realloc(grown, byteSize / 2);
        assertThat(Memory.isFilledWith(shrunk, byteSize / 2, (byte) 7)).isTrue();
        allocator.free(shrunk);
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldReallocArrayToCountTimesByteSize() {
        long address = allocator.reallocArray(0, 10, 8);
        Memory.fill(address, 80, (byte) 3);

        long grown = allocator.reallocArray(address, 1000, 8);

        assertThat(allocator.usableSize(grown)).isGreaterThanOrEqualTo(8000);
        assertThat(Memory.isFilledWith(grown, 80, (byte) 3)).isTrue();
        assertThat(allocator.reallocArray(grown, 0, 8)).isZero();
    }

    // ---- recallocArray -------------------------------------------------------------------------

    @Test
    void shouldZeroTheGrowthOfRecallocArray() {
        long address = allocator.malloc(100 * 4);
        Memory.fill(address, allocator.usableSize(address), (byte) -1);

        long grown = allocator.recallocArray(address, 50, 3000, 4);

        assertThat(Memory.isFilledWith(grown, 200, (byte) -1)).isTrue();
        assertThat(Memory.isFilledWith(grown + 200, 3000 * 4 - 200, (byte) 0)).isTrue();
        allocator.free(grown);
    }

    @Test
    void shouldCallocWhenRecallocatingTheNullAddress() {
        long address = allocator.recallocArray(0, 0, 64, 16);

        assertThat(Memory.isFilledWith(address, 1024, (byte) 0)).isTrue();
        allocator.free(address);
    }

    @Test
    void shouldKeepThePrefixWhenRecallocArrayShrinks() {
        long address = allocator.malloc(1000);
        Memory.fill(address, 1000, (byte) 9);

        long shrunk = allocator.recallocArray(address, 1000, 10, 1);

        assertThat(Memory.isFilledWith(shrunk, 10, (byte) 9)).isTrue();
        assertThat(allocator.recallocArray(shrunk, 10, 0, 1)).isZero();
        assertThat(allocator.stats().liveCount()).isZero();
    }

    // ---- alignment -----------------------------------------------------------------------------

    @Test
    void shouldHonourEveryPowerOfTwoAlignmentUpToOneGibibyte() {
        for (int shift = 0; shift <= 30; shift++) {
            long byteAlignment = 1L << shift;
            long address = allocator.alignedAlloc(byteAlignment, 100);

            assertThat(address % byteAlignment).as("alignment %d", byteAlignment).isZero();
            assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(100);
            Memory.fill(address, 100, (byte) shift);
            allocator.free(address);
        }
    }

    @Test
    void shouldAlignLargeAlignedBlocks() {
        long address = allocator.alignedAlloc(1L << 22, 10L << 20);

        assertThat(address % (1L << 22)).isZero();
        Memory.fill(address, 10L << 20, (byte) 1);
        allocator.free(address);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 100, 4096, 5000, 3 << 20})
    void shouldPageAlignPageAllocBlocks(long byteSize) {
        long address = allocator.pageAlloc(byteSize);

        assertThat(address % Platform.pageSize()).isZero();
        assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(byteSize);
        allocator.free(address);
    }

    // ---- free and usableSize -------------------------------------------------------------------

    @Test
    void shouldIgnoreFreeOfTheNullAddress() {
        allocator.free(0);

        assertThat(allocator.stats().freeCount()).isZero();
    }

    @Test
    void shouldReturnZeroAsUsableSizeOfTheNullAddress() {
        assertThat(allocator.usableSize(0)).isZero();
    }

    @Test
    void shouldReuseFreedMemory() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long address = allocator.malloc(64);
            seen.add(address);
            allocator.free(address);
        }
        assertThat(seen.size()).isLessThan(100);
    }

    // ---- segments ------------------------------------------------------------------------------

    @Test
    void shouldAllocateASegmentOfExactlyTheRequestedSizeAndAlignment() {
        MemorySegment segment = allocator.allocate(100, 256);

        assertThat(segment.byteSize()).isEqualTo(100);
        assertThat(segment.address() % 256).isZero();
        assertThat(segment.isNative()).isTrue();
        segment.set(ValueLayout.JAVA_LONG, 88, 42L);
        assertThat(Memory.getLong(segment.address() + 88)).isEqualTo(42L);
        allocator.free(segment);
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldServeTheSegmentAllocatorDefaultMethods() {
        MemorySegment text = allocator.allocateFrom("hello");
        MemorySegment ints = allocator.allocate(ValueLayout.JAVA_INT, 10);

        assertThat(text.getString(0)).isEqualTo("hello");
        assertThat(ints.byteSize()).isEqualTo(40);
        allocator.free(text);
        allocator.free(ints);
    }

    @Test
    void shouldViewTheWholeUsableSizeOfABlockAsASegment() {
        long address = allocator.malloc(100);

        MemorySegment segment = allocator.segment(address);

        assertThat(segment.address()).isEqualTo(address);
        assertThat(segment.byteSize()).isEqualTo(allocator.usableSize(address));
        segment.fill((byte) 4);
        assertThat(Memory.isFilledWith(address, segment.byteSize(), (byte) 4)).isTrue();
        allocator.free(segment);
    }

    @Test
    void shouldIgnoreFreeOfTheNullSegment() {
        allocator.free(MemorySegment.NULL);

        assertThat(allocator.stats().freeCount()).isZero();
    }

    @Test
    void shouldMakeSegmentsInaccessibleOnceTheAllocatorIsClosed() {
        Allocator own = TestAllocators.newAllocator();
        MemorySegment allocated = own.allocate(64, 8);
        MemorySegment viewed = own.segment(own.malloc(64));

        own.close();

        assertThatThrownBy(() -> allocated.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> viewed.set(ValueLayout.JAVA_BYTE, 0, (byte) 1))
                .isInstanceOf(IllegalStateException.class);
    }

    // ---- trim and stats ------------------------------------------------------------------------

    @Test
    void shouldCountLiveBlocksAndTheirUsableBytes() {
        long a = allocator.malloc(10);
        long b = allocator.malloc(1000);
        long c = allocator.malloc(2 << 20);

        AllocatorStats stats = allocator.stats();

        assertThat(stats.liveCount()).isEqualTo(3);
        assertThat(stats.liveBytes()).isEqualTo(allocator.usableSize(a) + allocator.usableSize(b)
                + allocator.usableSize(c));
        assertThat(stats.mallocCount()).isEqualTo(3);
        assertThat(stats.largeCount()).isEqualTo(1);
        assertThat(stats.segmentCount()).isGreaterThanOrEqualTo(1);
        assertThat(stats.committedBytes()).isGreaterThanOrEqualTo(stats.liveBytes());
        assertThat(stats.reservedBytes()).isGreaterThanOrEqualTo(stats.committedBytes());
        allocator.free(a);
        allocator.free(b);
        allocator.free(c);
        assertThat(allocator.stats().freeCount()).isEqualTo(3);
        assertThat(allocator.stats().liveBytes()).isZero();
    }

    @Test
    void shouldReturnCommittedMemoryOnTrim() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            blocks.add(allocator.malloc(256));
        }
        blocks.forEach(allocator::free);
        long committedBefore = allocator.stats().committedBytes();

        long trimmedBytes = allocator.trim();

        assertThat(trimmedBytes).isPositive();
        assertThat(allocator.stats().committedBytes()).isLessThan(committedBefore);
        assertThat(allocator.trim()).isGreaterThanOrEqualTo(0);
    }

    // ---- close ---------------------------------------------------------------------------------

    @Test
    void shouldAllowClosingTwice() {
        Allocator own = TestAllocators.newAllocator();
        own.malloc(100);

        own.close();
        own.close();

        assertThatThrownBy(() -> own.malloc(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldGiveEverythingBackOnCloseAndUnmapItOnceTheAllocatorIsCollected() throws InterruptedException {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        closeWithLiveBlocks(mapper);

        ClosedAllocators.awaitUnmapped(mapper);

        assertThat(mapper.reservedBytes()).as("reserved once the closed allocator was collected").isZero();
        assertThat(mapper.committedBytes()).isZero();
    }

    /** Closes an allocator holding live blocks of every kind; drops it on return. */
    private static void closeWithLiveBlocks(FaultInjectingMapper mapper) {
        Allocator own = TestAllocators.builder().mapper(mapper).build();
        LiveBlocks.typical(own);
        assertThat(mapper.reservedBytes()).isPositive();

        own.close();

        assertThat(mapper.committedBytes()).isZero();
        assertThat(mapper.reservedBytes()).as("kept, zero-filled, while a racing call could reach it").isPositive();
    }
}
