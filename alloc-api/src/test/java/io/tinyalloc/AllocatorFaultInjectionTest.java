package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exhaustion: the kernel refusing each kind of mapping call (through a
 * {@link FaultInjectingMapper}) and the configured limits. Each must surface as a
 * {@link TinyAllocOutOfMemoryError} of the right kind whose message names the call, and the
 * allocator must keep working afterwards with every block intact.
 */
class AllocatorFaultInjectionTest {

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final List<Allocator> allocators = new ArrayList<>();

    @AfterEach
    void closeAllocators() throws InterruptedException {
        allocators.forEach(Allocator::close);
        allocators.clear();
        ClosedAllocators.awaitUnmapped(mapper);
        assertThat(mapper.reservedBytes()).as("everything unmapped once the closed allocators were collected").isZero();
    }

    // ---- the kernel refuses --------------------------------------------------------------------

    @Test
    void shouldReportARefusedFirstReservationAndRecover() {
        Allocator allocator = allocator(TestAllocators.builder());
        mapper.failNth(MapOperation.RESERVE, 1);

        expectKernelRefusal(() -> allocator.malloc(100), "malloc(100 bytes): out of memory: the kernel refused to "
                + "reserve", MapOperation.RESERVE);

        long address = allocator.malloc(100);
        assertThat(allocator.usableSize(address)).isGreaterThanOrEqualTo(100);
        allocator.free(address);
    }

    @Test
    void shouldReportARefusedReservationForALargeBlockAndKeepEveryBlock() {
        Allocator allocator = allocator(TestAllocators.builder());
        LiveBlocks live = LiveBlocks.typical(allocator);
        mapper.failAlways(MapOperation.RESERVE);

        expectKernelRefusal(() -> allocator.malloc(8 << 20), "malloc(8388608 bytes): out of memory: the kernel "
                + "refused to reserve", MapOperation.RESERVE);
        expectKernelRefusal(() -> allocator.alignedAlloc(1L << 24, 100), "alignedAlloc(100 bytes): out of "
                + "memory: the kernel refused to reserve", MapOperation.RESERVE);

        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldReportARefusedCommitOfANewSegmentAndKeepEveryBlock() {
        Allocator allocator = allocator(TestAllocators.builder());
        LiveBlocks live = LiveBlocks.typical(allocator);
        mapper.failAlways(MapOperation.COMMIT);

        expectKernelRefusal(() -> allocator.calloc(1, 2000), "calloc(2000 bytes): out of memory: the kernel "
                + "refused to commit", MapOperation.COMMIT);

        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldReportARefusedCommitOfALargeBlockAndKeepEveryBlock() {
        Allocator allocator = allocator(TestAllocators.builder());
        LiveBlocks live = LiveBlocks.typical(allocator);
        long reservedBefore = mapper.reservedBytes();
        mapper.failAlways(MapOperation.COMMIT);

        expectKernelRefusal(() -> allocator.malloc(8 << 20), "malloc(8388608 bytes): out of memory: the kernel "
                + "refused to commit", MapOperation.COMMIT);

        assertThat(mapper.reservedBytes()).as("the failed block's reservation is given back").isEqualTo(reservedBefore);
        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldReportARefusedRemapAndKeepTheOldBlock() {
        Allocator allocator = allocator(TestAllocators.builder());
        LiveBlocks live = LiveBlocks.typical(allocator);
        LiveBlocks.Block large = live.blocks().getLast();
        mapper.failAlways(MapOperation.REMAP);

        expectKernelRefusal(() -> allocator.realloc(large.address(), 64L << 20), "realloc(67108864 bytes): out of "
                + "memory: the kernel refused to remap", MapOperation.REMAP);

        mapper.reset();
        live.assertIntact();
        long grown = allocator.realloc(large.address(), 64L << 20);
        live.remove(large.address());
        assertThat(Memory.isFilledWith(grown, large.byteSize(), large.pattern())).isTrue();
        allocator.free(grown);
        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldSurviveTheKernelRunningOutPartWay() {
        Allocator allocator = allocator(TestAllocators.builder());
        LiveBlocks live = new LiveBlocks(allocator);
        mapper.failCommitsAboveBytes(24L << 20);

        TinyAllocOutOfMemoryError error = fillUntilExhausted(allocator, live, 96 << 10);

        assertThat(error.kind()).isEqualTo(TinyAllocOutOfMemoryError.Kind.KERNEL);
        assertThat(error).hasMessageContaining("errno=ENOMEM (out of memory or address space)");
        mapper.reset();
        assertKeepsWorking(allocator, live);
    }

    // ---- configured limits ---------------------------------------------------------------------

    @Test
    void shouldStopAtMaxMemoryAndRecoverAfterFrees() {
        Allocator allocator = allocator(TestAllocators.builder().maxMemory(16L << 20));
        LiveBlocks live = new LiveBlocks(allocator);

        TinyAllocOutOfMemoryError error = fillUntilExhausted(allocator, live, 64 << 10);

        assertThat(error.kind()).isEqualTo(TinyAllocOutOfMemoryError.Kind.MEMORY_LIMIT);
        assertThat(error).hasMessageStartingWith("malloc(65536 bytes): out of memory: the memory limit "
                + "maxMemory=16777216 bytes is reached (committed=");
        assertThat(allocator.stats().committedBytes()).isLessThanOrEqualTo(16L << 20);
        live.assertIntact();
        for (LiveBlocks.Block block : live.blocks().subList(0, live.size() / 2)) {
            allocator.free(block.address());
            live.remove(block.address());
        }
        allocator.trim();
        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldRefuseABlockLargerThanMaxMemory() {
        Allocator allocator = allocator(TestAllocators.builder().maxMemory(12L << 20));
        LiveBlocks live = LiveBlocks.of(allocator, 100, 5000, 1 << 20);

        assertThatThrownBy(() -> allocator.malloc(16L << 20)).isInstanceOf(TinyAllocOutOfMemoryError.class)
                .hasMessageStartingWith("malloc(16777216 bytes): out of memory: the memory limit maxMemory=12582912 bytes")
                .satisfies(e -> assertThat(((TinyAllocOutOfMemoryError) e).kind())
                        .isEqualTo(TinyAllocOutOfMemoryError.Kind.MEMORY_LIMIT));
        assertThatThrownBy(() -> allocator.realloc(live.blocks().get(2).address(), 16L << 20))
                .isInstanceOf(TinyAllocOutOfMemoryError.class).hasMessageStartingWith("realloc(16777216 bytes)");

        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldStopAtMaxReservation() {
        Allocator allocator = allocator(TestAllocators.builder().arenaSize(8L << 20).maxReservation(24L << 20));
        LiveBlocks live = LiveBlocks.of(allocator, 100, 5000);

        assertThatThrownBy(() -> allocator.malloc(32L << 20)).isInstanceOf(TinyAllocOutOfMemoryError.class)
                .hasMessageStartingWith("malloc(33554432 bytes): out of memory: the address-space limit "
                        + "maxReservation=25165824 bytes is reached")
                .satisfies(e -> assertThat(((TinyAllocOutOfMemoryError) e).kind())
                        .isEqualTo(TinyAllocOutOfMemoryError.Kind.RESERVATION_LIMIT));

        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldReportSizesNoAddressSpaceCanHoldAsOutOfMemory() {
        Allocator allocator = allocator(TestAllocators.builder());
        LiveBlocks live = LiveBlocks.typical(allocator);

        assertThatThrownBy(() -> allocator.malloc(Long.MAX_VALUE)).isInstanceOf(TinyAllocOutOfMemoryError.class)
                .hasMessage("malloc(9223372036854775807 bytes): out of memory: 9223372036854775807 bytes is more "
                        + "than any address space can hold (140737488355328 bytes)")
                .satisfies(e -> assertThat(((TinyAllocOutOfMemoryError) e).kind())
                        .isEqualTo(TinyAllocOutOfMemoryError.Kind.RESERVATION_LIMIT));
        assertThatThrownBy(() -> allocator.calloc(1L << 40, 1L << 10)).isInstanceOf(TinyAllocOutOfMemoryError.class)
                .hasMessageStartingWith("calloc(1125899906842624 bytes): out of memory");
        assertThatThrownBy(() -> allocator.realloc(live.blocks().get(4).address(), 1L << 50))
                .isInstanceOf(TinyAllocOutOfMemoryError.class).hasMessageStartingWith("realloc(1125899906842624 bytes)");
        assertThatThrownBy(() -> allocator.realloc(live.blocks().get(9).address(), 1L << 50))
                .isInstanceOf(TinyAllocOutOfMemoryError.class).hasMessageStartingWith("realloc(1125899906842624 bytes)");
        assertThatThrownBy(() -> allocator.alignedAlloc(1L << 20, Long.MAX_VALUE - 5))
                .isInstanceOf(TinyAllocOutOfMemoryError.class);

        assertKeepsWorking(allocator, live);
    }

    @Test
    void shouldNameTheCallInEveryOutOfMemoryError() {
        Allocator allocator = allocator(TestAllocators.builder().maxMemory(4L << 20));
        long tooMuch = 8L << 20;

        expectMemoryLimit(() -> allocator.calloc(1, tooMuch), "calloc");
        expectMemoryLimit(() -> allocator.alignedAlloc(4096, tooMuch), "alignedAlloc");
        expectMemoryLimit(() -> allocator.pageAlloc(tooMuch), "pageAlloc");
        expectMemoryLimit(() -> allocator.reallocArray(0, 1, tooMuch), "reallocArray");
        expectMemoryLimit(() -> allocator.recallocArray(0, 0, 1, tooMuch), "recallocArray");
        expectMemoryLimit(() -> allocator.allocate(tooMuch, 8), "allocate");
        try (Arena arena = allocator.newArena()) {
            expectMemoryLimit(() -> arena.allocate(tooMuch, 8), "Arena.allocate");
            assertThat(arena.allocate(100, 8).byteSize()).isEqualTo(100);
        }
        assertThat(allocator.stats().liveCount()).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Allocator allocator(AllocatorBuilder builder) {
        Allocator allocator = builder.mapper(mapper).build();
        allocators.add(allocator);
        return allocator;
    }

    /** Allocates filled blocks of {@code byteSize} until the allocator runs out; returns the error. */
    private static TinyAllocOutOfMemoryError fillUntilExhausted(Allocator allocator, LiveBlocks live, long byteSize) {
        for (int i = 0; i < 100_000; i++) {
            long address;
            try {
                address = allocator.malloc(byteSize);
            } catch (TinyAllocOutOfMemoryError e) {
                assertThat(i).as("blocks before exhaustion").isPositive();
                return e;
            }
            live.add(address, byteSize);
        }
        throw new AssertionError("never ran out of memory");
    }

    private static void expectKernelRefusal(ThrowingCallable call, String messageStart, MapOperation operation) {
        assertThatThrownBy(call).isInstanceOf(TinyAllocOutOfMemoryError.class).hasMessageStartingWith(messageStart)
                .hasMessageContaining("errno=ENOMEM").hasRootCauseInstanceOf(MapException.class)
                .satisfies(e -> {
                    TinyAllocOutOfMemoryError error = (TinyAllocOutOfMemoryError) e;
                    assertThat(error.kind()).isEqualTo(TinyAllocOutOfMemoryError.Kind.KERNEL);
                    assertThat(error.requestedBytes()).isPositive();
                    MapException cause = (MapException) error.getCause().getCause();
                    assertThat(cause.operation()).isEqualTo(operation);
                    assertThat(cause.getMessage()).contains(FaultInjectingMapper.INJECTED);
                });
    }

    private static void expectMemoryLimit(ThrowingCallable call, String name) {
        assertThatThrownBy(call).isInstanceOf(TinyAllocOutOfMemoryError.class)
                .hasMessageStartingWith(name + "(8388608 bytes): out of memory: the memory limit maxMemory=4194304")
                .satisfies(e -> assertThat(((TinyAllocOutOfMemoryError) e).kind())
                        .isEqualTo(TinyAllocOutOfMemoryError.Kind.MEMORY_LIMIT));
    }

    /** Every block intact, and new blocks of every kind can be had and freed. */
    private void assertKeepsWorking(Allocator allocator, LiveBlocks live) {
        mapper.reset();
        live.assertIntact();
        for (long byteSize : new long[] {1, 100, 2000, 70_000, 2 << 20}) {
            long address = allocator.malloc(byteSize);
            Memory.fill(address, byteSize, (byte) 0x33);
            allocator.free(address);
        }
        assertThat(allocator.stats().liveCount()).isEqualTo(live.size());
        live.freeAll();
        assertThat(allocator.stats().liveCount()).isZero();
    }
}
