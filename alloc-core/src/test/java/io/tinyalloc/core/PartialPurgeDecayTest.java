package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trim thread's rule for pages inside partly used segments, on a fake clock: a segment is
 * purged once blocks were first freed into it a purge delay ago; the segment its class allocates
 * from waits until the class is idle; a segment without new frees is never rescanned.
 */
class PartialPurgeDecayTest {

    private static final long MS = 1_000_000L;
    private static final long DELAY_NANOS = 100 * MS;
    private static final long KEY = 0x0F1E_2D3C_4B5A_6978L;
    private static final int CLASS_INDEX = SizeClasses.classIndex(64);
    private static final int PER_SEGMENT = SizeClasses.blockCount(CLASS_INDEX);

    private final QueueFixture fixture = new QueueFixture(KEY);
    private final long[] clock = {0};
    private final Decay decay;

    PartialPurgeDecayTest() {
        decay = fixture.decay(TrimConfig.defaults().withPurgeDelay(Duration.ofNanos(DELAY_NANOS)), () -> clock[0]);
    }

    @AfterEach
    void release() {
        fixture.close();
        assertThat(fixture.memory.heldBytes()).isZero();
    }

    @Test
    void shouldPurgeASegmentADelayAfterItsFirstFreeAndTheAllocatingSegmentOnlyOnceTheClassIsIdle() {
        ClassQueue queue = fixture.queues[CLASS_INDEX];
        long[] blocks = new long[PER_SEGMENT + PER_SEGMENT / 2];
        assertThat(queue.allocateBatch(blocks, 0, blocks.length)).isEqualTo(blocks.length);
        long first = SegmentLayout.segmentBase(blocks[0]);
        long second = SegmentLayout.segmentBase(blocks[blocks.length - 1]);
        freeRange(queue, blocks, 1, PER_SEGMENT - 1);
        freeRange(queue, blocks, PER_SEGMENT + 1, blocks.length - 1);

        tick(1);
        assertThat(SegmentPurge.heldBytes(first)).as("just seen dirty").isZero();
        tick(DELAY_NANOS / 2);
        assertThat(SegmentPurge.heldBytes(first)).as("half a delay later").isZero();

        assertThat(queue.free(queue.allocate())).isNull();
        tick(DELAY_NANOS / 2 + MS);
        assertThat(SegmentPurge.heldBytes(first)).as("a delay after its first free").isPositive();
        assertThat(SegmentPurge.heldBytes(second)).as("the allocating segment of a busy class").isZero();
        assertThat(queue.heldByteSize()).isEqualTo(SegmentPurge.heldBytes(first));

        tick(2 * DELAY_NANOS);
        assertThat(SegmentPurge.heldBytes(second)).as("the class went idle").isPositive();
        assertThat(fixture.memory.heldBytes()).isEqualTo(queue.heldByteSize());
        assertThat(fixture.memory.committedBytes()).isEqualTo(fixture.mapper.committedBytes());

        long purgeCalls = fixture.mapper.calls(MapOperation.DECOMMIT);
        long purgedBytes = fixture.memory.purgedBytes();
        tick(DELAY_NANOS);
        tick(DELAY_NANOS);
        assertThat(fixture.mapper.calls(MapOperation.DECOMMIT)).as("clean segments are not rescanned")
                .isEqualTo(purgeCalls);
        assertThat(fixture.memory.purgedBytes()).isEqualTo(purgedBytes);

        freeRange(queue, blocks, 0, 1);
        freeRange(queue, blocks, PER_SEGMENT - 1, PER_SEGMENT + 1);
        freeRange(queue, blocks, blocks.length - 1, blocks.length);
        assertThat(queue.liveCount()).isZero();
    }

    @Test
    void shouldReviveOnlyABatchOfPurgedBlocksWhenTheSegmentNeedsThem() {
        ClassQueue queue = fixture.queues[CLASS_INDEX];
        long[] blocks = new long[PER_SEGMENT];
        assertThat(queue.allocateBatch(blocks, 0, blocks.length)).isEqualTo(blocks.length);
        long base = SegmentLayout.segmentBase(blocks[0]);
        freeRange(queue, blocks, 1, blocks.length);
        decay.purgeAllPartial();
        long held = queue.heldByteSize();
        assertThat(held).isGreaterThan(SegmentLayout.SEGMENT_SIZE / 2);
        assertThat(Segment.purgedCount(base)).isPositive();
        assertThat(queue.check(true)).isTrue();

        long[] again = new long[PER_SEGMENT / 2];
        assertThat(queue.allocateBatch(again, 0, again.length)).isEqualTo(again.length);
        for (long block : again) {
            assertThat(SegmentLayout.segmentBase(block)).as("purged blocks are reused first").isEqualTo(base);
        }
        long revived = held - queue.heldByteSize();
        long used = again.length * (long) SizeClasses.blockSize(CLASS_INDEX);
        assertThat(revived).as("recommitted about what was handed out")
                .isBetween(used - SegmentPurge.REVIVE_BYTE_SIZE, used + 2 * SegmentPurge.REVIVE_BYTE_SIZE);
        assertThat(fixture.memory.committedBytes()).isEqualTo(fixture.mapper.committedBytes());
        assertThat(queue.check(true)).isTrue();
        assertThat(queue.freeBatch(again, 0, again.length)).isNull();
        freeRange(queue, blocks, 0, 1);
    }

    private void tick(long nanos) {
        clock[0] += nanos;
        decay.pass();
    }

    private static void freeRange(ClassQueue queue, long[] blocks, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(queue.free(blocks[i])).isNull();
        }
    }
}
