package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel refuses a call (FaultInjectingMapper fails it with ENOMEM): the heap reports
 * HeapExhaustedException KERNEL, keeps working, and every live block keeps its contents.
 */
class HeapFaultInjectionTest {

    private static final long MIB = 1L << 20;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(4 * MIB), mapper);
    private final List<long[]> live = new ArrayList<>();

    @BeforeEach
    void allocateSomeBlocks() {
        for (long size : new long[] {16, 100, 3000, 70_000, 2 * MIB}) {
            allocate(size);
        }
    }

    @AfterEach
    void verifyBlocksAndClose() {
        mapper.reset();
        for (long[] block : live) {
            assertThat(Memory.isFilledWith(block[0], block[1], (byte) block[1])).as("block of %d bytes", block[1]).isTrue();
            assertThat(heap.free(block[0])).isNull();
        }
        assertThat(heap.check(true)).isTrue();
        heap.close();
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    private long allocate(long size) {
        long block = heap.malloc(size);
        Memory.fill(block, size, (byte) size);
        live.add(new long[] {block, size});
        return block;
    }

    private static void assertKernel(Throwable thrown) {
        assertThat(thrown).isInstanceOfSatisfying(HeapExhaustedException.class, e -> {
            assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.KERNEL);
            assertThat(e.getCause()).hasMessageContaining(FaultInjectingMapper.INJECTED);
        });
    }

    @Test
    void shouldSurviveARefusedArenaReservation() {
        for (int i = 0; i < 3; i++) {
            allocate(200_000);
        }
        mapper.failNth(MapOperation.RESERVE, 1);
        HeapStats before = heap.stats();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) {
                allocate(200_000);
            }
        }).satisfies(HeapFaultInjectionTest::assertKernel);
        assertThat(heap.stats().reservedBytes()).isGreaterThanOrEqualTo(before.reservedBytes());
        allocate(200_000);
    }

    @Test
    void shouldSurviveARefusedSegmentCommit() {
        mapper.failNth(MapOperation.COMMIT, 1);
        assertThatThrownBy(() -> heap.malloc(777)).satisfies(HeapFaultInjectionTest::assertKernel);
        allocate(777);
    }

    @Test
    void shouldSurviveARefusedLargeReservationAndCommit() {
        mapper.failNth(MapOperation.RESERVE, 1);
        assertThatThrownBy(() -> heap.malloc(5 * MIB)).satisfies(HeapFaultInjectionTest::assertKernel);
        mapper.failNth(MapOperation.COMMIT, 1);
        long reserved = heap.stats().reservedBytes();
        assertThatThrownBy(() -> heap.malloc(5 * MIB)).satisfies(HeapFaultInjectionTest::assertKernel);
        assertThat(heap.stats().reservedBytes()).isEqualTo(reserved);
        allocate(5 * MIB);
    }

    @Test
    void shouldKeepALargeBlockIntactWhenItsGrowthIsRefused() {
        long[] block = live.get(live.size() - 1);
        mapper.failAlways(MapOperation.REMAP);
        assertThatThrownBy(() -> heap.realloc(block[0], 50 * MIB)).satisfies(HeapFaultInjectionTest::assertKernel);
        assertThat(heap.validate(block[0])).isNull();
        assertThat(heap.usableSize(block[0])).isEqualTo(2 * MIB);
        mapper.reset();
        long grown = heap.realloc(block[0], 50 * MIB);
        block[0] = grown;
        assertThat(heap.usableSize(grown)).isEqualTo(50 * MIB);
    }

    @Test
    void shouldKeepALargeBlockIntactWhenTheFreshReservationForItsMoveIsRefused() {
        long[] block = live.get(live.size() - 1);
        mapper.failNth(MapOperation.RESERVE, 1);
        assertThatThrownBy(() -> heap.realloc(block[0], 64 * MIB)).isInstanceOf(HeapExhaustedException.class);
        assertThat(heap.validate(block[0])).isNull();
    }

    @Test
    void shouldStayConsistentWhenUnmappingOrDecommittingFails() {
        long large = heap.malloc(200 * MIB);
        mapper.failAlways(MapOperation.RELEASE);
        mapper.failAlways(MapOperation.DECOMMIT);
        assertThat(heap.free(large)).isNull();
        long[] small = new long[5000];
        for (int i = 0; i < small.length; i++) {
            small[i] = heap.malloc(1000);
        }
        for (long block : small) {
            assertThat(heap.free(block)).isNull();
        }
        heap.trim();
        assertThat(heap.check(true)).isTrue();
        mapper.reset();
        assertThat(heap.trim()).isPositive();
        allocate(300);
    }

    @Test
    void shouldSurviveFailuresOfEveryOperationInTurn() {
        for (MapOperation operation : MapOperation.values()) {
            for (int n = 1; n <= 3; n++) {
                mapper.reset();
                mapper.failNth(operation, n);
                churn();
            }
        }
    }

    /** A burst of allocations of every kind; exhaustion is allowed, corruption is not. */
    private void churn() {
        List<Long> blocks = new ArrayList<>();
        try {
            for (long size = 8; size < 40 * MIB; size = size * 3 + 5) {
                long block = heap.malloc(size);
                blocks.add(block);
                blocks.set(blocks.size() - 1, heap.realloc(block, size * 2));
            }
        } catch (HeapExhaustedException e) {
            assertKernel(e);
        }
        for (long block : blocks) {
            assertThat(heap.free(block)).isNull();
        }
        heap.trim();
        assertThat(heap.check(true)).isTrue();
    }
}
