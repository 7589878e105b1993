package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What close() leaves behind: no committed memory, but every reservation a racing call could
 * still reach, read-write and zero-filled, until the heap is unreachable; then the heap's
 * {@link HeapUnmapper} unmaps it. A heap dropped without close() keeps its mappings (its blocks
 * may still be in use through raw addresses). The racing calls themselves are replayed here
 * deterministically with a front over the bins a thread had read before close(); the child-JVM
 * test in alloc-api ({@code AllocatorCloseRaceTest}) races them for real.
 */
class ClosedHeapUnmapTest {

    private static final long MIB = 1L << 20;
    private static final HeapConfig CONFIG = HeapConfig.defaults().withArenaByteSize(8 * MIB)
            .withTrim(TrimConfig.manual());
    private static final long GC_WAIT_MILLIS = 10_000;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();

    @Test
    void shouldKeepTheAddressSpaceReservedAfterCloseAndUnmapItOnceTheHeapIsCollected() throws Exception {
        closeAHeapWithLiveBlocks();

        awaitGarbageCollection(() -> mapper.reservedBytes() == 0);

        assertThat(mapper.reservedBytes()).as("reserved after the closed heap was collected").isZero();
        assertThat(mapper.calls(MapOperation.RELEASE)).as("the arena and the live large block").isEqualTo(2);
        assertThat(mapper.committedBytes()).isZero();
    }

    @Test
    void shouldLeaveTheMemoryOfAHeapDroppedWithoutCloseMapped() throws Exception {
        WeakReference<Heap> dropped = dropAnOpenHeap();
        long reserved = mapper.reservedBytes();

        awaitGarbageCollection(() -> dropped.get() == null);
        for (int i = 0; i < 25; i++) {
            Thread.sleep(20);
            assertThat(mapper.reservedBytes()).as("an unclosed heap's mappings").isEqualTo(reserved);
        }

        assertThat(dropped.get()).as("the open heap was collected").isNull();
        assertThat(mapper.calls(MapOperation.RELEASE)).isZero();
    }

    @Test
    void shouldSendARacingFreeToTheSlowPathAndLetARacingMallocWriteOnlyMappedMemory() {
        Heap heap = new Heap(CONFIG, mapper);
        long kept = heap.malloc(64);
        assertThat(heap.free(heap.malloc(64))).isNull();
        int slot = (int) Thread.currentThread().threadId() & ThreadCaches.TABLE_MASK;
        long[] binsReadBeforeClose = heap.front().threadTable()[slot].clone();

        heap.close();
        long[][] table = ThreadCaches.unownedTable();
        table[slot] = binsReadBeforeClose;
        HeapFront racing = new HeapFront(heap, table);

        assertThat(racing.free(kept)).as("a free whose memo names a decommitted segment")
                .isEqualTo(AddressFault.NOT_OWNED);
        long handedOut = racing.malloc(64);
        assertThat(Memory.isFilledWith(handedOut, 64, (byte) 0)).as("a block of the closed heap").isTrue();
        assertThatThrownBy(() -> racing.malloc(1024)).as("a malloc its bins cannot serve")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldRefuseToUnmapAnOpenHeap() {
        Heap heap = new Heap(CONFIG, mapper);
        heap.malloc(64);

        assertThatThrownBy(heap::unmapClosed).isInstanceOf(IllegalStateException.class).hasMessageContaining("open");

        assertThat(heap.malloc(64)).isNotZero();
        heap.close();
        heap.unmapClosed();
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    /** Closes a heap holding a live small and a live large block, and checks what stays mapped. */
    private void closeAHeapWithLiveBlocks() throws IOException {
        Heap heap = new Heap(CONFIG, mapper);
        long small = heap.malloc(64);
        long large = heap.malloc(4 * MIB);
        Memory.fill(large, 4 * MIB, (byte) 0x5A);
        long segmentBase = SegmentLayout.segmentBase(small);

        heap.close();

        assertThat(mapper.committedBytes()).isZero();
        assertThat(heap.stats().committedBytes()).isZero();
        assertThat(mapper.reservedBytes()).isEqualTo(heap.stats().reservedBytes())
                .isEqualTo(8 * MIB + LargeResizer.roundUpToUnit(4 * MIB));
        assertThat(mapping(segmentBase)).as("the arena's mapping after close").contains("rw-p");
        assertThat(Segment.magic(segmentBase)).isZero();
        assertThat(Memory.isFilledWith(large, 4 * MIB, (byte) 0)).isTrue();
        // Until here: a heap unreachable before the reads above could be unmapped under them.
        java.lang.ref.Reference.reachabilityFence(heap);
    }

    private WeakReference<Heap> dropAnOpenHeap() {
        Heap heap = new Heap(CONFIG, mapper);
        Memory.fill(heap.malloc(4 * MIB), 4 * MIB, (byte) 1);
        heap.free(heap.malloc(64));
        return new WeakReference<>(heap);
    }

    private static void awaitGarbageCollection(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + GC_WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
    }

    /** The {@code /proc/self/maps} line of the mapping holding {@code address}, or "" if none does. */
    private static String mapping(long address) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String range = line.substring(0, line.indexOf(' '));
            int dash = range.indexOf('-');
            long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                return line;
            }
        }
        return "";
    }
}
