package io.tinyalloc;

import static io.tinyalloc.TestAllocators.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every error of {@link Allocator}: its type and message, and that the allocator and every block
 * it had handed out are intact afterwards.
 */
class AllocatorErrorsTest {

    private final Allocator allocator = TestAllocators.newAllocator();
    private final LiveBlocks live = LiveBlocks.typical(allocator);

    @AfterEach
    void checkNothingWasLostAndClose() {
        live.assertIntact();
        long extra = allocator.malloc(500);
        live.add(extra, 500);
        live.assertIntact();
        assertThat(allocator.stats().liveCount()).isEqualTo(live.size());
        live.freeAll();
        assertThat(allocator.stats().liveCount()).isZero();
        allocator.close();
    }

    // ---- bad sizes -----------------------------------------------------------------------------

    @Test
    void shouldRejectNegativeSizesNamingTheCallAndValue() {
        long block = live.blocks().get(3).address();
        expectIllegalArgument(() -> allocator.malloc(-1), "malloc: byteSize=-1 is negative");
        expectIllegalArgument(() -> allocator.calloc(-1, 8), "calloc: count=-1 is negative");
        expectIllegalArgument(() -> allocator.calloc(8, -2), "calloc: byteSize=-2 is negative");
        expectIllegalArgument(() -> allocator.realloc(block, -5), "realloc: newByteSize=-5 is negative");
        expectIllegalArgument(() -> allocator.reallocArray(block, -1, 8), "reallocArray: count=-1 is negative");
        expectIllegalArgument(() -> allocator.recallocArray(block, 1, -2, 8),
                "recallocArray: newCount=-2 is negative");
        expectIllegalArgument(() -> allocator.recallocArray(block, -3, 2, 8),
                "recallocArray: oldCount=-3 is negative");
        expectIllegalArgument(() -> allocator.alignedAlloc(64, -1), "alignedAlloc: byteSize=-1 is negative");
        expectIllegalArgument(() -> allocator.pageAlloc(-4096), "pageAlloc: byteSize=-4096 is negative");
        expectIllegalArgument(() -> allocator.allocate(-1, 8), "allocate: byteSize=-1 is negative");
        expectIllegalArgument(() -> allocator.allocate(-1, 4096), "allocate: byteSize=-1 is negative");
        expectIllegalArgument(() -> allocator.malloc(Long.MIN_VALUE),
                "malloc: byteSize=-9223372036854775808 is negative");
    }

    @Test
    void shouldRejectOverflowingProductsNamingBothFactors() {
        long block = live.blocks().get(2).address();
        expectIllegalArgument(() -> allocator.calloc(1L << 62, 4),
                "calloc: count=4611686018427387904 * byteSize=4 overflows a long");
        expectIllegalArgument(() -> allocator.reallocArray(block, Long.MAX_VALUE, 2),
                "reallocArray: count=9223372036854775807 * byteSize=2 overflows a long");
        expectIllegalArgument(() -> allocator.recallocArray(block, 0, 1L << 33, 1L << 31),
                "recallocArray: newCount=8589934592 * byteSize=2147483648 overflows a long");
    }

    @Test
    void shouldRejectAlignmentsThatAreNotPowersOfTwo() {
        expectIllegalArgument(() -> allocator.alignedAlloc(24, 8), "alignedAlloc: byteAlignment=24 is not a power of two");
        expectIllegalArgument(() -> allocator.alignedAlloc(0, 8), "alignedAlloc: byteAlignment=0 is not a power of two");
        expectIllegalArgument(() -> allocator.alignedAlloc(-16, 8),
                "alignedAlloc: byteAlignment=-16 is not a power of two");
        expectIllegalArgument(() -> allocator.allocate(8, 3), "allocate: byteAlignment=3 is not a power of two");
    }

    @Test
    void shouldRejectAlignmentsAboveOneGibibyte() {
        expectIllegalArgument(() -> allocator.alignedAlloc(1L << 31, 8),
                "alignedAlloc: byteAlignment=2147483648 is larger than the largest supported alignment, 1073741824");
    }

    // ---- bad addresses -------------------------------------------------------------------------

    @Test
    void shouldRejectADoubleFreeNamingTheAddress() {
        long address = allocator.malloc(100);
        allocator.free(address);

        expectInvalidAddress(() -> allocator.free(address), address, InvalidAddressException.Reason.DOUBLE_FREE,
                "free(" + hex(address) + "): a second free of the same block");
    }

    @Test
    void shouldRejectADoubleFreeOfALargeBlock() {
        long address = allocator.malloc(4 << 20);
        allocator.free(address);

        expectInvalidAddress(() -> allocator.free(address), address, InvalidAddressException.Reason.DOUBLE_FREE,
                "free(" + hex(address) + "): a second free of the same block");
    }

    @Test
    void shouldRejectEveryUseOfAFreedBlock() {
        long address = allocator.malloc(100);
        allocator.free(address);
        String freed = "(" + hex(address) + "): the block was already freed";

        expectInvalidAddress(() -> allocator.usableSize(address), address,
                InvalidAddressException.Reason.DOUBLE_FREE, "usableSize" + freed);
        expectInvalidAddress(() -> allocator.realloc(address, 200), address,
                InvalidAddressException.Reason.DOUBLE_FREE, "realloc" + freed);
        expectInvalidAddress(() -> allocator.realloc(address, 0), address,
                InvalidAddressException.Reason.DOUBLE_FREE, "realloc" + freed);
        expectInvalidAddress(() -> allocator.reallocArray(address, 2, 8), address,
                InvalidAddressException.Reason.DOUBLE_FREE, "reallocArray" + freed);
        expectInvalidAddress(() -> allocator.recallocArray(address, 1, 2, 8), address,
                InvalidAddressException.Reason.DOUBLE_FREE, "recallocArray" + freed);
        expectInvalidAddress(() -> allocator.segment(address), address,
                InvalidAddressException.Reason.DOUBLE_FREE, "segment" + freed);
    }

    @Test
    void shouldRejectAnInteriorPointer() {
        long small = live.blocks().get(4).address();
        long large = live.blocks().get(9).address();

        expectInvalidAddress(() -> allocator.free(small + 16), small + 16, InvalidAddressException.Reason.INTERIOR,
                "free(" + hex(small + 16) + "): points inside a block, not at its start");
        expectInvalidAddress(() -> allocator.free(large + 4096), large + 4096,
                InvalidAddressException.Reason.INTERIOR,
                "free(" + hex(large + 4096) + "): points inside a block, not at its start");
        expectInvalidAddress(() -> allocator.realloc(small + 8, 10), small + 8,
                InvalidAddressException.Reason.INTERIOR,
                "realloc(" + hex(small + 8) + "): points inside a block, not at its start");
    }

    @Test
    void shouldRejectMemoryThatIsNotItsOwn() {
        try (Arena arena = Arena.ofConfined()) {
            long foreign = arena.allocate(64).address();
            expectInvalidAddress(() -> allocator.free(foreign), foreign, InvalidAddressException.Reason.NOT_OWNED,
                    "free(" + hex(foreign) + "): not allocated by this allocator");
        }
        for (long wild : new long[] {8, 0x1234_5678_9000L, -16, 1L << 60}) {
            expectInvalidAddress(() -> allocator.free(wild), wild, InvalidAddressException.Reason.NOT_OWNED,
                    "free(" + hex(wild) + "): not allocated by this allocator");
            expectInvalidAddress(() -> allocator.usableSize(wild), wild, InvalidAddressException.Reason.NOT_OWNED,
                    "usableSize(" + hex(wild) + "): not allocated by this allocator");
        }
    }

    @Test
    void shouldRejectTheBlocksOfAnotherAllocator() {
        try (Allocator other = TestAllocators.newAllocator()) {
            long theirs = other.malloc(100);
            expectInvalidAddress(() -> allocator.free(theirs), theirs, InvalidAddressException.Reason.NOT_OWNED,
                    "free(" + hex(theirs) + "): not allocated by this allocator");
            assertThat(other.usableSize(theirs)).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void shouldRejectASegmentOfTheNullAddress() {
        expectInvalidAddress(() -> allocator.segment(0), 0, InvalidAddressException.Reason.NOT_OWNED,
                "segment(0x0): the null address is not a block");
    }

    @Test
    void shouldRejectFreeingASegmentThatDoesNotStartAtABlock() {
        MemorySegment segment = allocator.allocate(64, 16);
        live.add(segment.address(), 64);
        MemorySegment slice = segment.asSlice(16);

        expectInvalidAddress(() -> allocator.free(slice), slice.address(), InvalidAddressException.Reason.INTERIOR,
                "free(" + hex(slice.address()) + "): points inside a block, not at its start");
    }

    @Test
    void shouldRejectFreeingAnotherAllocatorsLiveSegmentAndLeaveItUsable() {
        try (Allocator other = TestAllocators.newAllocator()) {
            MemorySegment foreign = other.allocate(64, 16);
            foreign.fill((byte) 0x5A);

            expectInvalidAddress(() -> allocator.free(foreign), foreign.address(),
                    InvalidAddressException.Reason.NOT_OWNED,
                    "free(" + hex(foreign.address()) + "): not allocated by this allocator");
            assertThat(foreign.elements(ValueLayout.JAVA_BYTE)).allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == 0x5A);
            other.free(foreign);
            assertThat(other.stats().liveCount()).isZero();
        }
    }

    @Test
    void shouldRejectFreeingASegmentOfAJdkArena() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment jdk = arena.allocate(64, 16);

            expectInvalidAddress(() -> allocator.free(jdk), jdk.address(), InvalidAddressException.Reason.NOT_OWNED,
                    "free(" + hex(jdk.address()) + "): not allocated by this allocator");
        }
    }

    @Test
    void shouldRejectFreeingAHeapSegment() {
        MemorySegment heap = MemorySegment.ofArray(new byte[16]);

        assertThatThrownBy(() -> allocator.free(heap)).isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("a heap segment (backed by a Java array) is not a block of this allocator")
                .satisfies(e -> assertThat(((InvalidAddressException) e).reason())
                        .isEqualTo(InvalidAddressException.Reason.NOT_OWNED));
    }

    @Test
    void shouldRejectFreeingANullSegment() {
        assertThatThrownBy(() -> allocator.free((MemorySegment) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("free: segment is null");
    }

    @Test
    void shouldRejectAnOldCountBeyondTheBlock() {
        long address = allocator.malloc(100);
        live.add(address, 100);
        long usable = allocator.usableSize(address);
        long oldCount = usable / 8 + 1;

        expectIllegalArgument(() -> allocator.recallocArray(address, oldCount, 1000, 8),
                "recallocArray(" + hex(address) + "): oldCount=" + oldCount + " * byteSize=8 exceeds the block's "
                        + "usableSize=" + usable);
    }

    @Test
    void shouldRejectAnOldCountWithoutABlock() {
        expectIllegalArgument(() -> allocator.recallocArray(0, 3, 5, 8),
                "recallocArray(0x0): oldCount=3 must be 0 when there is no block");
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    @Test
    void shouldRejectEveryCallOnAClosedAllocator() {
        Allocator closed = TestAllocators.newAllocator();
        long address = closed.malloc(10);
        closed.close();

        expectClosed(() -> closed.malloc(1), "malloc");
        expectClosed(() -> closed.calloc(1, 1), "calloc");
        expectClosed(() -> closed.realloc(address, 20), "realloc(" + hex(address) + ")");
        expectClosed(() -> closed.reallocArray(address, 2, 2), "reallocArray(" + hex(address) + ")");
        expectClosed(() -> closed.recallocArray(address, 1, 2, 2), "recallocArray(" + hex(address) + ")");
        expectClosed(() -> closed.alignedAlloc(64, 1), "alignedAlloc");
        expectClosed(() -> closed.pageAlloc(1), "pageAlloc");
        expectClosed(() -> closed.free(address), "free(" + hex(address) + ")");
        // The open and size checks of malloc, allocate and free run only when the heap refuses;
        // a closed heap refuses everything, and the closed allocator is what is reported.
        expectClosed(() -> closed.free(0), "free(0x0)");
        expectClosed(() -> closed.malloc(-1), "malloc");
        expectClosed(() -> closed.malloc(0), "malloc");
        expectClosed(() -> closed.malloc(1 << 20), "malloc");
        expectClosed(() -> closed.allocate(-1, 8), "allocate");
        expectClosed(() -> closed.allocate(64, 4096), "allocate");
        expectClosed(() -> closed.usableSize(address), "usableSize(" + hex(address) + ")");
        expectClosed(() -> closed.allocate(8, 8), "allocate");
        expectClosed(() -> closed.free(MemorySegment.NULL), "free(0x0)");
        expectClosed(() -> closed.segment(address), "segment(" + hex(address) + ")");
        expectClosed(closed::newArena, "newArena");
        expectClosed(closed::trim, "trim");
        expectClosed(closed::stats, "stats");
    }

    @Test
    void shouldRefuseToCloseTheGlobalAllocator() {
        assertThatThrownBy(() -> Allocator.global().close()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("close: the global allocator lives as long as the process and cannot be closed");
        long address = Allocator.global().malloc(10);
        Allocator.global().free(address);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void expectIllegalArgument(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message);
        live.assertIntact();
    }

    private void expectInvalidAddress(ThrowingCallable call, long address, InvalidAddressException.Reason reason,
                                      String message) {
        Consumer<Throwable> details = e -> {
            InvalidAddressException invalid = (InvalidAddressException) e;
            assertThat(invalid.address()).isEqualTo(address);
            assertThat(invalid.reason()).isEqualTo(reason);
        };
        assertThatThrownBy(call).isInstanceOf(InvalidAddressException.class).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message).satisfies(details::accept);
        live.assertIntact();
    }

    private static void expectClosed(ThrowingCallable call, String name) {
        assertThatThrownBy(call).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(name + ": the allocator is closed");
    }
}
