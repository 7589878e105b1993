package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The size-class table: spacing, lookup, alignment and the 70% efficiency bar. */
class SizeClassesTest {

    @Test
    void shouldPrintTableAndKeepEveryClassAtLeastSeventyPercentEfficient() {
        StringBuilder table = new StringBuilder("class  blockSize  blocks/segment  blockStart  efficiency\n");
        double worst = 1;
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            double efficiency = SizeClasses.efficiency(i);
            worst = Math.min(worst, efficiency);
            table.append(String.format("%5d  %9d  %14d  %10d  %9.1f%%%n", i, SizeClasses.blockSize(i),
                    SizeClasses.blockCount(i), SizeClasses.blockStart(i), 100 * efficiency));
        }
        table.append(String.format("classes=%d maxSmallSize=%d worstEfficiency=%.1f%%%n", SizeClasses.COUNT,
                SizeClasses.MAX_SMALL_SIZE, 100 * worst));
        System.out.print(table);
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            assertThat(SizeClasses.efficiency(i)).as("efficiency of class %d", i).isGreaterThanOrEqualTo(0.70);
        }
    }

    @Test
    void shouldStepBySixteenUpTo128ThenFourClassesPerDoubling() {
        for (int i = 0; i < 8; i++) {
            assertThat(SizeClasses.blockSize(i)).isEqualTo(16 * (i + 1));
        }
        assertThat(new int[] {SizeClasses.blockSize(8), SizeClasses.blockSize(9), SizeClasses.blockSize(10),
                SizeClasses.blockSize(11), SizeClasses.blockSize(12), SizeClasses.blockSize(15), SizeClasses.blockSize(16)})
                .containsExactly(160, 192, 224, 256, 320, 512, 640);
        assertThat(SizeClasses.blockSize(SizeClasses.COUNT - 1)).isEqualTo(SizeClasses.MAX_SMALL_SIZE);
        assertThat(SizeClasses.COUNT).isEqualTo(52);
    }

    @Test
    void shouldMakeEveryClassAStrictlyIncreasingMultipleOfSixteen() {
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            assertThat(SizeClasses.blockSize(i) % 16).isZero();
            if (i > 0) {
                assertThat(SizeClasses.blockSize(i)).isGreaterThan(SizeClasses.blockSize(i - 1));
            }
        }
    }

    @Test
    void shouldMapEverySizeToTheSmallestClassThatHoldsIt() {
        for (long size = 0; size <= SizeClasses.MAX_SMALL_SIZE; size++) {
            int index = SizeClasses.classIndex(size);
            assertThat(SizeClasses.blockSize(index)).isGreaterThanOrEqualTo((int) size);
            if (index > 0 && SizeClasses.blockSize(index - 1) >= size) {
                throw new AssertionError("byteSize=" + size + " could use class " + (index - 1));
            }
        }
        assertThat(SizeClasses.classIndex(0)).isZero();
        assertThat(SizeClasses.check()).isTrue();
    }

    @Test
    void shouldWasteLessThanTwentyPercentToRoundingAbove128Bytes() {
        for (int i = 8; i < SizeClasses.COUNT; i++) {
            long smallestRequest = SizeClasses.blockSize(i - 1) + 1L;
            double waste = 1 - (double) smallestRequest / SizeClasses.blockSize(i);
            assertThat(waste).as("class %d", i).isLessThan(0.20);
        }
    }

    @Property(tries = 2000)
    void shouldAgreeWithALinearScanModel(@ForAll @LongRange(min = 0, max = 262144) long byteSize) {
        int model = 0;
        while (SizeClasses.blockSize(model) < byteSize) {
            model++;
        }
        assertThat(SizeClasses.classIndex(byteSize)).isEqualTo(model);
    }

    @Test
    void shouldFindTheSmallestNaturallyAlignedClassForAlignedRequests() {
        for (long alignment = 32; alignment <= 4096; alignment <<= 1) {
            for (long size = 0; size <= 3 * alignment + 16; size += 8) {
                int index = SizeClasses.classIndexForAlignment(size, alignment);
                assertThat(index).isNotNegative();
                long blockSize = SizeClasses.blockSize(index);
                assertThat(blockSize).isGreaterThanOrEqualTo(size);
                assertThat(SegmentLayout.blockAlignment(blockSize)).isGreaterThanOrEqualTo(alignment);
                for (int smaller = 0; smaller < index; smaller++) {
                    long other = SizeClasses.blockSize(smaller);
                    assertThat(other >= size && SegmentLayout.blockAlignment(other) >= alignment).isFalse();
                }
            }
        }
    }

    @Test
    void shouldLeaveAlignmentsAbovePageAndSizesAboveMaxToLargeBlocks() {
        assertThat(SizeClasses.classIndexForAlignment(16, 8192)).isEqualTo(-1);
        assertThat(SizeClasses.classIndexForAlignment(SizeClasses.MAX_SMALL_SIZE + 1, 32)).isEqualTo(-1);
        assertThat(SizeClasses.classIndexForAlignment(SizeClasses.MAX_SMALL_SIZE, 4096))
                .isEqualTo(SizeClasses.COUNT - 1);
    }
}
