package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@link PurgeMode#FREE} the trim thread gives pages back with MADV_FREE: they leave the
 * heap's committed bytes at once but stay resident until the kernel needs memory. A trim on
 * demand must bring RSS down now, so {@link Heap#trim()} drops (MADV_DONTNEED) everything that
 * was given back lazily: empty segments in the arenas' free slots, and pages inside segments
 * still in use; {@link Heap#close()} drops them too. Checked on the mapper's calls (no lazily
 * freed range is left without a later drop or unmap) and, where the kernel has MADV_FREE, on the process's LazyFree bytes.
 */
class LazyPurgeTrimTest {

    private static final long MIB = 1L << 20;
    private static final long BLOCK_SIZE = 16 * 1024;
    private static final int BLOCK_COUNT = 4096;
    private static final Duration PURGE_DELAY = Duration.ofMillis(20);
    private static final Path ROLLUP = Path.of("/proc/self/smaps_rollup");

    private final LazyFreeLog mapper = new LazyFreeLog();

    @Test
    void shouldDropTheEmptySegmentsTheTrimThreadFreedLazily() throws InterruptedException {
        try (Heap heap = lazyHeap()) {
            long keeper = heap.malloc(64);
            freeAll(heap, mallocAndFill(heap, BLOCK_COUNT));
            awaitLazyPurges(heap, 48 * MIB);

            assertEverythingDroppedBy("trim()", heap::trim);
            assertThat(heap.check(true)).isTrue();
            reuseAndVerify(heap);
            assertThat(heap.free(keeper)).isNull();
        }
    }

    @Test
    void shouldDropThePagesGivenBackLazilyInsideSegmentsStillInUse() throws InterruptedException {
        try (Heap heap = lazyHeap()) {
            List<Long> kept = keepOnePerSegment(heap, mallocAndFill(heap, BLOCK_COUNT), BLOCK_SIZE);
            awaitLazyPurges(heap, 48 * MIB);

            assertEverythingDroppedBy("trim()", heap::trim);
            for (long block : kept) {
                assertThat(Memory.isFilledWith(block, BLOCK_SIZE, pattern(block)))
                        .as("live block 0x%x intact", block).isTrue();
                assertThat(heap.free(block)).isNull();
            }
            assertThat(heap.check(true)).isTrue();
            reuseAndVerify(heap);
        }
    }

    @Test
    void shouldDropWhatWasFreedLazilyWhenClosed() throws InterruptedException {
        Heap heap = lazyHeap();
        try {
            assertThat(heap.malloc(64)).as("a live block keeps the arena mapped").isNotZero();
            freeAll(heap, mallocAndFill(heap, BLOCK_COUNT));
            awaitLazyPurges(heap, 48 * MIB);

            assertEverythingDroppedBy("close()", heap::close);
        } finally {
            heap.close();
            heap.unmapClosed();
        }
    }

    @Test
    void shouldLeaveNothingToDropInDontneedMode() {
        TrimConfig trim = TrimConfig.manual().withPurgeMode(PurgeMode.DONTNEED);
        try (Heap heap = new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(trim), mapper)) {
            freeAll(heap, mallocAndFill(heap, 256));
            heap.trim();
            assertThat(heap.dropLazilyFreed()).isZero();
            assertThat(mapper.lazyRangesLeft()).isEmpty();
        }
    }

    private Heap lazyHeap() {
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(PURGE_DELAY).withPurgeMode(PurgeMode.FREE)
                .withTrimThreshold(MIB);
        return new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(trim), mapper);
    }

    private long[] mallocAndFill(Heap heap, int count) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = heap.malloc(BLOCK_SIZE);
            Memory.fill(blocks[i], BLOCK_SIZE, pattern(blocks[i]));
        }
        return blocks;
    }

    /**
     * Runs {@code call} and checks that it left no range only MADV_FREE'd, and that the process's
     * LazyFree bytes fell by at least 32 MiB where the kernel reports them.
     */
    private void assertEverythingDroppedBy(String name, Runnable call) {
        long lazyBefore = lazyFreeBytes();
        call.run();
        long lazyAfter = lazyFreeBytes();
        assertThat(mapper.lazyRangesLeft()).as("ranges still only MADV_FREE'd after %s", name).isEmpty();
        assertDroppedByTheKernel(lazyBefore, lazyAfter, 32 * MIB);
    }

    static void freeAll(Heap heap, long[] blocks) {
        for (long block : blocks) {
            assertThat(heap.free(block)).isNull();
        }
    }

    /** Frees all blocks but the first of each segment's worth, so every segment stays in use; returns the kept ones. */
    static List<Long> keepOnePerSegment(Heap heap, long[] blocks, long blockSize) {
        int perSegment = SizeClasses.blockCount(SizeClasses.classIndex(blockSize));
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < blocks.length; i++) {
            if (i % perSegment == 0) {
                kept.add(blocks[i]);
            } else {
                assertThat(heap.free(blocks[i])).isNull();
            }
        }
        return kept;
    }

    /** After the drops, the heap hands out the same memory again and it holds what is written. */
    private void reuseAndVerify(Heap heap) {
        long[] blocks = mallocAndFill(heap, BLOCK_COUNT);
        for (long block : blocks) {
            assertThat(Memory.isFilledWith(block, BLOCK_SIZE, pattern(block))).isTrue();
            assertThat(heap.free(block)).isNull();
        }
    }

    private void awaitLazyPurges(Heap heap, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mapper.lazyBytes() < bytes && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(mapper.lazyBytes()).as("bytes the trim thread gave back with MADV_FREE (passes=%d)",
                heap.stats().trimPasses()).isGreaterThanOrEqualTo(bytes);
    }

    /** Only where the kernel has MADV_FREE (4.5+) are the purged pages counted as LazyFree at all. */
    private static void assertDroppedByTheKernel(long lazyBefore, long lazyAfter, long expectedDrop) {
        System.out.printf("LazyFree before %d MiB, after %d MiB%n", lazyBefore / MIB, lazyAfter / MIB);
        if (lazyBefore >= expectedDrop) {
            assertThat(lazyBefore - lazyAfter).as("LazyFree %d -> %d bytes", lazyBefore, lazyAfter)
                    .isGreaterThanOrEqualTo(expectedDrop);
        }
    }

    private static byte pattern(long block) {
        return (byte) (block >>> 14 | 1);
    }

    /** The process's resident pages given back with MADV_FREE, from smaps_rollup (0 if the kernel lacks it). */
    private static long lazyFreeBytes() {
        try {
            for (String line : Files.readAllLines(ROLLUP)) {
                if (line.startsWith("LazyFree:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
