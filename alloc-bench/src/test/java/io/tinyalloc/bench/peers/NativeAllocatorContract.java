package io.tinyalloc.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link NativeAllocator}, run against each implementation by a subclass. */
abstract class NativeAllocatorContract {

    private NativeAllocator allocator;

    /** The allocator under test; a subclass may skip (assumption) when it is not installed. */
    abstract NativeAllocator create();

    abstract String expectedName();

    @BeforeEach
    void open() {
        allocator = create();
    }

    /** Nothing to close when {@link #create} skipped the test (a peer that is not installed). */
    @AfterEach
    void close() {
        if (allocator != null) {
            allocator.close();
        }
    }

    @Test
    void shouldReturnWritableBlocksAlignedAsCWouldAlignThem() {
        for (long byteSize : new long[] {1, 8, 16, 100, 4096, 1 << 20}) {
            long address = allocator.malloc(byteSize);
            long alignment = byteSize < 16 ? 8 : 16;
            assertThat(address % alignment).as("alignment of a %d-byte block", byteSize).isZero();
            Memory.fill(address, byteSize, (byte) 0x7E);
            assertThat(Memory.isFilledWith(address, byteSize, (byte) 0x7E)).isTrue();
            allocator.free(address);
        }
    }

    @Test
    void shouldKeepTheContentsWhenReallocGrowsAndShrinks() {
        long address = allocator.malloc(64);
        Memory.fill(address, 64, (byte) 0x33);
        address = allocator.realloc(address, 1 << 20);
        assertThat(Memory.isFilledWith(address, 64, (byte) 0x33)).isTrue();
        address = allocator.realloc(address, 32);
        assertThat(Memory.isFilledWith(address, 32, (byte) 0x33)).isTrue();
        allocator.free(address);
    }

    @Test
    void shouldAllocateWhenReallocIsGivenNull() {
        long address = allocator.realloc(0, 48);
        assertThat(address).isNotZero();
        allocator.free(address);
    }

    @Test
    void shouldZeroCallocBlocksEvenWhenMemoryIsReused() {
        long dirty = allocator.malloc(256);
        Memory.fill(dirty, 256, (byte) -1);
        allocator.free(dirty);
        long address = allocator.calloc(16, 16);
        assertThat(Memory.isFilledWith(address, 256, (byte) 0)).isTrue();
        allocator.free(address);
    }

    @Test
    void shouldIgnoreFreeOfNull() {
        allocator.free(0);
    }

    @Test
    void shouldRejectNegativeSizesNamingThem() {
        assertThatThrownBy(() -> allocator.malloc(-5)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("byteSize=-5"));
        assertThatThrownBy(() -> allocator.realloc(0, -6)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("byteSize=-6"));
        assertThatThrownBy(() -> allocator.calloc(-1, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count=-1");
    }

    @Test
    void shouldThrowOutOfMemoryErrorNamingTheSizeInsteadOfReturningNull() {
        assertThatThrownBy(() -> allocator.malloc(Long.MAX_VALUE / 2)).isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining(Long.toString(Long.MAX_VALUE / 2));
    }

    @Test
    void shouldBeNamedAsInTheRegistry() {
        assertThat(allocator.name()).isEqualTo(expectedName());
    }
}
