package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Growing a large block past its reservation in place: with free address space after it (the
 * {@link GapMapper} leaves some), the reservation is extended by mremap without moving, whether
 * its tail is an inaccessible remainder or the block fills it. Contents, page map and accounting
 * must follow.
 */
class LargeReallocTest {

    private static final long MIB = 1L << 20;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper(new GapMapper());
    private final Heap heap = new Heap(HeapConfig.defaults(), mapper);

    @AfterEach
    void closeHeap() {
        assertThat(heap.check(true)).isTrue();
        heap.close();
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldGrowAPartlyCommittedReservationWhereItLies() {
        long block = heap.malloc(MIB + MIB / 2);
        Memory.fill(block, MIB + MIB / 2, (byte) 0x42);
        long remaps = mapper.calls(MapOperation.REMAP);
        long grown = heap.realloc(block, 5 * MIB);
        assertThat(grown).isEqualTo(block);
        assertThat(mapper.calls(MapOperation.REMAP)).isEqualTo(remaps + 1);
        assertGrown(block, MIB + MIB / 2);
    }

    @Test
    void shouldGrowAFullyCommittedReservationWhereItLies() {
        long block = heap.malloc(2 * MIB);
        Memory.fill(block, 2 * MIB, (byte) 0x42);
        long grown = heap.realloc(block, 5 * MIB - 8192);
        assertThat(grown).isEqualTo(block);
        assertThat(heap.usableSize(block)).isEqualTo(5 * MIB - 8192);
        assertThat(Memory.isFilledWith(block, 2 * MIB, (byte) 0x42)).isTrue();
        Memory.fill(block + 2 * MIB, 3 * MIB - 8192, (byte) 1);
        assertThat(heap.validate(block + 4 * MIB)).isEqualTo(AddressFault.INTERIOR);
        assertThat(heap.free(block)).isNull();
    }

    @Test
    void shouldMoveThePagesWhenGrowingInPlaceIsRefused() {
        long block = heap.malloc(2 * MIB);
        Memory.fill(block, 2 * MIB, (byte) 0x42);
        mapper.failNth(MapOperation.REMAP, 1);
        long grown = heap.realloc(block, 6 * MIB);
        assertThat(grown).isNotEqualTo(block);
        assertThat(grown % SegmentLayout.SEGMENT_SIZE).isZero();
        assertThat(Memory.isFilledWith(grown, 2 * MIB, (byte) 0x42)).isTrue();
        assertThat(heap.usableSize(grown)).isEqualTo(6 * MIB);
        assertThat(heap.validate(block)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(heap.stats().reservedBytes()).isEqualTo(6 * MIB);
        assertThat(heap.free(grown)).isNull();
    }

    private void assertGrown(long block, long oldSize) {
        assertThat(heap.usableSize(block)).isEqualTo(5 * MIB);
        assertThat(Memory.isFilledWith(block, oldSize, (byte) 0x42)).isTrue();
        Memory.fill(block + oldSize, 5 * MIB - oldSize, (byte) 1);
        assertThat(heap.validate(block + 4 * MIB)).isEqualTo(AddressFault.INTERIOR);
        assertThat(heap.stats().reservedBytes()).isEqualTo(5 * MIB);
        assertThat(heap.free(block)).isNull();
    }
}
