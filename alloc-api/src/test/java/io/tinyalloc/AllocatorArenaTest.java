package io.tinyalloc;

import static io.tinyalloc.TestAllocators.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Allocator#newArena()}: a shared {@link Arena} whose blocks come from the allocator. */
class AllocatorArenaTest {

    private final Allocator allocator = TestAllocators.newAllocator();

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void shouldAllocateZeroedAlignedSegmentsInItsScope() {
        long dirty = allocator.malloc(100);
        Memory.fill(dirty, 100, (byte) -1);
        allocator.free(dirty);

        try (Arena arena = allocator.newArena()) {
            MemorySegment segment = arena.allocate(100, 64);

            assertThat(segment.byteSize()).isEqualTo(100);
            assertThat(segment.address() % 64).isZero();
            assertThat(segment.scope()).isEqualTo(arena.scope());
            assertThat(Memory.isFilledWith(segment.address(), 100, (byte) 0)).isTrue();
            assertThat(allocator.usableSize(segment.address())).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void shouldFreeEveryBlockWhenClosed() {
        Arena arena = allocator.newArena();
        for (long byteSize : new long[] {0, 1, 100, 5000, 300_000, 3 << 20}) {
            arena.allocate(byteSize, 8);
        }
        assertThat(allocator.stats().liveCount()).isEqualTo(6);

        arena.close();

        assertThat(allocator.stats().liveCount()).isZero();
        assertThat(arena.scope().isAlive()).isFalse();
    }

    @Test
    void shouldMakeItsSegmentsInaccessibleWhenClosed() {
        Arena arena = allocator.newArena();
        MemorySegment segment = arena.allocate(ValueLayout.JAVA_LONG);
        segment.set(ValueLayout.JAVA_LONG, 0, 7L);

        arena.close();

        assertThatThrownBy(() -> segment.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseToAllocateOnceClosed() {
        Arena arena = allocator.newArena();
        arena.close();

        assertThatThrownBy(() -> arena.allocate(8, 8)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Arena.allocate: the arena is closed");
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldThrowWhenClosedTwiceLikeTheJdkArenas() {
        Arena arena = allocator.newArena();
        arena.close();

        assertThatThrownBy(arena::close).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectBadArgumentsLikeTheAllocator() {
        try (Arena arena = allocator.newArena()) {
            assertThatThrownBy(() -> arena.allocate(-1, 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Arena.allocate: byteSize=-1 is negative");
            assertThatThrownBy(() -> arena.allocate(8, 12)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Arena.allocate: byteAlignment=12 is not a power of two");
            assertThat(allocator.stats().liveCount()).isZero();
        }
    }

    @Test
    void shouldServeTheSegmentAllocatorDefaultMethods() {
        try (Arena arena = allocator.newArena()) {
            MemorySegment text = arena.allocateFrom("tiny");
            MemorySegment longs = arena.allocateFrom(ValueLayout.JAVA_LONG, 1, 2, 3);

            assertThat(text.getString(0)).isEqualTo("tiny");
            assertThat(longs.getAtIndex(ValueLayout.JAVA_LONG, 2)).isEqualTo(3L);
        }
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldBeSharedBetweenThreads() throws Exception {
        Arena arena = allocator.newArena();
        MemorySegment segment = arena.allocate(64, 8);
        Thread other = Thread.ofPlatform().start(() -> {
            segment.set(ValueLayout.JAVA_INT, 0, 42);
            arena.allocate(16, 8).fill((byte) 1);
        });
        other.join();

        assertThat(segment.get(ValueLayout.JAVA_INT, 0)).isEqualTo(42);
        Thread closer = Thread.ofPlatform().start(arena::close);
        closer.join();
        assertThat(arena.scope().isAlive()).isFalse();
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldRejectFreeingOneOfItsSegmentsThroughTheAllocator() {
        try (Arena arena = allocator.newArena()) {
            MemorySegment segment = arena.allocate(32, 8);

            assertThatThrownBy(() -> allocator.free(segment)).isInstanceOf(InvalidAddressException.class)
                    .hasMessage("free(" + hex(segment.address()) + "): the segment belongs to an Arena from "
                            + "newArena(); close the arena to free its blocks")
                    .satisfies(e -> assertThat(((InvalidAddressException) e).reason())
                            .isEqualTo(InvalidAddressException.Reason.ARENA_SEGMENT));
            assertThat(allocator.usableSize(segment.address())).isGreaterThanOrEqualTo(32);
        }
    }

    @Test
    void shouldRejectFreeingASegmentOfAClosedArena() {
        Arena arena = allocator.newArena();
        MemorySegment segment = arena.allocate(32, 8);
        arena.close();

        long kept = allocator.malloc(32);
        allocator.free(allocator.malloc(32));

        assertThatThrownBy(() -> allocator.free(segment))
                .isInstanceOfSatisfying(InvalidAddressException.class, e -> {
                    assertThat(e.address()).isEqualTo(segment.address());
                    assertThat(e.reason()).isEqualTo(InvalidAddressException.Reason.CLOSED_SCOPE);
                })
                .hasMessage("free(" + hex(segment.address()) + "): the segment's scope is closed (the arena that "
                        + "owned it has freed its block)");
        assertThat(allocator.usableSize(kept)).isGreaterThanOrEqualTo(32);
        allocator.free(kept);
    }

    @Test
    void shouldRejectFreeingASegmentOfAnotherClosedArena() {
        MemorySegment segment;
        try (Arena confined = Arena.ofConfined()) {
            segment = confined.allocate(64, 8);
        }

        assertThatThrownBy(() -> allocator.free(segment))
                .isInstanceOfSatisfying(InvalidAddressException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidAddressException.Reason.CLOSED_SCOPE))
                .hasMessageStartingWith("free(" + hex(segment.address()) + "): the segment's scope is closed");
    }

    @Test
    void shouldRefuseToFreeOneOfItsBlocksByAddress() {
        Arena arena = allocator.newArena();
        MemorySegment kept = arena.allocate(48, 8);
        MemorySegment stolen = arena.allocate(48, 8);

        assertThatThrownBy(() -> allocator.free(stolen.address())).isInstanceOf(InvalidAddressException.class)
                .hasMessage("free(" + hex(stolen.address()) + "): the segment belongs to an Arena from newArena(); "
                        + "close the arena to free its blocks");

        arena.close();
        assertThat(arena.scope().isAlive()).isFalse();
        assertThatThrownBy(() -> kept.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(allocator.stats().liveCount()).isZero();
    }

    @Test
    void shouldBeClosedWithTheAllocator() {
        Allocator own = TestAllocators.newAllocator();
        Arena first = own.newArena();
        Arena second = own.newArena();
        MemorySegment segment = first.allocate(100, 16);
        second.allocate(5 << 20, 16);
        second.close();

        own.close();

        assertThat(first.scope().isAlive()).isFalse();
        assertThatThrownBy(() -> segment.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> first.allocate(8, 8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNeitherLeakNorDoubleFreeWhenClosedWhileThreadsAllocate() throws Exception {
        int threadCount = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        try {
            for (int round = 0; round < 20; round++) {
                Arena arena = allocator.newArena();
                CountDownLatch started = new CountDownLatch(threadCount);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threadCount; t++) {
                    results.add(pool.submit(() -> allocateUntilClosed(arena, started)));
                }
                started.await();
                Thread.sleep(2);
                arena.close();
                for (Future<Integer> result : results) {
                    assertThat(result.get(10, TimeUnit.SECONDS)).isPositive();
                }
                assertThat(allocator.stats().liveCount()).as("round %d", round).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int allocateUntilClosed(Arena arena, CountDownLatch started) {
        int count = 0;
        started.countDown();
        while (true) {
            try {
                MemorySegment segment = arena.allocate(24 + (count % 7) * 100L, 8);
                segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
                count++;
            } catch (IllegalStateException closed) {
                return Math.max(count, 1);
            }
        }
    }
}
