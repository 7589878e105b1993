package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Mapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** maxMemoryBytes and maxReservationBytes: the right kind of exhaustion, recovery, reclaim-and-retry. */
class HeapLimitTest {

    private static final long MIB = 1L << 20;

    private static HeapConfig limited(long maxMemory, long maxReservation, long arenaByteSize) {
        return new HeapConfig(maxMemory, maxReservation, arenaByteSize, false);
    }

    @Test
    void shouldStopAtTheMemoryLimitAndRecoverAfterAFree() {
        try (Heap heap = new Heap(limited(8 * MIB, 1L << 40, 64 * MIB), Mapper.system())) {
            List<Long> blocks = new ArrayList<>();
            HeapExhaustedException refused = null;
            while (refused == null) {
                try {
                    blocks.add(heap.malloc(60_000));
                } catch (HeapExhaustedException e) {
                    refused = e;
                }
                assertThat(heap.stats().committedBytes()).isLessThanOrEqualTo(8 * MIB);
            }
            assertThat(refused.kind()).isEqualTo(HeapExhaustedException.Kind.MEMORY_LIMIT);
            assertThat(refused.getMessage()).contains("maxMemoryBytes=" + 8 * MIB);
            assertThat(blocks).hasSize(8 * SizeClasses.blockCount(SizeClasses.classIndex(60_000)));
            assertThat(heap.free(blocks.remove(0))).isNull();
            blocks.add(heap.malloc(60_000));
            assertThatThrownBy(() -> heap.malloc(16 * MIB)).isInstanceOfSatisfying(HeapExhaustedException.class,
                    e -> assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.MEMORY_LIMIT));
            blocks.forEach(heap::free);
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldTrimCachedMemoryAndRetryBeforeGivingUp() {
        try (Heap heap = new Heap(limited(8 * MIB, 1L << 40, 64 * MIB), Mapper.system())) {
            long large = heap.malloc(6 * MIB);
            assertThat(heap.free(large)).isNull();
            assertThat(heap.stats().committedBytes()).isEqualTo(6 * MIB);
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 4 * 15; i++) {
                blocks.add(heap.malloc(65_536));
            }
            assertThat(heap.stats().cachedBytes()).isLessThan(MIB);
            blocks.forEach(heap::free);
        }
    }

    @Test
    void shouldStopAtTheReservationLimit() {
        try (Heap heap = new Heap(limited(Long.MAX_VALUE, 4 * MIB, 2 * MIB), Mapper.system())) {
            long first = heap.malloc(3 * MIB);
            assertThatThrownBy(() -> heap.malloc(3 * MIB)).isInstanceOfSatisfying(HeapExhaustedException.class, e -> {
                assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.RESERVATION_LIMIT);
                assertThat(e.requestedBytes()).isEqualTo(3 * MIB);
            });
            long small = heap.malloc(100);
            assertThat(heap.stats().reservedBytes()).isEqualTo(4 * MIB);
            assertThatThrownBy(() -> heap.realloc(first, 8 * MIB)).isInstanceOf(HeapExhaustedException.class);
            assertThat(heap.validate(first)).isNull();
            assertThat(heap.free(first)).isNull();
            assertThat(heap.free(small)).isNull();
        }
    }

    @Test
    void shouldRejectInvalidConfigurations() {
        assertThatThrownBy(() -> limited(0, 1L << 40, MIB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMemoryBytes=0");
        assertThatThrownBy(() -> limited(MIB, 4096, MIB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxReservationBytes=4096");
        assertThatThrownBy(() -> limited(MIB, 1L << 40, MIB + 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arenaByteSize=" + (MIB + 4096));
        assertThatThrownBy(() -> limited(MIB, 1L << 40, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HeapConfig.defaults().arenaByteSize()).isEqualTo(1L << 30);
        assertThat(HeapConfig.defaults().maxMemoryBytes()).isEqualTo(Long.MAX_VALUE);
    }
}
