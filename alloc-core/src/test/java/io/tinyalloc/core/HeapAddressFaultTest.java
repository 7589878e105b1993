package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link AddressFault} is detected without touching memory the heap does not own. Several
 * addresses point into PROT_NONE or unmapped ranges: reading them would crash the JVM, so merely
 * passing proves they were never dereferenced. After each fault the heap must be unchanged.
 */
class HeapAddressFaultTest {

    private static final long MIB = 1L << 20;

    private final Heap heap = new Heap(HeapConfig.defaults(), Mapper.system());
    private long live;
    private HeapStats before;

    @BeforeEach
    void allocateOneBlock() {
        live = heap.malloc(48);
        Memory.fill(live, 48, (byte) 0x11);
        before = heap.stats();
    }

    @AfterEach
    void checkNothingChanged() {
        HeapStats after = heap.stats();
        assertThat(after.liveCount()).isEqualTo(before.liveCount());
        assertThat(after.freeCount()).isEqualTo(before.freeCount());
        assertThat(Memory.isFilledWith(live, 48, (byte) 0x11)).isTrue();
        assertThat(heap.check(true)).isTrue();
        assertThat(heap.free(live)).isNull();
        heap.close();
    }

    private void assertFault(long address, AddressFault expected) {
        assertThat(heap.validate(address)).as("validate 0x%x", address).isEqualTo(expected);
        assertThat(heap.usableSize(address)).isEqualTo(-(expected.ordinal() + 1));
        assertThat(heap.free(address)).as("free 0x%x", address).isEqualTo(expected);
        assertThatThrownBy(() -> heap.realloc(address, 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toHexString(address)).hasMessageContaining(expected.describe());
    }

    @Test
    void shouldRejectMemoryFromAnotherAllocator() {
        try (Arena foreign = Arena.ofConfined()) {
            assertFault(foreign.allocate(64).address(), AddressFault.NOT_OWNED);
        }
    }

    @Test
    void shouldRejectWildAddressesWithoutReadingThem() {
        for (long wild : new long[] {8, 0x7ffd_1234_5670L, 0x10_0000L, 1L << 47, -16, Long.MIN_VALUE, 1L << 50}) {
            assertFault(wild, AddressFault.NOT_OWNED);
        }
    }

    @Test
    void shouldRejectAnAddressInsideAnInaccessibleReservation() {
        Mapper mapper = Mapper.system();
        long reservation = mapper.reserve(4 * MIB, MIB);
        try {
            assertFault(reservation + MIB, AddressFault.NOT_OWNED);
        } finally {
            mapper.release(reservation, 4 * MIB);
        }
    }

    @Test
    void shouldRejectInteriorPointers() {
        assertFault(live + 8, AddressFault.INTERIOR);
        assertFault(live + 1, AddressFault.INTERIOR);
    }

    @Test
    void shouldRejectTheSegmentHeaderAndTheStateBytes() {
        long base = SegmentLayout.segmentBase(live);
        assertFault(base, AddressFault.NOT_OWNED);
        assertFault(base + SegmentLayout.STATE_OFFSET, AddressFault.NOT_OWNED);
        assertFault(base + SegmentLayout.SEGMENT_SIZE - 16, AddressFault.NOT_OWNED);
    }

    @Test
    void shouldRejectABlockSlotNeverHandedOut() {
        assertFault(live + 48 * 100, AddressFault.NOT_ALLOCATED);
    }

    @Test
    void shouldRejectASecondFree() {
        long block = heap.malloc(48);
        assertThat(heap.free(block)).isNull();
        before = heap.stats();
        assertFault(block, AddressFault.DOUBLE_FREE);
    }

    @Test
    void shouldRejectAFreeOfTheOldAddressAfterReallocMovedTheBlock() {
        long block = heap.malloc(48);
        long moved = heap.realloc(block, 4000);
        assertThat(moved).isNotEqualTo(block);
        assertThat(heap.free(moved)).isNull();
        before = heap.stats();
        assertFault(block, AddressFault.DOUBLE_FREE);
    }

    @Test
    void shouldRejectInteriorAndSecondFreesOfLargeBlocks() {
        long block = heap.malloc(3 * MIB);
        before = heap.stats();
        assertFault(block + 4096, AddressFault.INTERIOR);
        assertFault(block + 3 * MIB + 4096, AddressFault.NOT_OWNED);
        assertThat(heap.free(block)).isNull();
        before = heap.stats();
        assertFault(block, AddressFault.DOUBLE_FREE);
    }

    @Test
    void shouldRejectAnUnmappedLargeBlockWithoutReadingIt() {
        long block = heap.malloc(100 * MIB);
        assertThat(heap.free(block)).isNull();
        heap.trim();
        before = heap.stats();
        assertFault(block, AddressFault.NOT_OWNED);
        assertFault(block + 50 * MIB, AddressFault.NOT_OWNED);
    }

    @Test
    void shouldRejectAddressesOfARetiredSegment() {
        long block = heap.malloc(5000);
        long base = SegmentLayout.segmentBase(block);
        assertThat(heap.free(block)).isNull();
        heap.trim();
        before = heap.stats();
        assertFault(block, AddressFault.NOT_OWNED);
        assertFault(base, AddressFault.NOT_OWNED);
    }

    @Test
    void shouldRejectBlocksOfAnotherHeap() {
        try (Heap other = new Heap(HeapConfig.defaults(), Mapper.system())) {
            long foreign = other.malloc(48);
            assertFault(foreign, AddressFault.NOT_OWNED);
            assertThat(other.free(foreign)).isNull();
        }
    }
}
