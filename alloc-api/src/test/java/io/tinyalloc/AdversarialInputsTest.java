package io.tinyalloc;

import static io.tinyalloc.TestAllocators.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Extreme arguments on every public call: sizes near 2^63, alignments that are no power of two
 * or beyond 2^30, addresses with bits above the 48-bit space set (which the free fast path masks
 * off before it looks at its memo). Each must throw the documented type naming the call and the
 * value, and leave live blocks and the counters exactly as they were.
 */
class AdversarialInputsTest {

    private static final long[] NEGATIVE_SIZES = {-1, -16, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    private static final long[] HUGE_SIZES = {Long.MAX_VALUE, Long.MAX_VALUE - 15, 1L << 62, (1L << 47) + 1};
    private static final long[] BAD_ALIGNMENTS = {0, -1, -16, 3, 24, 48, Long.MIN_VALUE, Long.MAX_VALUE};
    private static final long[] TOO_LARGE_ALIGNMENTS = {1L << 31, 1L << 40, 1L << 62};

    private final Allocator allocator = TestAllocators.newAllocator();
    private final LiveBlocks live = LiveBlocks.typical(allocator);

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void shouldRejectNegativeSizesOnEveryCallNamingTheValue() {
        long block = live.blocks().get(4).address();
        AllocatorStats before = allocator.stats();
        for (long size : NEGATIVE_SIZES) {
            expectNegative(() -> allocator.malloc(size), "malloc: byteSize=" + size);
            expectNegative(() -> allocator.calloc(1, size), "calloc: byteSize=" + size);
            expectNegative(() -> allocator.calloc(size, 1), "calloc: count=" + size);
            expectNegative(() -> allocator.alignedAlloc(4096, size), "alignedAlloc: byteSize=" + size);
            expectNegative(() -> allocator.pageAlloc(size), "pageAlloc: byteSize=" + size);
            expectNegative(() -> allocator.allocate(size, 64), "allocate: byteSize=" + size);
            expectNegative(() -> allocator.realloc(block, size), "realloc: newByteSize=" + size);
            expectNegative(() -> allocator.realloc(0, size), "realloc: newByteSize=" + size);
            expectNegative(() -> allocator.reallocArray(block, size, 1), "reallocArray: count=" + size);
            expectNegative(() -> allocator.recallocArray(block, 0, 1, size), "recallocArray: byteSize=" + size);
            expectNegative(() -> allocator.recallocArray(block, size, 1, 1), "recallocArray: oldCount=" + size);
        }
        assertUnchangedSince(before);
    }

    @Test
    void shouldReportSizesNoAddressSpaceHoldsAsOutOfMemoryAndKeepTheOldBlock() {
        long small = live.blocks().get(4).address();
        long large = live.blocks().get(9).address();
        AllocatorStats before = allocator.stats();
        for (long size : HUGE_SIZES) {
            expectOutOfMemory(() -> allocator.malloc(size), "malloc(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.calloc(size, 1), "calloc(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.alignedAlloc(1L << 30, size), "alignedAlloc(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.pageAlloc(size), "pageAlloc(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.allocate(size, 4096), "allocate(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.realloc(small, size), "realloc(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.realloc(large, size), "realloc(" + size + " bytes)");
            expectOutOfMemory(() -> allocator.recallocArray(large, 0, 1, size), "recallocArray(" + size + " bytes)");
        }
        assertUnchangedSince(before);
    }

    @Test
    void shouldRejectOverflowingProductsWithoutTouchingTheBlock() {
        long block = live.blocks().get(5).address();
        AllocatorStats before = allocator.stats();
        long[][] factors = {{1L << 32, 1L << 32}, {Long.MAX_VALUE, 2}, {2, Long.MAX_VALUE}, {1L << 62, 4},
                {Long.MAX_VALUE, Long.MAX_VALUE}, {3, 3074457345618258603L}};
        for (long[] f : factors) {
            String product = "=" + f[0] + " * byteSize=" + f[1] + " overflows a long";
            expectIllegalArgument(() -> allocator.calloc(f[0], f[1]), "calloc: count" + product);
            expectIllegalArgument(() -> allocator.reallocArray(block, f[0], f[1]), "reallocArray: count" + product);
            expectIllegalArgument(() -> allocator.recallocArray(block, 0, f[0], f[1]), "recallocArray: newCount" + product);
            expectIllegalArgument(() -> allocator.recallocArray(block, f[0], 1, f[1]), "recallocArray: oldCount" + product);
        }
        assertUnchangedSince(before);
    }

    @Test
    void shouldRejectEveryBadAlignmentNamingIt() {
        AllocatorStats before = allocator.stats();
        for (long alignment : BAD_ALIGNMENTS) {
            expectIllegalArgument(() -> allocator.alignedAlloc(alignment, 16),
                    "alignedAlloc: byteAlignment=" + alignment + " is not a power of two");
            expectIllegalArgument(() -> allocator.allocate(16, alignment),
                    "allocate: byteAlignment=" + alignment + " is not a power of two");
        }
        for (long alignment : TOO_LARGE_ALIGNMENTS) {
            expectIllegalArgument(() -> allocator.alignedAlloc(alignment, 16), "alignedAlloc: byteAlignment="
                    + alignment + " is larger than the largest supported alignment, 1073741824");
        }
        try (Arena arena = allocator.newArena()) {
            for (long alignment : BAD_ALIGNMENTS) {
                expectIllegalArgument(() -> arena.allocate(16, alignment),
                        "Arena.allocate: byteAlignment=" + alignment + " is not a power of two");
            }
            expectIllegalArgument(() -> arena.allocate(-1, 8), "Arena.allocate: byteSize=-1 is negative");
        }
        assertUnchangedSince(before);
    }

    @Test
    void shouldRejectAddressesWithHighBitsSetEvenWhenTheLowBitsAreALiveBlock() {
        for (LiveBlocks.Block block : live.blocks()) {
            long address = block.address();
            // The first free warms the memo with the block's segment, so the later ones hit it.
            long[] aliases = {address | (1L << 48), address | (1L << 60), address | Long.MIN_VALUE,
                    address - (1L << 48), address + (1L << 47), ~address};
            for (long alias : aliases) {
                AllocatorStats before = allocator.stats();
                expectNotOwned(() -> allocator.free(alias), "free", alias);
                expectNotOwned(() -> allocator.usableSize(alias), "usableSize", alias);
                expectNotOwned(() -> allocator.realloc(alias, 8), "realloc", alias);
                expectNotOwned(() -> allocator.realloc(alias, 0), "realloc", alias);
                expectNotOwned(() -> allocator.segment(alias), "segment", alias);
                assertUnchangedSince(before);
            }
        }
    }

    @Test
    void shouldRejectSegmentsThatDoNotStartAtABlock() {
        MemorySegment view = allocator.allocate(256, 16);
        AllocatorStats before = allocator.stats();
        for (long offset : new long[] {1, 8, 16, 128, 255, 256}) {
            MemorySegment slice = view.asSlice(offset);
            assertThatThrownBy(() -> allocator.free(slice)).isInstanceOf(InvalidAddressException.class)
                    .hasMessageStartingWith("free(" + hex(slice.address()) + ")");
        }
        assertUnchangedSince(before);
        allocator.free(view.asSlice(0, 0));
        assertThat(allocator.stats().liveCount()).isEqualTo(before.liveCount() - 1);
        live.assertIntact();
    }

    @Test
    void shouldRejectTheGlobalScopesForeignSegmentsInTheGlobalAllocator() {
        // The global allocator's views live in the global scope, like Arena.global()'s segments.
        MemorySegment foreign = Arena.global().allocate(64, 16);
        foreign.fill((byte) 7);

        assertThatThrownBy(() -> Allocator.global().free(foreign)).isInstanceOf(InvalidAddressException.class)
                .hasMessage("free(" + hex(foreign.address()) + "): not allocated by this allocator");
        assertThatThrownBy(() -> Allocator.global().free(MemorySegment.ofAddress(foreign.address() + 16)))
                .isInstanceOf(InvalidAddressException.class);
        Allocator.global().free(MemorySegment.NULL);
        for (long i = 0; i < 64; i++) {
            assertThat(foreign.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i)).isEqualTo((byte) 7);
        }
        assertThatThrownBy(() -> {
            try (Allocator global = Allocator.global()) {
                global.free(0);
            }
        }).isInstanceOf(UnsupportedOperationException.class);
        long stillServing = Allocator.global().malloc(10);
        Allocator.global().free(stillServing);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void assertUnchangedSince(AllocatorStats before) {
        AllocatorStats after = allocator.stats();
        assertThat(after.liveCount()).as("liveCount").isEqualTo(before.liveCount());
        assertThat(after.liveBytes()).as("liveBytes").isEqualTo(before.liveBytes());
        assertThat(after.mallocCount()).as("mallocCount").isEqualTo(before.mallocCount());
        assertThat(after.freeCount()).as("freeCount").isEqualTo(before.freeCount());
        assertThat(after.liveCount()).isEqualTo(after.mallocCount() - after.freeCount());
        live.assertIntact();
    }

    private void expectNegative(ThrowingCallable call, String prefix) {
        expectIllegalArgument(call, prefix + " is negative");
    }

    private void expectIllegalArgument(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private void expectOutOfMemory(ThrowingCallable call, String prefix) {
        assertThatThrownBy(call).isInstanceOf(TinyAllocOutOfMemoryError.class)
                .hasMessageStartingWith(prefix + ": out of memory: ")
                .satisfies(e -> assertThat(((TinyAllocOutOfMemoryError) e).kind())
                        .isEqualTo(TinyAllocOutOfMemoryError.Kind.RESERVATION_LIMIT));
    }

    private void expectNotOwned(ThrowingCallable call, String name, long address) {
        assertThatThrownBy(call).isInstanceOf(InvalidAddressException.class)
                .hasMessage(name + "(" + hex(address) + "): not allocated by this allocator")
                .satisfies(e -> assertThat(((InvalidAddressException) e).address()).isEqualTo(address));
    }
}
