package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.core.TrimConfig;
import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.Test;

/** The builder's settings: defaults, accepted ranges and the messages of rejected values. */
class AllocatorBuilderTest {

    private final AllocatorBuilder builder = Allocator.builder();

    @Test
    void shouldStartFromTheHeapDefaults() {
        assertThat(builder.heapConfig()).isEqualTo(HeapConfig.defaults().withTrim(TrimConfig.defaults()));
    }

    @Test
    void shouldPassEverySettingToTheHeap() {
        HeapConfig config = builder.maxMemory(64L << 20).maxReservation(1L << 34).arenaSize(256L << 20)
                .zeroOnFree(true).heapConfig();

        assertThat(config).isEqualTo(new HeapConfig(64L << 20, 1L << 34, 256L << 20, true).withTrim(TrimConfig.defaults()));
    }

    @Test
    void shouldRejectAMaxMemoryBelowOneSegment() {
        assertThatThrownBy(() -> builder.maxMemory(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMemory=0 is below the minimum 1048576");
        assertThatThrownBy(() -> builder.maxMemory(-5)).hasMessage("maxMemory=-5 is below the minimum 1048576");
        assertThatThrownBy(() -> builder.maxMemory(1000)).hasMessage("maxMemory=1000 is below the minimum 1048576");
    }

    @Test
    void shouldRejectAMaxReservationOutsideTheAddressSpace() {
        assertThatThrownBy(() -> builder.maxReservation(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxReservation=0 is below the minimum 1048576");
        assertThatThrownBy(() -> builder.maxReservation(1L << 48))
                .hasMessage("maxReservation=281474976710656 is above the maximum 140737488355328");
    }

    @Test
    void shouldRejectAnArenaSizeThatIsNotAWholeNumberOfSegments() {
        assertThatThrownBy(() -> builder.arenaSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("arenaSize=-1 is below the minimum 1048576");
        assertThatThrownBy(() -> builder.arenaSize((3L << 20) + 4096))
                .hasMessage("arenaSize=3149824 is not a multiple of 1048576");
        assertThatThrownBy(() -> builder.arenaSize(1L << 41))
                .hasMessage("arenaSize=2199023255552 is above the maximum 1099511627776");
    }

    @Test
    void shouldKeepItsSettingsAfterARejectedValue() {
        builder.maxMemory(8L << 20);

        assertThatThrownBy(() -> builder.maxMemory(-1)).isInstanceOf(IllegalArgumentException.class);

        assertThat(builder.heapConfig().maxMemoryBytes()).isEqualTo(8L << 20);
    }

    @Test
    void shouldRejectANullMapper() {
        assertThatThrownBy(() -> builder.mapper(null)).isInstanceOf(NullPointerException.class).hasMessage("mapper");
    }

    @Test
    void shouldBuildIndependentAllocators() {
        try (Allocator first = builder.arenaSize(8L << 20).build(); Allocator second = builder.build()) {
            long address = first.malloc(100);

            assertThatThrownBy(() -> second.free(address)).isInstanceOf(InvalidAddressException.class);
            first.free(address);
        }
    }

    @Test
    void shouldClearFreedBlocksWhenZeroOnFreeIsOn() {
        try (Allocator allocator = TestAllocators.builder().zeroOnFree(true).build()) {
            long address = allocator.malloc(256);
            Memory.fill(address, 256, (byte) -1);

            allocator.free(address);

            // The first 8 bytes of a free block link it into its free list.
            assertThat(Memory.isFilledWith(address + 8, 248, (byte) 0)).isTrue();
        }
    }

    @Test
    void shouldWorkWithAReservationCapBelowTheArenaSize() {
        try (Allocator allocator = Allocator.builder().maxReservation(16L << 20).build()) {
            long address = allocator.malloc(1000);

            assertThat(allocator.stats().reservedBytes()).isLessThanOrEqualTo(16L << 20);
            allocator.free(address);
        }
    }
}
