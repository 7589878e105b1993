package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The kernel refuses a purge (madvise) or an unmap (munmap) while the trim policy gives memory
 * back: the refusal is counted, the memory stays committed and counted exactly once (the heap's
 * committedBytes equals what the fault-injecting mapper holds), no block is lost, and a later pass
 * gives it back.
 */
class TrimFaultInjectionTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldCountAndRetryRefusedDecommitOnTrim() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(64 * MIB), mapper)) {
            List<long[]> kept = allocate(heap, 200, 3000);
            List<long[]> dropped = allocate(heap, 8000, 3000);
            freeAll(heap, dropped);
            long committedBefore = heap.stats().committedBytes();

            mapper.failAlways(MapOperation.DECOMMIT);
            heap.trim();
            HeapStats refused = heap.stats();
            assertThat(refused.failedKernelCalls()).isPositive();
            assertThat(refused.committedBytes()).isEqualTo(mapper.committedBytes());
            assertThat(heap.check(true)).isTrue();

            mapper.reset();
            long returned = heap.trim();
            HeapStats after = heap.stats();
            assertThat(returned).isPositive();
            assertThat(after.committedBytes()).isLessThan(committedBefore).isEqualTo(mapper.committedBytes());
            assertThat(after.purgedBytes()).isPositive();
            assertThat(heap.check(true)).isTrue();
            verifyAndFree(heap, kept);
        }
    }

    @Test
    void shouldCountAndRetryRefusedDecommitAndReleaseOnTrimThread() throws InterruptedException {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(40));
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(64 * MIB).withThreadCache(false)
                .withTrim(trim), mapper)) {
            List<long[]> kept = allocate(heap, 100, 2000);
            mapper.failAlways(MapOperation.DECOMMIT).failAlways(MapOperation.RELEASE);
            freeAll(heap, allocate(heap, 16_000, 4000));
            freeAll(heap, allocate(heap, 3 * MIB, 20));
            long failedAtStart = heap.stats().failedKernelCalls();

            awaitTrue(() -> heap.stats().failedKernelCalls() > failedAtStart + 4);
            awaitSameCommittedBytes(heap, mapper);
            HeapStats refused = heap.stats();
            assertThat(refused.cachedBytes() + refused.liveBytes()).isPositive();

            long purgedBefore = refused.purgedBytes();
            long passesBefore = refused.trimPasses();
            mapper.reset();
            // A pass counts itself when it ends: a stats() call in the middle of the pass that gives
            // the memory back sees the bytes already but not the pass yet. So wait for both.
            awaitTrue(() -> {
                HeapStats now = heap.stats();
                return now.purgedBytes() > purgedBefore && now.releasedBytes() > 0
                        && now.committedBytes() < 16 * MIB && now.trimPasses() > passesBefore;
            });
            awaitSameCommittedBytes(heap, mapper);
            verifyAndFree(heap, kept);
        }
    }

    @Test
    void shouldPurgeWithMadvFreeWhenConfigured() throws InterruptedException {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(20)).withPurgeMode(PurgeMode.FREE);
        try (Heap heap = new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(trim), mapper)) {
            freeAll(heap, allocate(heap, 16_000, 4000));
            awaitTrue(() -> heap.stats().committedBytes() < 8 * MIB);
            assertThat(mapper.calls(MapOperation.PURGE)).isPositive();
            assertThat(mapper.calls(MapOperation.DECOMMIT)).isZero();
            // MADV_FREE leaves the pages mapped until the kernel needs them; the heap counts them as given back.
            assertThat(heap.stats().committedBytes()).isLessThan(mapper.committedBytes());
            assertThat(heap.check(true)).isTrue();
        }
    }

    private static List<long[]> allocate(Heap heap, long byteSize, int count) {
        List<long[]> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long address = heap.malloc(byteSize);
            Memory.fill(address, byteSize, (byte) byteSize);
            blocks.add(new long[] {address, byteSize});
        }
        return blocks;
    }

    private static void freeAll(Heap heap, List<long[]> blocks) {
        for (long[] block : blocks) {
            assertThat(heap.free(block[0])).isNull();
        }
    }

    private static void verifyAndFree(Heap heap, List<long[]> blocks) {
        for (long[] block : blocks) {
            assertThat(Memory.isFilledWith(block[0], block[1], (byte) block[1])).isTrue();
        }
        freeAll(heap, blocks);
        assertThat(heap.stats().liveCount()).isZero();
    }

    /**
     * The heap's committed bytes and the mapper's agree. Read while the trim thread runs, the two
     * counters are two reads apart, and a pass between them (its kernel call made, the heap's
     * count not updated yet, or the other way round) shows a difference that is gone a moment
     * later; books that really disagree never meet.
     */
    private static void awaitSameCommittedBytes(Heap heap, FaultInjectingMapper mapper) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long heapBytes = heap.stats().committedBytes();
        long mapperBytes = mapper.committedBytes();
        while (heapBytes != mapperBytes && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
            heapBytes = heap.stats().committedBytes();
            mapperBytes = mapper.committedBytes();
        }
        assertThat(heapBytes).as("the heap's committed bytes vs the mapper's, for 5 s").isEqualTo(mapperBytes);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the trim thread did not get there within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
