package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A realloc that grows a large block past the memory limit fails, and must leave the heap's books
 * as they were: the reservation it charged for growing in place is refunded (reservedBytes equals
 * what the fault-injecting mapper holds), the block keeps its contents, and after free and trim
 * the stats are back to their baseline.
 */
class LargeGrowLimitAccountingTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldRefundTheReservationWhenGrowingAFullyCommittedBlockHitsTheMemoryLimit() {
        long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
        System.out.println("LargeGrowLimitAccountingTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        BlockPattern pattern = new BlockPattern(seed, Long.BYTES);
        FaultInjectingMapper mapper = new FaultInjectingMapper(new GapMapper());
        HeapConfig config = HeapConfig.defaults().withMaxMemoryBytes(32 * MIB).withThreadCache(false)
                .withTrim(TrimConfig.manual());
        try (Heap heap = new Heap(config, mapper)) {
            for (int round = 0; round < 8; round++) {
                // Whole segments: committed == reserved, so growing takes the remap-the-whole-mapping path.
                long byteSize = (1 + random.nextInt(8)) * MIB;
                long block = heap.malloc(byteSize);
                pattern.fill(block, byteSize);
                long tooBig = 40 * MIB + random.nextInt(64) * MIB;
                assertThatThrownBy(() -> heap.realloc(block, tooBig)).isInstanceOf(HeapExhaustedException.class);

                assertThat(heap.stats().reservedBytes()).as("round %d: reserved after a refused grow", round)
                        .isEqualTo(mapper.reservedBytes());
                assertThat(heap.stats().committedBytes()).isEqualTo(mapper.committedBytes());
                assertThat(heap.check(true)).isTrue();
                pattern.verify(block, byteSize);
                assertThat(heap.free(block)).isNull();
                heap.trim();
                HeapStats after = heap.stats();
                assertThat(after.reservedBytes()).as("round %d: reserved after free and trim", round).isZero();
                assertThat(after.committedBytes()).isZero();
                assertThat(after.liveBytes()).isZero();
            }
        }
        assertThat(mapper.reservedBytes()).isZero();
    }
}
