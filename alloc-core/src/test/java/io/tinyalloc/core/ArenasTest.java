package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Arenas: carving, spares, decommit, growth by new arenas, limits and kernel failures. */
class ArenasTest {

    private static final long UNIT = SegmentLayout.SEGMENT_SIZE;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
    private Arenas arenas = new Arenas(memory, 8 * UNIT);

    @AfterEach
    void releaseEverything() {
        mapper.reset();
        arenas.releaseAll();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldCarveDistinctAlignedWritableSegments() {
        Set<Long> bases = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            long base = arenas.carve();
            assertThat(base & SegmentLayout.SEGMENT_MASK).isZero();
            Memory.putLong(base + UNIT - 8, i);
            assertThat(bases.add(base)).isTrue();
        }
        assertThat(arenas.arenaCount()).isEqualTo(1);
        assertThat(memory.committedBytes()).isEqualTo(8 * UNIT);
        assertThat(mapper.committedBytes()).isEqualTo(8 * UNIT);
        assertThat(arenas.check()).isTrue();
    }

    @Test
    void shouldReserveAnotherArenaWhenEverySlotIsInUse() {
        for (int i = 0; i < 9; i++) {
            arenas.carve();
        }
        assertThat(arenas.arenaCount()).isEqualTo(2);
        assertThat(memory.reservedBytes()).isEqualTo(16 * UNIT);
        assertThat(arenas.inUseCount()).isEqualTo(9);
    }

    @Test
    void shouldDecommitEveryOccupiedSlotOnCloseInOneCallPerRunAndKeepTheArenasReserved() {
        List<Long> bases = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            bases.add(arenas.carve());
            Memory.putLong(bases.getLast(), 0x5A5AL);
        }
        arenas.giveBack(bases.get(2));
        arenas.giveBack(bases.get(4));
        arenas.decommitSpares();
        arenas.giveBack(bases.get(5));
        long decommits = mapper.calls(MapOperation.DECOMMIT);

        assertThat(arenas.close()).isEqualTo(9 * UNIT);

        assertThat(mapper.calls(MapOperation.DECOMMIT) - decommits).as("runs 0-1, 3, 5-7, 8-10").isEqualTo(4);
        assertThat(memory.committedBytes()).isZero();
        assertThat(mapper.committedBytes()).isZero();
        assertThat(memory.reservedBytes()).isEqualTo(16 * UNIT);
        assertThat(mapper.reservedBytes()).isEqualTo(16 * UNIT);
        assertThat(arenas.spareCount()).isZero();
        assertThat(arenas.inUseCount()).isZero();
        assertThat(bases).allSatisfy(base -> assertThat(Memory.getLong(base)).as("reads as zero").isZero());
        assertThat(arenas.check()).isTrue();
        assertThatThrownBy(arenas::carve).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldRetireNothingOnceClosed() {
        for (int i = 0; i < 8; i++) {
            arenas.carve();
        }
        arenas.giveBack(arenas.carve());
        arenas.decommitSpares();
        assertThat(arenas.arenaCount()).isEqualTo(2);
        arenas.close();

        long everyEmptyArena = System.nanoTime();
        assertThat(arenas.markRetiring(everyEmptyArena)).as("a closed set of arenas retires none").isFalse();
        assertThat(arenas.releaseRetiring(Long.MAX_VALUE)).isZero();
        assertThat(arenas.arenaCount()).isEqualTo(2);
        assertThat(mapper.reservedBytes()).isEqualTo(16 * UNIT);
    }

    @Test
    void shouldKeepARunTheKernelRefusesToDecommitOnCloseCountedUntilTheArenasAreReleased() {
        arenas.carve();
        arenas.carve();
        mapper.failNth(MapOperation.DECOMMIT, 1);

        assertThat(arenas.close()).isZero();

        assertThat(memory.committedBytes()).isEqualTo(2 * UNIT);
        assertThat(memory.failedCallCount()).isEqualTo(1);
        arenas.releaseAll();
        assertThat(memory.committedBytes()).isZero();
    }

    @Test
    void shouldReuseASpareSegmentWithoutASystemCall() {
        long base = arenas.carve();
        arenas.giveBack(base);
        assertThat(arenas.spareCount()).isEqualTo(1);
        long commits = mapper.calls(MapOperation.COMMIT);
        assertThat(arenas.carve()).isEqualTo(base);
        assertThat(mapper.calls(MapOperation.COMMIT)).isEqualTo(commits);
        assertThat(arenas.spareCount()).isZero();
    }

    @Test
    void shouldKeepAtMostSpareKeepSegmentsCommitted() {
        arenas = new Arenas(memory, 64 * UNIT);
        List<Long> bases = new ArrayList<>();
        for (int i = 0; i < Arenas.SPARE_KEEP + 4; i++) {
            bases.add(arenas.carve());
        }
        bases.forEach(arenas::giveBack);
        assertThat(arenas.spareCount()).isEqualTo(Arenas.SPARE_KEEP);
        assertThat(memory.committedBytes()).isEqualTo(Arenas.SPARE_KEEP * UNIT);
        assertThat(arenas.decommitSpares()).isEqualTo(Arenas.SPARE_KEEP * UNIT);
        assertThat(memory.committedBytes()).isZero();
        assertThat(mapper.committedBytes()).isZero();
        assertThat(arenas.check()).isTrue();
    }

    @Test
    void shouldRejectASegmentGivenBackTwice() {
        long base = arenas.carve();
        arenas.giveBack(base);
        assertThatThrownBy(() -> arenas.giveBack(base)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toHexString(base));
        assertThatThrownBy(() -> arenas.giveBack(0x1000_0000_0000L)).isInstanceOf(IllegalStateException.class);
        assertThat(arenas.spareCount()).isEqualTo(1);
    }

    @Test
    void shouldShrinkTheLastArenaToTheReservationLimitThenRefuse() {
        memory = new VirtualMemory(mapper, Long.MAX_VALUE, 11 * UNIT);
        arenas = new Arenas(memory, 8 * UNIT);
        for (int i = 0; i < 11; i++) {
            arenas.carve();
        }
        assertThat(memory.reservedBytes()).isEqualTo(11 * UNIT);
        assertThatThrownBy(arenas::carve).isInstanceOfSatisfying(HeapExhaustedException.class,
                e -> assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.RESERVATION_LIMIT));
        assertThat(arenas.inUseCount()).isEqualTo(11);
    }

    @Test
    void shouldRefuseToCommitBeyondTheMemoryLimit() {
        memory = new VirtualMemory(mapper, 2 * UNIT, Long.MAX_VALUE);
        arenas = new Arenas(memory, 8 * UNIT);
        arenas.carve();
        arenas.carve();
        assertThatThrownBy(arenas::carve).isInstanceOfSatisfying(HeapExhaustedException.class, e -> {
            assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.MEMORY_LIMIT);
            assertThat(e.requestedBytes()).isEqualTo(UNIT);
            assertThat(e.getMessage()).contains("maxMemoryBytes=" + 2 * UNIT);
        });
        assertThat(memory.committedBytes()).isEqualTo(2 * UNIT);
    }

    @Test
    void shouldReportKernelRefusalsAndChangeNothing() {
        mapper.failNth(MapOperation.RESERVE, 1);
        assertThatThrownBy(arenas::carve).isInstanceOfSatisfying(HeapExhaustedException.class, e -> {
            assertThat(e.kind()).isEqualTo(HeapExhaustedException.Kind.KERNEL);
            assertThat(e.getCause()).hasMessageContaining(FaultInjectingMapper.INJECTED);
        });
        assertThat(memory.reservedBytes()).isZero();
        mapper.failNth(MapOperation.COMMIT, 1);
        assertThatThrownBy(arenas::carve).isInstanceOf(HeapExhaustedException.class);
        assertThat(memory.committedBytes()).isZero();
        assertThat(arenas.inUseCount()).isZero();
        long base = arenas.carve();
        assertThat(base).isNotZero();
        assertThat(arenas.check()).isTrue();
    }

    @Test
    void shouldKeepASpareWhoseDecommitFailed() {
        arenas = new Arenas(memory, 64 * UNIT);
        List<Long> bases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bases.add(arenas.carve());
        }
        bases.forEach(arenas::giveBack);
        mapper.failAlways(MapOperation.DECOMMIT);
        assertThat(arenas.decommitSpares()).isZero();
        assertThat(arenas.spareCount()).isEqualTo(3);
        assertThat(memory.committedBytes()).isEqualTo(3 * UNIT);
        mapper.reset();
        assertThat(arenas.decommitSpares()).isEqualTo(3 * UNIT);
    }

    @Test
    void shouldUnmapEveryArenaOnReleaseAndRefuseLaterCarving() {
        arenas.carve();
        arenas.releaseAll();
        assertThat(mapper.reservedBytes()).isZero();
        assertThat(memory.reservedBytes()).isZero();
        assertThat(memory.committedBytes()).isZero();
        assertThatThrownBy(arenas::carve).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
