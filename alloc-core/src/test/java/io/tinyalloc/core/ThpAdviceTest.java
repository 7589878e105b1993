package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import org.junit.jupiter.api.Test;

/**
 * Transparent huge page advice: FORCE aligns arenas and large reservations to the huge page size
 * and advises MADV_HUGEPAGE, DISABLE advises MADV_NOHUGEPAGE, DEFAULT says nothing; a refused
 * advice is counted and changes nothing else.
 */
class ThpAdviceTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldAlignAndAdviseArenasAndLargeBlocksWhenForced() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        try (Heap heap = heap(mapper, ThpMode.FORCE)) {
            long small = heap.malloc(100);
            long large = heap.malloc(6 * MIB);
            assertThat(SegmentLayout.segmentBase(small) & (Platform.hugePageSize() - 1)).isZero();
            assertThat(large & (Platform.hugePageSize() - 1)).isZero();
            assertThat(mapper.calls(MapOperation.ADVISE)).isEqualTo(2);
            Memory.fill(large, 6 * MIB, (byte) 1);
            assertThat(heap.free(large)).isNull();
            assertThat(heap.free(small)).isNull();
        }
    }

    @Test
    void shouldAdviseNoHugePagesWhenDisabledAndNothingByDefault() {
        FaultInjectingMapper disabled = new FaultInjectingMapper();
        try (Heap heap = heap(disabled, ThpMode.DISABLE)) {
            heap.free(heap.malloc(100));
            heap.free(heap.malloc(1 * MIB));
            assertThat(disabled.calls(MapOperation.ADVISE)).isEqualTo(1);
        }
        FaultInjectingMapper quiet = new FaultInjectingMapper();
        try (Heap heap = heap(quiet, ThpMode.DEFAULT)) {
            heap.free(heap.malloc(100));
            heap.free(heap.malloc(8 * MIB));
            assertThat(quiet.calls(MapOperation.ADVISE)).isZero();
        }
    }

    @Test
    void shouldCountRefusedAdviceAndKeepWorking() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        mapper.failAlways(MapOperation.ADVISE);
        try (Heap heap = heap(mapper, ThpMode.FORCE)) {
            long block = heap.malloc(4 * MIB);
            Memory.fill(block, 4 * MIB, (byte) 7);
            assertThat(Memory.isFilledWith(block, 4 * MIB, (byte) 7)).isTrue();
            assertThat(heap.stats().failedKernelCalls()).isEqualTo(1);
            assertThat(heap.free(block)).isNull();
            assertThat(heap.check(true)).isTrue();
        }
    }

    private static Heap heap(FaultInjectingMapper mapper, ThpMode mode) {
        return new Heap(HeapConfig.defaults().withArenaByteSize(64 * MIB)
                .withTrim(TrimConfig.manual().withThpMode(mode)), mapper);
    }
}
