package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** {@link Allocator#global()}: one instance per process that works like any other. */
class GlobalAllocatorTest {

    @Test
    void shouldReturnTheSameInstanceEveryTime() {
        assertThat(Allocator.global()).isSameAs(Allocator.global());
    }

    @Test
    void shouldAllocateAndFreeFromAnyThread() throws Exception {
        Allocator global = Allocator.global();
        long address = global.malloc(256);
        Thread other = Thread.ofPlatform().start(() -> global.free(address));
        other.join();

        long again = global.calloc(4, 64);
        assertThat(global.usableSize(again)).isGreaterThanOrEqualTo(256);
        global.free(again);
    }

    @Test
    void shouldHandOutSegmentsInTheGlobalScope() {
        MemorySegment segment = Allocator.global().allocate(64, 32);

        assertThat(segment.scope()).isEqualTo(Arena.global().scope());
        Allocator.global().free(segment);
    }

    @Test
    void shouldMakeArenas() {
        try (Arena arena = Allocator.global().newArena()) {
            assertThat(arena.allocate(10, 1).byteSize()).isEqualTo(10);
        }
    }
}
