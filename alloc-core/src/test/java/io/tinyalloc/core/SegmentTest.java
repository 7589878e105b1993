package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Segment operations on one SEGMENT_SIZE-aligned span of confined memory. */
class SegmentTest {

    private static final long MAGIC = 0x5EED_0000_0001L;

    private Arena arena;
    private long base;

    @BeforeEach
    void mapSegment() {
        arena = Arena.ofConfined();
        base = arena.allocate(SegmentLayout.SEGMENT_SIZE, SegmentLayout.SEGMENT_SIZE).address();
    }

    @AfterEach
    void unmapSegment() {
        arena.close();
    }

    private long magic() {
        return MAGIC ^ base;
    }

    @Test
    void shouldHandOutEveryBlockOnceAlignedAndInsideTheSegmentThenReportFull() {
        int classIndex = SizeClasses.classIndex(192);
        Segment.format(base, classIndex, magic());
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < SizeClasses.blockCount(classIndex); i++) {
            long block = Segment.allocate(base);
            assertThat(block % 64).isZero();
            assertThat(block + 192).isLessThanOrEqualTo(base + SegmentLayout.SEGMENT_SIZE);
            assertThat(block).isGreaterThanOrEqualTo(base + SizeClasses.blockStart(classIndex));
            assertThat(seen.add(block)).isTrue();
        }
        assertThat(Segment.isFull(base)).isTrue();
        assertThat(Segment.allocate(base)).isZero();
        assertThat(Segment.check(base, magic(), true)).isTrue();
    }

    @Test
    void shouldReuseTheMostRecentlyFreedBlockFirst() {
        int classIndex = SizeClasses.classIndex(64);
        Segment.format(base, classIndex, magic());
        long first = Segment.allocate(base);
        long second = Segment.allocate(base);
        free(classIndex, first);
        free(classIndex, second);
        assertThat(Segment.allocate(base)).isEqualTo(second);
        assertThat(Segment.allocate(base)).isEqualTo(first);
        assertThat(Segment.bumpIndex(base)).isEqualTo(2);
        assertThat(Segment.check(base, magic(), true)).isTrue();
    }

    @Test
    void shouldReportEveryKindOfBadAddress() {
        int classIndex = SizeClasses.classIndex(48);
        Segment.format(base, classIndex, magic());
        long block = Segment.allocate(base);
        long freed = Segment.allocate(base);
        free(classIndex, freed);
        long lastBlock = Segment.blockAddress(base, SizeClasses.blockCount(classIndex) - 1);

        assertThat(locate(classIndex, block)).isNull();
        assertThat(locate(classIndex, block + 8)).isEqualTo(AddressFault.INTERIOR);
        assertThat(locate(classIndex, freed)).isEqualTo(AddressFault.DOUBLE_FREE);
        assertThat(locate(classIndex, base)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(locate(classIndex, base + SegmentLayout.STATE_OFFSET)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(locate(classIndex, lastBlock)).isEqualTo(AddressFault.NOT_ALLOCATED);
        assertThat(locate(classIndex, lastBlock + 48)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(Segment.faultOf(Segment.locate(base, block, magic() ^ 2, classIndex))).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(Segment.faultOf(Segment.locate(base, block, magic(), classIndex + 1))).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(Segment.check(base, magic(), true)).isTrue();
    }

    @Test
    void shouldValidateNothingOnceRetired() {
        int classIndex = SizeClasses.classIndex(16);
        Segment.format(base, classIndex, magic());
        long block = Segment.allocate(base);
        free(classIndex, block);
        Segment.retire(base);
        assertThat(locate(classIndex, block)).isEqualTo(AddressFault.NOT_OWNED);
        assertThatThrownBy(() -> Segment.check(base, magic(), false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("magic=0x0");
    }

    @Test
    void shouldRepairAFreeListOverwrittenByAWriteAfterFree() {
        int classIndex = SizeClasses.classIndex(32);
        Segment.format(base, classIndex, magic());
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(Segment.allocate(base));
        }
        for (int i = 0; i < 10; i += 2) {
            free(classIndex, blocks.get(i));
        }
        Memory.putLong(blocks.get(8), 0xDEAD_BEEF_0000L);
        Set<Long> reused = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            reused.add(Segment.allocate(base));
        }
        assertThat(reused).containsExactlyInAnyOrder(blocks.get(0), blocks.get(2), blocks.get(4), blocks.get(6),
                blocks.get(8));
        assertThat(Segment.check(base, magic(), true)).isTrue();
    }

    @Test
    void shouldRepairAFreeListThatLostBlocks() {
        int classIndex = SizeClasses.COUNT - 1;
        Segment.format(base, classIndex, magic());
        long a = Segment.allocate(base);
        long b = Segment.allocate(base);
        long c = Segment.allocate(base);
        free(classIndex, a);
        free(classIndex, b);
        Memory.putLong(b, 0);
        assertThat(Set.of(Segment.allocate(base), Segment.allocate(base))).containsExactlyInAnyOrder(a, b);
        assertThat(Segment.isFull(base)).isTrue();
        assertThat(c).isNotZero();
        assertThat(Segment.check(base, magic(), true)).isTrue();
    }

    @Test
    void shouldKeepInvariantsThroughARandomWorkload() {
        Random random = new Random(42);
        for (int classIndex : new int[] {0, 7, 19, 35, SizeClasses.COUNT - 1}) {
            Segment.retire(base);
            Segment.format(base, classIndex, magic());
            List<Long> live = new ArrayList<>();
            for (int step = 0; step < 5000; step++) {
                if (!live.isEmpty() && (random.nextBoolean() || Segment.isFull(base))) {
                    free(classIndex, live.remove(random.nextInt(live.size())));
                } else {
                    live.add(Segment.allocate(base));
                }
                assertThat(Segment.liveCount(base)).isEqualTo(live.size());
            }
            assertThat(Segment.check(base, magic(), true)).isTrue();
        }
    }

    private AddressFault locate(int classIndex, long address) {
        long result = Segment.locate(base, address, magic(), classIndex);
        return result >= 0 ? null : Segment.faultOf(result);
    }

    private void free(int classIndex, long block) {
        long index = Segment.locate(base, block, magic(), classIndex);
        assertThat(index).isNotNegative();
        Segment.free(base, block, index);
    }
}
