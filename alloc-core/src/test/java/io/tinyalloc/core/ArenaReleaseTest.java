package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Arena reservations are unmapped while the heap is open once they are empty and no thread can
 * reach them: every live thread cache has passed a quiescence epoch (dropping its segment memo)
 * and no slow-path reader is active. An idle thread that still remembers a segment in the arena
 * delays the unmap; a free through that memory afterwards is a clean fault, never a crash.
 */
class ArenaReleaseTest {

    private static final long MIB = 1L << 20;
    /** Four segment slots per arena, so that a few MiB of blocks spread over several arenas. */
    private static final long ARENA = 4 * MIB;
    private static final int BLOCK = 32 * 1024;

    @Test
    void shouldUnmapEveryEmptyArenaButTheFirstOnTrim() {
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(ARENA), Mapper.system())) {
            List<Long> blocks = allocate(heap, 400);
            int arenasAtPeak = heap.arenaCount();
            assertThat(arenasAtPeak).isGreaterThanOrEqualTo(3);
            freeAll(heap, blocks);

            heap.trim();

            HeapStats stats = heap.stats();
            assertThat(heap.arenaCount()).isEqualTo(1);
            assertThat(stats.reservedBytes()).isEqualTo(ARENA);
            assertThat(stats.releasedBytes()).isGreaterThanOrEqualTo((arenasAtPeak - 1) * ARENA);
            assertThat(heap.check(true)).isTrue();

            List<Long> again = allocate(heap, 400);
            assertThat(heap.arenaCount()).isGreaterThanOrEqualTo(3);
            freeAll(heap, again);
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldWaitForAnIdleThreadThatRemembersASegmentInTheArena() throws Exception {
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(ARENA), Mapper.system())) {
            List<Long> blocks = allocate(heap, 400);
            long inLastArena = blocks.getLast();
            blocks.removeLast();
            CountDownLatch freed = new CountDownLatch(1);
            CountDownLatch mayContinue = new CountDownLatch(1);
            CountDownLatch quiesced = new CountDownLatch(1);
            CountDownLatch mayFinish = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread idle = Thread.ofPlatform().start(() -> {
                try {
                    assertThat(heap.free(inLastArena)).isNull();
                    heap.trim();
                    freed.countDown();
                    mayContinue.await();
                    AddressFault beforeQuiescence = heap.free(inLastArena);
                    long fresh = heap.malloc(100);
                    assertThat(heap.free(fresh)).isNull();
                    quiesced.countDown();
                    mayFinish.await();
                    outcome.set(List.of(beforeQuiescence, heap.free(inLastArena)));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            freed.await();
            freeAll(heap, blocks);

            heap.trim();
            assertThat(heap.arenaCount()).as("the idle thread's memo still points into an arena").isGreaterThan(1);

            mayContinue.countDown();
            quiesced.await();
            heap.trim();
            assertThat(heap.arenaCount()).isEqualTo(1);

            mayFinish.countDown();
            idle.join();
            assertThat(outcome.get()).isEqualTo(List.of(AddressFault.NOT_OWNED, AddressFault.NOT_OWNED));
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldUnmapOnceTheIdleThreadHasDied() throws Exception {
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(ARENA), Mapper.system())) {
            List<Long> blocks = allocate(heap, 400);
            long inLastArena = blocks.removeLast();
            Thread worker = Thread.ofPlatform().start(() -> assertThat(heap.free(inLastArena)).isNull());
            worker.join();
            freeAll(heap, blocks);

            heap.trim();

            assertThat(heap.arenaCount()).isEqualTo(1);
            assertThat(heap.stats().liveCount()).isZero();
        }
    }

    @Test
    void shouldTakeBackARetiringArenaInsteadOfReservingANewOne() throws Exception {
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(ARENA), Mapper.system())) {
            List<Long> blocks = allocate(heap, 400);
            long inLastArena = blocks.removeLast();
            CountDownLatch freed = new CountDownLatch(1);
            CountDownLatch mayFinish = new CountDownLatch(1);
            Thread idle = Thread.ofPlatform().start(() -> {
                heap.free(inLastArena);
                heap.trim();
                freed.countDown();
                awaitQuietly(mayFinish);
            });
            freed.await();
            freeAll(heap, blocks);
            heap.trim();
            int retiring = heap.arenaCount();
            long reserved = heap.stats().reservedBytes();
            assertThat(retiring).isGreaterThan(1);

            List<Long> again = allocate(heap, 399);

            assertThat(heap.stats().reservedBytes()).isEqualTo(reserved);
            assertThat(heap.arenaCount()).isEqualTo(retiring);
            freeAll(heap, again);
            mayFinish.countDown();
            idle.join();
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldKeepARefusedUnmapCountedAndRetryIt() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(ARENA), mapper)) {
            List<Long> kept = allocate(heap, 10);
            List<Long> blocks = allocate(heap, 400);
            freeAll(heap, blocks);
            mapper.failAlways(MapOperation.RELEASE);

            heap.trim();

            HeapStats refused = heap.stats();
            assertThat(refused.failedKernelCalls()).isPositive();
            assertThat(refused.reservedBytes()).isEqualTo(mapper.reservedBytes()).isGreaterThan(ARENA);
            mapper.reset();
            heap.trim();
            assertThat(heap.stats().reservedBytes()).isEqualTo(mapper.reservedBytes()).isEqualTo(ARENA);
            verifyAndFree(heap, kept);
            assertThat(heap.check(true)).isTrue();
        }
    }

    @Test
    void shouldCountSlowReadersPerStripe() throws Exception {
        SlowReaders readers = new SlowReaders();
        assertThat(readers.isQuiet()).isTrue();
        int stripe = readers.enter();
        assertThat(readers.isQuiet()).isFalse();
        Thread other = Thread.ofPlatform().start(() -> readers.exit(readers.enter()));
        other.join();
        assertThat(readers.isQuiet()).isFalse();
        readers.exit(stripe);
        assertThat(readers.isQuiet()).isTrue();
    }

    private static List<Long> allocate(Heap heap, int count) {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long block = heap.malloc(BLOCK);
            Memory.putLong(block, block ^ 0x5A5A5A5AL);
            Memory.putLong(block + BLOCK - 8, ~block);
            blocks.add(block);
        }
        return blocks;
    }

    private static void freeAll(Heap heap, List<Long> blocks) {
        for (long block : blocks) {
            assertThat(heap.free(block)).isNull();
        }
    }

    private static void verifyAndFree(Heap heap, List<Long> blocks) {
        for (long block : blocks) {
            assertThat(Memory.getLong(block)).isEqualTo(block ^ 0x5A5A5A5AL);
            assertThat(Memory.getLong(block + BLOCK - 8)).isEqualTo(~block);
        }
        freeAll(heap, blocks);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
