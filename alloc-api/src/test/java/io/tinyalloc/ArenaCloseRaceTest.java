package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * An arena of {@link Allocator#newArena()} closed (twice, from two threads) while other threads
 * allocate in it, write and read its segments and try to free them through the allocator, by
 * segment and by address. Every refusal must be one of the documented exceptions, no block may
 * leak or be freed twice, and blocks of the allocator outside the arena keep their contents.
 */
class ArenaCloseRaceTest {

    private static final int WORKERS = 2;
    private static final int ROUNDS = 40;

    private final Allocator allocator = TestAllocators.newAllocator();
    private final LiveBlocks live = LiveBlocks.typical(allocator);

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void shouldNeitherLeakNorCorruptWhenClosedWhileThreadsUseAndFreeItsSegments() throws Exception {
        long baseline = allocator.stats().liveCount();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Arena arena = allocator.newArena();
                CountDownLatch started = new CountDownLatch(WORKERS);
                List<Future<Integer>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int seed = w;
                    workers.add(pool.submit(() -> useUntilClosed(arena, started, seed)));
                }
                started.await();
                Future<Boolean> secondCloser = pool.submit(() -> closeOnce(arena));
                boolean closedHere = closeOnce(arena);
                boolean closedThere = secondCloser.get(10, TimeUnit.SECONDS);

                assertThat(closedHere ^ closedThere).as("exactly one close succeeds, round %d", round).isTrue();
                for (Future<Integer> worker : workers) {
                    assertThat(worker.get(10, TimeUnit.SECONDS)).isPositive();
                }
                assertThat(allocator.stats().liveCount()).as("round %d", round).isEqualTo(baseline);
                live.assertIntact();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean closeOnce(Arena arena) {
        try {
            arena.close();
            return true;
        } catch (IllegalStateException alreadyClosed) {
            assertThat(alreadyClosed).isNotInstanceOf(InvalidAddressException.class)
                    .hasMessageContaining("closed");
            return false;
        }
    }

    /** Allocates, writes, reads and tries to free; returns how many segments it got once the arena is closed. */
    private int useUntilClosed(Arena arena, CountDownLatch started, int seed) {
        int count = 0;
        started.countDown();
        while (true) {
            MemorySegment segment;
            try {
                segment = arena.allocate(8 + ((count * 31L + seed) % 9) * 120, 8 << (count % 4));
            } catch (IllegalStateException closed) {
                assertThat(closed).hasMessage("Arena.allocate: the arena is closed");
                return Math.max(count, 1);
            }
            count++;
            try {
                segment.set(ValueLayout.JAVA_LONG, 0, count);
                assertThat(segment.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(count);
            } catch (IllegalStateException closedWhileInUse) {
                assertThat(segment.scope().isAlive()).isFalse();
            }
            tryToFree(segment);
        }
    }

    private void tryToFree(MemorySegment segment) {
        try {
            allocator.free(segment);
            throw new AssertionError("free of an arena segment was accepted: " + segment);
        } catch (InvalidAddressException refused) {
            assertThat(refused.reason()).as("owned by the open arena, or freed by its close")
                    .isIn(InvalidAddressException.Reason.ARENA_SEGMENT, InvalidAddressException.Reason.CLOSED_SCOPE);
        }
        try {
            allocator.free(segment.address());
            throw new AssertionError("free of an arena segment's address was accepted: " + segment);
        } catch (InvalidAddressException refused) {
            assertThat(refused.address()).isEqualTo(segment.address());
        }
    }
}
