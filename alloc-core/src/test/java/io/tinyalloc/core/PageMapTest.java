package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two-level page map: lookups, tags, bounds and bad input. */
class PageMapTest {

    private static final long UNIT = SegmentLayout.SEGMENT_SIZE;

    private final PageMap map = new PageMap();

    @Test
    void shouldReportNothingForAddressesNeverMapped() {
        for (long address : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 48, (1L << 48) - 1,
                0x7fff_ffff_f000L, 0x5555_5555_0000L}) {
            assertThat(map.get(address)).isZero();
        }
    }

    @Test
    void shouldMapEveryAddressInsideTheUnitsAndNothingAround() {
        long base = 0x7f12_3450_0000L;
        long entry = PageMap.segmentEntry(17);
        map.set(base, 2, entry);
        assertThat(map.get(base)).isEqualTo(entry);
        assertThat(map.get(base + 12345)).isEqualTo(entry);
        assertThat(map.get(base + 2 * UNIT - 1)).isEqualTo(entry);
        assertThat(map.get(base - 1)).isZero();
        assertThat(map.get(base + 2 * UNIT)).isZero();
        assertThat(map.entryCount()).isEqualTo(2);
        assertThat(map.check()).isTrue();
    }

    @Test
    void shouldSpanTheFourGigabyteBoundaryOfLevelTwoArrays() {
        long base = (5L << 32) - UNIT;
        map.set(base, 3, PageMap.largeEntry(9));
        assertThat(map.get(base)).isEqualTo(PageMap.largeEntry(9));
        assertThat(map.get(5L << 32)).isEqualTo(PageMap.largeEntry(9));
        assertThat(map.get((5L << 32) + UNIT + 5)).isEqualTo(PageMap.largeEntry(9));
        assertThat(map.entryCount()).isEqualTo(3);
    }

    @Test
    void shouldTagSegmentsAndLargeBlocksSoTheyCannotBeConfused() {
        long segment = PageMap.segmentEntry(0);
        long large = PageMap.largeEntry(0);
        assertThat(segment).isNotEqualTo(large).isNotZero();
        assertThat(PageMap.isSegment(segment)).isTrue();
        assertThat(PageMap.isLarge(segment)).isFalse();
        assertThat(PageMap.isLarge(large)).isTrue();
        assertThat(PageMap.isSegment(large)).isFalse();
        assertThat(PageMap.isSegment(0)).isFalse();
        assertThat(PageMap.isLarge(0)).isFalse();
        assertThat(PageMap.payload(PageMap.segmentEntry(51))).isEqualTo(51);
        assertThat(PageMap.payload(PageMap.largeEntry(123456))).isEqualTo(123456);
    }

    @Test
    void shouldForgetClearedUnits() {
        long base = 0x1000_0000_0000L;
        map.set(base, 4, PageMap.largeEntry(1));
        map.clear(base + UNIT, 2);
        assertThat(map.get(base)).isNotZero();
        assertThat(map.get(base + UNIT)).isZero();
        assertThat(map.get(base + 2 * UNIT)).isZero();
        assertThat(map.get(base + 3 * UNIT)).isNotZero();
        assertThat(map.entryCount()).isEqualTo(2);
        map.clearAll();
        assertThat(map.get(base)).isZero();
        assertThat(map.entryCount()).isZero();
    }

    @Test
    void shouldRejectMisalignedOutOfRangeOrUntaggedWritesAndStayUnchanged() {
        long base = 0x2000_0000_0000L;
        map.set(base, 1, PageMap.segmentEntry(3));
        assertThatThrownBy(() -> map.set(base + 4096, 1, PageMap.segmentEntry(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address=0x200000001000");
        assertThatThrownBy(() -> map.set((1L << 48) - UNIT, 2, PageMap.segmentEntry(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unitCount=2");
        assertThatThrownBy(() -> map.set(base, 0, PageMap.segmentEntry(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.set(-UNIT, 1, PageMap.segmentEntry(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.set(base, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.set(base, 1, 3 | 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry=0xb");
        assertThatThrownBy(() -> map.clear(base + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(map.get(base)).isEqualTo(PageMap.segmentEntry(3));
        assertThat(map.entryCount()).isEqualTo(1);
        assertThat(map.check()).isTrue();
    }

    @Test
    void shouldAcceptTheLastUnitBelowTheAddressLimit() {
        long last = (1L << 48) - UNIT;
        map.set(last, 1, PageMap.segmentEntry(2));
        assertThat(map.get((1L << 48) - 1)).isEqualTo(PageMap.segmentEntry(2));
    }
}
