package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.list.Link;
import org.junit.jupiter.api.Test;

/** The segment descriptor: field offsets, block placement and the division trick. */
class SegmentLayoutTest {

    @Test
    void shouldKeepHeaderFieldsDisjointAlignedAndInsideTheFixedHeader() {
        long[][] fields = {
            {SegmentLayout.MAGIC_OFFSET, 8}, {SegmentLayout.CLASS_INDEX_OFFSET, 4},
            {SegmentLayout.BLOCK_BYTE_SIZE_OFFSET, 4}, {SegmentLayout.BLOCK_COUNT_OFFSET, 4},
            {SegmentLayout.BLOCK_START_OFFSET, 4}, {SegmentLayout.LIVE_COUNT_OFFSET, 4},
            {SegmentLayout.BUMP_INDEX_OFFSET, 4}, {SegmentLayout.FREE_HEAD_OFFSET, 8},
            {SegmentLayout.DIVISOR_OFFSET, 8}, {SegmentLayout.LINK_OFFSET, Link.BYTE_SIZE},
        };
        for (int i = 0; i < fields.length; i++) {
            long offset = fields[i][0];
            long size = fields[i][1];
            assertThat(offset % Math.min(size, 8)).as("alignment of field %d", i).isZero();
            assertThat(offset + size).isLessThanOrEqualTo(SegmentLayout.STATE_OFFSET);
            for (int j = i + 1; j < fields.length; j++) {
                boolean overlap = offset < fields[j][0] + fields[j][1] && fields[j][0] < offset + size;
                assertThat(overlap).as("fields %d and %d overlap", i, j).isFalse();
            }
        }
    }

    @Test
    void shouldPlaceBlocksAfterTheStateBytesAlignedToTheirNaturalAlignment() {
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            long blockSize = SizeClasses.blockSize(i);
            long blockStart = SizeClasses.blockStart(i);
            long alignment = SegmentLayout.blockAlignment(blockSize);
            assertThat(blockStart % alignment).isZero();
            assertThat(blockStart).as("state array and guard byte before block 0")
                    .isGreaterThanOrEqualTo(SegmentLayout.STATE_OFFSET + SizeClasses.blockCount(i)
                            + SegmentLayout.GUARD_BYTE_COUNT);
            assertThat((blockStart + 7 * blockSize) % alignment).isZero();
        }
        assertThat(SegmentLayout.blockAlignment(4096)).isEqualTo(4096);
        assertThat(SegmentLayout.blockAlignment(65536)).isEqualTo(4096);
        assertThat(SegmentLayout.blockAlignment(192)).isEqualTo(64);
    }

    @Test
    void shouldFitExactlyAsManyBlocksAsTheSegmentHolds() {
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            long blockSize = SizeClasses.blockSize(i);
            long count = SizeClasses.blockCount(i);
            assertThat(SizeClasses.blockStart(i) + count * blockSize).isLessThanOrEqualTo(SegmentLayout.SEGMENT_SIZE);
            long oneMore = SegmentLayout.blockStart(blockSize, count + 1) + (count + 1) * blockSize;
            assertThat(oneMore).isGreaterThan(SegmentLayout.SEGMENT_SIZE);
        }
    }

    @Test
    void shouldDivideEveryOffsetInASegmentExactlyWithTheReciprocal() {
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            long blockSize = SizeClasses.blockSize(i);
            long divisor = SegmentLayout.divisor(blockSize);
            for (long offset = 0; offset < SegmentLayout.SEGMENT_SIZE; offset += (i < 8 ? 1 : 3)) {
                long quotient = (offset * divisor) >>> SegmentLayout.DIVISOR_SHIFT;
                if (quotient != offset / blockSize) {
                    throw new AssertionError("offset=" + offset + " blockSize=" + blockSize + " got " + quotient);
                }
            }
        }
    }

    /**
     * Every byte of a segment of every class, header included, as the free fast path sees it: an
     * index below MAX_BLOCK_INDEX exactly at block starts, and never past the guard byte.
     */
    @Test
    void shouldFindExactlyTheBlockStartsOfEverySegmentWithOneMultiplication() {
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            long blockSize = SizeClasses.blockSize(i);
            long blockStart = SizeClasses.blockStart(i);
            long blockCount = SizeClasses.blockCount(i);
            long divisor = SegmentLayout.divisor(blockSize);
            for (long address = 0; address < SegmentLayout.SEGMENT_SIZE; address++) {
                long offset = address - blockStart;
                long index = SegmentLayout.exactBlockIndex(offset, divisor);
                boolean blockStartHere = offset >= 0 && offset % blockSize == 0;
                boolean found = index < SegmentLayout.MAX_BLOCK_INDEX;
                if (found != blockStartHere || (found && (index != offset / blockSize || index > blockCount))) {
                    throw new AssertionError("class=" + i + " blockSize=" + blockSize + " address=" + address
                            + " index=" + index + " blockCount=" + blockCount);
                }
            }
        }
    }

    @Test
    void shouldRejectBlockSizesOutsideASegment() {
        assertThatThrownBy(() -> SegmentLayout.blockCount(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockByteSize=0");
        assertThatThrownBy(() -> SegmentLayout.blockCount(SegmentLayout.SEGMENT_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFindTheSegmentBaseOfAnyAddressInside() {
        long base = 0x7f00_1230_0000L;
        assertThat(SegmentLayout.segmentBase(base)).isEqualTo(base);
        assertThat(SegmentLayout.segmentBase(base + SegmentLayout.SEGMENT_SIZE - 1)).isEqualTo(base);
        assertThat(SegmentLayout.segmentBase(base + SegmentLayout.SEGMENT_SIZE)).isEqualTo(base + SegmentLayout.SEGMENT_SIZE);
    }
}
