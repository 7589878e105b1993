package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lanes: each ICC shard's refills carve from a segment of their own, so that threads of different
 * shards never share the cache lines of blocks or state bytes that come from the segments.
 */
class ClassQueueLaneTest {

    private static final int SMALL_CLASS = SizeClasses.classIndex(64);
    private static final int LARGE_CLASS = SizeClasses.classIndex(32 * 1024);

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
    private final Arenas arenas = new Arenas(memory, 64L << 20);
    private final PageMap pageMap = new PageMap();
    private final ClassQueue small = new ClassQueue(SMALL_CLASS, 0x5A5A_1234_8765_A5A5L ^ SMALL_CLASS, false, arenas,
            pageMap);
    private final ClassQueue large = new ClassQueue(LARGE_CLASS, 0x5A5A_1234_8765_A5A5L ^ LARGE_CLASS, false, arenas,
            pageMap);

    @AfterEach
    void release() {
        assertThat(small.check(true)).isTrue();
        assertThat(large.check(true)).isTrue();
        small.close();
        large.close();
        arenas.releaseAll();
    }

    @Test
    void shouldCarveEachLanesRefillsFromASegmentOfItsOwn() {
        long[] first = new long[8];
        long[] second = new long[8];
        long[] again = new long[8];

        assertThat(small.allocateCached(0, first, 0, 8)).isEqualTo(8);
        assertThat(small.allocateCached(1, second, 0, 8)).isEqualTo(8);
        assertThat(small.allocateCached(0, again, 0, 8)).isEqualTo(8);

        assertThat(segmentsOf(first)).hasSize(1);
        assertThat(segmentsOf(second)).hasSize(1).doesNotContainAnyElementsOf(segmentsOf(first));
        assertThat(segmentsOf(again)).isEqualTo(segmentsOf(first));
        assertThat(small.segmentCount()).isEqualTo(2);
        assertThat(small.liveCount()).isEqualTo(24);
    }

    @Test
    void shouldShareNoStateByteCacheLineBetweenTwoLanes() {
        long[] first = carve(small, 0, 8);
        long[] second = carve(small, 1, 8);

        Set<Long> firstLines = stateLinesOf(first);
        assertThat(stateLinesOf(second)).doesNotContainAnyElementsOf(firstLines);
    }

    @Test
    void shouldTakeLaneNumbersModuloTheLaneCount() {
        long[] first = carve(small, 3, 4);
        long[] wrapped = carve(small, 3 + ClassQueue.LANE_COUNT, 4);
        assertThat(segmentsOf(wrapped)).isEqualTo(segmentsOf(first));
        assertThat(small.segmentCount()).isEqualTo(1);
    }

    @Test
    void shouldMoveOnWhenItsSegmentFillsAndReuseAPartialSegmentNoLaneHolds() {
        int perSegment = SegmentLayout.blockCount(SizeClasses.blockSize(LARGE_CLASS));
        long[] whole = new long[perSegment];
        assertThat(large.allocateCached(0, whole, 0, perSegment)).isEqualTo(perSegment);
        long firstSegment = segmentsOf(whole).iterator().next();

        long[] next = carve(large, 0, 1);
        assertThat(segmentsOf(next)).doesNotContain(firstSegment);

        // One block of the full segment comes back: the segment is partial again, held by no lane.
        assertThat(large.freeCached(whole, 0, 1)).isZero();
        long[] other = carve(large, 1, 1);
        assertThat(other[0]).isEqualTo(whole[0]);
        assertThat(large.segmentCount()).isEqualTo(2);
    }

    @Test
    void shouldForgetALaneSegmentThatTrimRetiresAndCarveAgainAfterwards() {
        long[] entries = carve(small, 0, 8);
        assertThat(small.freeCached(entries, 0, 8)).isZero();
        assertThat(small.liveCount()).isZero();

        small.trim();
        assertThat(small.segmentCount()).isZero();
        assertThat(small.check(true)).isTrue();

        assertThat(small.allocateCached(0, entries, 0, 8)).isEqualTo(8);
        assertThat(small.segmentCount()).isEqualTo(1);
        for (long entry : entries) {
            long address = CacheEntry.address(entry);
            long base = SegmentLayout.segmentBase(address);
            assertThat(Segment.state(base, CacheEntry.index(entry))).isEqualTo(SegmentLayout.STATE_CACHED);
        }
    }

    @Test
    void shouldGiveAnEmptiedLaneSegmentBackOnlyWhileAnotherPartialOneRemains() {
        long[] first = carve(small, 0, 8);
        long[] second = carve(small, 1, 8);
        long secondSegment = segmentsOf(second).iterator().next();

        // Lane 1 gives everything back: its segment empties and leaves the partial list (kept
        // formatted as the class's one empty segment), and lane 1's next refill takes it again.
        assertThat(small.freeCached(second, 0, 8)).isZero();
        assertThat(small.check(true)).isTrue();
        long[] again = carve(small, 1, 8);
        assertThat(segmentsOf(again)).containsExactly(secondSegment);
        assertThat(small.segmentCount()).isEqualTo(2);
    }

    /** A refill of up to {@code count} blocks for {@code lane}: its entries (0 past what was handed out). */
    private static long[] carve(ClassQueue queue, int lane, int count) {
        long[] entries = new long[count];
        queue.allocateCached(lane, entries, 0, count);
        return entries;
    }

    private static Set<Long> segmentsOf(long[] entries) {
        Set<Long> segments = new HashSet<>();
        for (long entry : entries) {
            segments.add(SegmentLayout.segmentBase(CacheEntry.address(entry)));
        }
        return segments;
    }

    /** The 64-byte lines holding the entries' state bytes. */
    private static Set<Long> stateLinesOf(long[] entries) {
        Set<Long> lines = new HashSet<>();
        for (long entry : entries) {
            long base = SegmentLayout.segmentBase(CacheEntry.address(entry));
            lines.add((base + SegmentLayout.STATE_OFFSET + CacheEntry.index(entry)) >>> 6);
        }
        return lines;
    }
}
