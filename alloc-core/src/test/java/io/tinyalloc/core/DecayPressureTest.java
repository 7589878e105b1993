package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A trim pass under memory pressure does not wait for free memory to age: with the clock standing
 * still, the same pass that keeps everything when memory is plentiful gives back the empty
 * segment, the spare and the free pages of a partly used segment at once, and live blocks keep
 * their contents. (The pressure probe is replaced; its threshold has its own test.)
 */
class DecayPressureTest {

    private static final long KEY = 0x1234_5678_9ABC_DEF0L;
    private static final int CLASS_INDEX = SizeClasses.classIndex(64);
    private static final int PER_SEGMENT = SizeClasses.blockCount(CLASS_INDEX);

    private final QueueFixture fixture = new QueueFixture(KEY);
    private final Decay decay;

    DecayPressureTest() {
        fixture.arenas.keepSparesForDecay();
        decay = fixture.decay(TrimConfig.defaults().withPurgeDelay(Duration.ofSeconds(10))
                .withTrimThreshold(TrimConfig.MIN_TRIM_THRESHOLD_BYTES), () -> 0L);
    }

    @AfterEach
    void release() {
        fixture.close();
    }

    @Test
    void shouldGiveBackEverythingFreeAtOnceUnderPressureAndNothingYoungWithout() {
        ClassQueue queue = fixture.queues[CLASS_INDEX];
        long[] blocks = new long[3 * PER_SEGMENT];
        assertThat(queue.allocateBatch(blocks, 0, blocks.length)).isEqualTo(blocks.length);
        for (long block : blocks) {
            Memory.putLong(block, ~block);
        }
        for (int i = 0; i < PER_SEGMENT; i++) {
            assertThat(queue.free(blocks[i])).isNull();
        }
        for (int i = PER_SEGMENT; i < 2 * PER_SEGMENT; i++) {
            if ((i / 128) % 2 == 0) {
                assertThat(queue.free(blocks[i])).isNull();
                blocks[i] = 0;
            }
        }
        long committed = fixture.memory.committedBytes();

        decay.setPressureProbe(() -> false);
        decay.pass();
        assertThat(fixture.memory.committedBytes()).as("nothing is a purge delay old").isEqualTo(committed);

        decay.setPressureProbe(() -> true);
        decay.pass();

        assertThat(committed - fixture.memory.committedBytes()).isGreaterThan(SegmentLayout.SEGMENT_SIZE);
        assertThat(fixture.memory.purgedBytes()).isGreaterThan(SegmentLayout.SEGMENT_SIZE);
        assertThat(fixture.memory.committedBytes()).isEqualTo(fixture.mapper.committedBytes());
        for (int i = PER_SEGMENT; i < blocks.length; i++) {
            if (blocks[i] != 0) {
                assertThat(Memory.getLong(blocks[i])).isEqualTo(~blocks[i]);
                assertThat(queue.free(blocks[i])).isNull();
            }
        }
    }
}
