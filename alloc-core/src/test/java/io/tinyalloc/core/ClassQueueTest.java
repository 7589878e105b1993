package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One size class's segment lists, its batch entry points and its life cycle. */
class ClassQueueTest {

    private static final int CLASS_INDEX = SizeClasses.COUNT - 1;
    private static final int PER_SEGMENT = SizeClasses.blockCount(CLASS_INDEX);
    private static final long KEY = 0x1234_5678_9ABC_DEF1L;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
    private final Arenas arenas = new Arenas(memory, 64L << 20);
    private final PageMap pageMap = new PageMap();
    private final ClassQueue queue = new ClassQueue(CLASS_INDEX, KEY, false, arenas, pageMap);

    @AfterEach
    void release() {
        assertThat(queue.check(true)).isTrue();
        queue.close();
        arenas.releaseAll();
    }

    @Test
    void shouldMoveSegmentsBetweenPartialFullAndEmptyAndRetireTheSurplus() {
        long[] blocks = new long[3 * PER_SEGMENT];
        assertThat(queue.allocateBatch(blocks, 0, blocks.length)).isEqualTo(blocks.length);
        assertThat(queue.segmentCount()).isEqualTo(3);
        assertThat(queue.check(true)).isTrue();
        assertThat(queue.freeBatch(blocks, 0, blocks.length)).isNull();
        assertThat(queue.liveCount()).isZero();
        assertThat(queue.segmentCount()).isEqualTo(1 + ClassQueue.EMPTY_KEEP);
        assertThat(arenas.spareCount()).isEqualTo(3 - 1 - ClassQueue.EMPTY_KEEP);
        assertThat(pageMap.entryCount()).isEqualTo(queue.segmentCount());
        queue.trim();
        assertThat(queue.segmentCount()).isZero();
        assertThat(pageMap.entryCount()).isZero();
        assertThat(arenas.spareCount()).isEqualTo(3);
    }

    @Test
    void shouldKeepTheOnlySegmentThroughMallocFreePingPong() {
        long block = queue.allocate();
        assertThat(queue.free(block)).isNull();
        long reserves = mapper.calls(io.tinyalloc.sys.MapOperation.COMMIT);
        for (int i = 0; i < 1000; i++) {
            assertThat(queue.free(queue.allocate())).isNull();
        }
        assertThat(queue.segmentCount()).isEqualTo(1);
        assertThat(mapper.calls(io.tinyalloc.sys.MapOperation.COMMIT)).isEqualTo(reserves);
    }

    @Test
    void shouldHandOutDistinctBlocksInBatchesAndReportTheFirstBadOneOnFlush() {
        long[] blocks = new long[10];
        queue.allocateBatch(blocks, 2, 5);
        Set<Long> distinct = new HashSet<>();
        for (int i = 2; i < 7; i++) {
            assertThat(distinct.add(blocks[i])).isTrue();
        }
        blocks[7] = blocks[3] + 16;
        blocks[8] = blocks[4];
        assertThat(queue.freeBatch(blocks, 2, 7)).isEqualTo(AddressFault.INTERIOR);
        assertThat(queue.liveCount()).isZero();
        assertThatThrownBy(() -> queue.allocateBatch(blocks, 8, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(queue.liveCount()).isZero();
    }

    @Test
    void shouldReturnAPartialBatchWhenMemoryRunsOutMidway() {
        long[] blocks = new long[PER_SEGMENT + 2];
        mapper.failNth(io.tinyalloc.sys.MapOperation.COMMIT, 2);
        assertThat(queue.allocateBatch(blocks, 0, blocks.length)).isEqualTo(PER_SEGMENT);
        mapper.failNth(io.tinyalloc.sys.MapOperation.COMMIT, 1);
        assertThatThrownBy(() -> queue.allocateBatch(blocks, 0, 1)).isInstanceOfSatisfying(HeapExhaustedException.class,
                e -> assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.KERNEL));
        assertThat(queue.freeBatch(blocks, 0, PER_SEGMENT)).isNull();
        assertThat(Arrays.stream(blocks).limit(PER_SEGMENT).allMatch(b -> b != 0)).isTrue();
    }

    @Test
    void shouldVisitEachPartialSegmentOnceInAPurgeOverManyLockHolds() {
        int segments = 40;
        long[] kept = PartlyUsedSegments.leaveOneBlockEach(queue, CLASS_INDEX, segments);
        long visitsBefore = queue.purgeVisitCount();
        long now = System.nanoTime();

        ClassQueue.Purged purged = queue.purgePartial(now, now, true, Integer.MAX_VALUE);

        assertThat(purged.segmentCount()).isEqualTo(segments);
        assertThat(purged.byteSize()).isGreaterThanOrEqualTo((long) segments * (PER_SEGMENT - 1) * SizeClasses.blockSize(CLASS_INDEX) / 2);
        assertThat(queue.purgeVisitCount() - visitsBefore).isLessThanOrEqualTo(segments + segments / ClassQueue.PURGES_PER_LOCK_HOLD + 1);
        assertThat(queue.check(true)).isTrue();
        PartlyUsedSegments.freeAll(queue, kept);
    }

    @Test
    void shouldRefuseEverythingOnceClosed() {
        long block = queue.allocate();
        queue.close();
        assertThat(queue.free(block)).isEqualTo(AddressFault.NOT_OWNED);
        assertThat(queue.usableSize(block)).isNegative();
        assertThatThrownBy(queue::allocate).isInstanceOf(IllegalStateException.class);
    }
}
