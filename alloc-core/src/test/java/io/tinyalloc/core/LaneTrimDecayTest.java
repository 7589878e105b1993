package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trim thread and lanes, on a fake clock: a lane whose segment emptied while it was the sole
 * partial one keeps it, and another lane then carves a segment of its own; once the class is
 * idle, the emptied segment is retired like any other segment without a live block.
 */
class LaneTrimDecayTest {

    private static final long MS = 1_000_000L;
    private static final long DELAY_NANOS = 100 * MS;
    private static final long KEY = 0x1B2C_3D4E_5F60_7182L;
    private static final int CLASS_INDEX = SizeClasses.classIndex(64);

    private final QueueFixture fixture = new QueueFixture(KEY);
    private final long[] clock = {0};
    private final Decay decay;

    LaneTrimDecayTest() {
        decay = fixture.decay(TrimConfig.defaults().withPurgeDelay(Duration.ofNanos(DELAY_NANOS)), () -> clock[0]);
    }

    @AfterEach
    void release() {
        fixture.close();
    }

    @Test
    void shouldRetireALanesEmptiedSegmentOnceTheClassIsIdleWhileAnotherLaneKeepsABlock() {
        ClassQueue queue = fixture.queues[CLASS_INDEX];
        long[] first = new long[8];
        long[] second = new long[8];
        assertThat(queue.allocateCached(0, first, 0, first.length)).isEqualTo(first.length);
        assertThat(queue.freeCached(first, 0, first.length)).isZero();
        long emptied = SegmentLayout.segmentBase(CacheEntry.address(first[0]));
        // Lane 0 keeps its emptied segment (the sole partial one); lane 1 carves a new one and keeps a block.
        assertThat(queue.allocateCached(1, second, 0, second.length)).isEqualTo(second.length);
        assertThat(queue.freeCached(second, 1, second.length - 1)).isZero();
        assertThat(queue.segmentCount()).isEqualTo(2);
        assertThat(queue.hasEmptySegments()).as("a trim would retire lane 0's segment").isTrue();

        tick(1);
        tick(DELAY_NANOS);
        tick(DELAY_NANOS);

        assertThat(queue.segmentCount()).as("segments once the class is idle").isEqualTo(1);
        assertThat(fixture.pageMap.get(emptied)).as("page-map entry of the emptied segment").isNotEqualTo(
                PageMap.segmentEntry(CLASS_INDEX));
        assertThat(queue.check(true)).isTrue();

        long[] again = new long[8];
        assertThat(queue.allocateCached(0, again, 0, again.length)).isEqualTo(again.length);
        assertThat(queue.freeCached(again, 0, again.length)).isZero();
        assertThat(queue.freeCached(second, 0, 1)).isZero();
        assertThat(queue.liveCount()).isZero();
    }

    private void tick(long nanos) {
        clock[0] += nanos;
        decay.pass();
    }
}
