package io.tinyalloc;

import static io.tinyalloc.TestAllocators.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A block handed out by an {@link Arena} from {@link Allocator#newArena()} belongs to the arena
 * until it closes: no call that takes an address may free or move it behind the arena's back,
 * or the arena's still-accessible segment and its close would reach a block someone else owns.
 */
class ArenaBlockOwnershipTest {

    private final Allocator allocator = TestAllocators.newAllocator();

    @AfterEach
    void closeAllocator() {
        try {
            allocator.close();
        } catch (InvalidAddressException reportedByAnArena) {
            // the arena of a failed test reports the block it lost; the allocator is closed anyway
        }
    }

    @Test
    void shouldRefuseFreeOfAnArenaSegmentsAddress() {
        try (Arena arena = allocator.newArena()) {
            MemorySegment segment = arena.allocate(48, 8);

            assertThatThrownBy(() -> allocator.free(segment.address())).isInstanceOf(InvalidAddressException.class)
                    .hasMessageStartingWith("free(" + hex(segment.address()) + ")");
        }
    }

    @Test
    void shouldRefuseFreeOfAnArenaBlockReachedThroughAnotherSegment() {
        try (Arena arena = allocator.newArena()) {
            MemorySegment segment = arena.allocate(48, 8);

            assertThatThrownBy(() -> allocator.free(MemorySegment.ofAddress(segment.address())))
                    .isInstanceOf(InvalidAddressException.class);
            assertThatThrownBy(() -> allocator.free(allocator.segment(segment.address())))
                    .isInstanceOf(InvalidAddressException.class);
        }
    }

    @Test
    void shouldRefuseToReallocAnArenaBlock() {
        try (Arena arena = allocator.newArena()) {
            MemorySegment segment = arena.allocate(48, 8);

            assertThatThrownBy(() -> allocator.realloc(segment.address(), 4000))
                    .isInstanceOf(InvalidAddressException.class);
            assertThatThrownBy(() -> allocator.realloc(segment.address(), 0))
                    .isInstanceOf(InvalidAddressException.class);
        }
    }

    @Test
    void shouldLeaveAnotherOwnersBlockIntactWhenAnArenaBlockWasFreedBehindItsBack() {
        Arena arena = allocator.newArena();
        MemorySegment segment = arena.allocate(48, 8);
        try {
            allocator.free(segment.address());
        } catch (InvalidAddressException refused) {
            // the expected outcome; the rest checks what happens when the free is accepted
        }
        long victim = allocator.malloc(48);
        Memory.fill(victim, 48, (byte) 0x5A);

        segment.fill((byte) 0x11);
        try {
            arena.close();
        } catch (InvalidAddressException reported) {
            // an arena may report a lost block; it must not free someone else's
        }

        assertThat(allocator.usableSize(victim)).as("victim %s still live", hex(victim)).isGreaterThanOrEqualTo(48);
        assertThat(Memory.isFilledWith(victim, 48, (byte) 0x5A)).as("victim %s intact", hex(victim)).isTrue();
        allocator.free(victim);
    }

    @Test
    void shouldRefuseEverySizeAndAlignmentOfArenaSegmentNamingTheArena() {
        LiveBlocks live = LiveBlocks.typical(allocator);
        long liveBefore = allocator.stats().liveCount();
        try (Arena arena = allocator.newArena()) {
            for (long byteSize : new long[] {0, 1, 16, 100, 4096, 40_000, 3 << 20}) {
                for (long byteAlignment : new long[] {1, 8, 16, 64, 4096}) {
                    MemorySegment segment = arena.allocate(byteSize, byteAlignment);
                    long address = segment.address();
                    String reason = "(" + hex(address) + "): the segment belongs to an Arena from newArena(); "
                            + "close the arena to free its blocks";

                    assertThat(address % byteAlignment).isZero();
                    assertThatThrownBy(() -> allocator.free(address)).hasMessage("free" + reason);
                    assertThatThrownBy(() -> allocator.realloc(address, 10)).hasMessage("realloc" + reason);
                    assertThatThrownBy(() -> allocator.segment(address)).hasMessage("segment" + reason)
                            .isInstanceOf(InvalidAddressException.class)
                            .satisfies(e -> assertThat(((InvalidAddressException) e).reason())
                                    .isEqualTo(InvalidAddressException.Reason.ARENA_SEGMENT));
                    assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(byteSize);
                    segment.fill((byte) 0x33);
                }
            }
            live.assertIntact();
        }
        assertThat(allocator.stats().liveCount()).isEqualTo(liveBefore);
        live.assertIntact();
    }

    @Test
    void shouldRefuseAClosedArenaSegmentsAddressWithoutTouchingTheBlockNowThere() {
        Arena arena = allocator.newArena();
        long address = arena.allocate(48, 8).address();
        arena.close();
        long reused = allocator.malloc(64);
        Memory.fill(reused, 64, (byte) 0x44);

        assertThatThrownBy(() -> allocator.free(address)).isInstanceOf(InvalidAddressException.class)
                .hasMessageStartingWith("free(" + hex(address) + "): ");
        assertThat(Memory.isFilledWith(reused, 64, (byte) 0x44)).isTrue();
        allocator.free(reused);
    }
}
