package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link Mapper} must do, checked by touching the memory it maps. One subclass per
 * implementation. Every test releases what it maps (the {@link #track} list is the safety net).
 */
abstract class MapperContract {

    static final long PAGE = Platform.pageSize();
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private final List<long[]> mappings = new ArrayList<>();

    /** The mapper under test; the same instance for the whole test. */
    abstract Mapper mapper();

    /** Reserves and remembers the mapping so that {@link #releaseAll()} unmaps it. */
    long reserve(long byteSize, long byteAlignment) {
        long address = mapper().reserve(byteSize, byteAlignment);
        track(address, byteSize);
        return address;
    }

    void track(long address, long byteSize) {
        mappings.add(new long[] {address, byteSize});
    }

    /** Forgets a mapping that the test released or moved itself. */
    void untrack(long address) {
        mappings.removeIf(mapping -> mapping[0] == address);
    }

    @AfterEach
    void releaseAll() {
        for (long[] mapping : mappings) {
            Mapper.system().release(mapping[0], mapping[1]);
        }
        mappings.clear();
    }

    @Test
    void shouldReserveCommitTouchAndReleaseASmallRange() {
        long address = mapper().reserve(4 * PAGE, PAGE);
        mapper().commit(address, 4 * PAGE);
        assertThat(Memory.isFilledWith(address, 4 * PAGE, (byte) 0)).as("fresh pages read as zero").isTrue();
        Memory.fill(address, 4 * PAGE, (byte) 0x6B);
        assertThat(Memory.isFilledWith(address, 4 * PAGE, (byte) 0x6B)).isTrue();
        mapper().release(address, 4 * PAGE);
    }

    @Test
    void shouldReserveAndTouchTheEdgesOfAMultiGigabyteRange() {
        long byteSize = 64 * GIB;
        assumeTrue(KernelFeatures.addressSpaceFor(byteSize), "ulimit -v leaves no room for a 64 GiB reservation");
        long address = reserve(byteSize, PAGE);
        long[] offsets = {0, byteSize / 2, byteSize - PAGE};
        for (long offset : offsets) {
            mapper().commit(address + offset, PAGE);
            Memory.putLong(address + offset + PAGE - 8, offset + 1);
        }
        for (long offset : offsets) {
            assertThat(Memory.getLong(address + offset + PAGE - 8)).isEqualTo(offset + 1);
        }
        untrack(address);
        mapper().release(address, byteSize);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 16, 4096, 65536, 2 * MIB, 64 * MIB, GIB})
    void shouldHonourTheAlignment(long byteAlignment) {
        long byteSize = 2 * MIB;
        long address = reserve(byteSize, byteAlignment);
        assertThat(address % Math.max(byteAlignment, PAGE)).isZero();
        mapper().commit(address, PAGE);
        mapper().commit(address + byteSize - PAGE, PAGE);
        Memory.putLong(address, 1);
        Memory.putLong(address + byteSize - 8, 2);
        assertThat(Memory.getLong(address) + Memory.getLong(address + byteSize - 8)).isEqualTo(3);
    }

    @Test
    void shouldKeepContentsWhenGrowingInPlace() {
        long grown = 0;
        for (int attempt = 0; attempt < 3 && grown == 0; attempt++) {
            grown = growIntoTheFreedUpperHalf();
        }
        assertThat(grown).as("grown in place in one of three tries").isNotZero();
        assertThat(hasPattern(grown, MIB, 11)).isTrue();
        assertThat(Memory.isFilledWith(grown + MIB, MIB, (byte) 0)).as("the growth is committed and zero").isTrue();
    }

    /**
     * Fills the lower half of a 2 MiB reservation, unmaps the upper half and grows the lower one
     * into it without moving. Returns the grown mapping's address (the same), or 0 if another
     * thread of the JVM mapped something into the freed half first (a thread stack fits there
     * exactly): then the kernel refuses the growth with ENOMEM, and the range is not ours to touch.
     */
    private long growIntoTheFreedUpperHalf() {
        long address = reserve(2 * MIB, PAGE);
        mapper().commit(address, MIB);
        fillPattern(address, MIB, 11);
        untrack(address);
        track(address, MIB);
        mapper().release(address + MIB, MIB);
        long grown;
        try {
            grown = mapper().remap(address, MIB, 2 * MIB, false);
        } catch (MapException refused) {
            if (refused.errno() != Errno.ENOMEM || ProcSelf.permissions(address + MIB) == null) {
                throw refused;
            }
            return 0;
        }
        untrack(address);
        track(grown, 2 * MIB);
        assertThat(grown).isEqualTo(address);
        return grown;
    }

    @Test
    void shouldKeepContentsWhenShrinkingInPlace() {
        long address = reserve(2 * MIB, PAGE);
        mapper().commit(address, 2 * MIB);
        fillPattern(address, 2 * MIB, 12);
        long shrunk = mapper().remap(address, 2 * MIB, MIB, false);
        untrack(address);
        track(shrunk, MIB);
        assertThat(shrunk).isEqualTo(address);
        assertThat(hasPattern(shrunk, MIB, 12)).isTrue();
    }

    @Test
    void shouldKeepContentsWhenTheRemapMoves() {
        long address = reserve(2 * MIB, PAGE);
        mapper().commit(address, MIB);
        fillPattern(address, MIB, 13);
        untrack(address);
        track(address + MIB, MIB);

        long moved = mapper().remap(address, MIB, 4 * MIB, true);
        track(moved, 4 * MIB);

        assertThat(moved).as("the uncommitted neighbour blocks growth in place").isNotEqualTo(address);
        assertThat(hasPattern(moved, MIB, 13)).isTrue();
        Memory.putLong(moved + 4 * MIB - 8, 99);
        assertThat(Memory.getLong(moved + 4 * MIB - 8)).isEqualTo(99);
    }

    @Test
    void shouldRefuseToGrowInPlaceWhenTheNeighbourIsMapped() {
        long address = reserve(2 * MIB, PAGE);
        mapper().commit(address, MIB);
        fillPattern(address, MIB, 14);
        assertThatThrownBy(() -> mapper().remap(address, MIB, 3 * MIB, false))
                .isInstanceOfSatisfying(MapException.class, e -> {
                    assertThat(e.operation()).isEqualTo(MapOperation.REMAP);
                    assertThat(e.errnoName()).isEqualTo("ENOMEM");
                    assertThat(e.getMessage()).contains("ENOMEM", "remap", Long.toHexString(address));
                });
        assertThat(hasPattern(address, MIB, 14)).as("unchanged after the failure").isTrue();
    }

    @Test
    void shouldMoveContentsToAFixedAddress() {
        long source = reserve(MIB, PAGE);
        mapper().commit(source, MIB);
        fillPattern(source, MIB, 15);
        long target = reserve(4 * MIB, 2 * MIB);

        mapper().remapFixed(source, MIB, target, 4 * MIB);
        untrack(source);

        assertThat(hasPattern(target, MIB, 15)).isTrue();
        assertThat(Memory.isFilledWith(target + MIB, 3 * MIB, (byte) 0)).isTrue();
        Memory.putLong(target + 4 * MIB - 8, 1);
        assertThat(Memory.getLong(target + 4 * MIB - 8)).isEqualTo(1);
    }

    @Test
    void shouldZeroDecommittedPagesAndKeepThemUsable() {
        long address = reserve(8 * PAGE, PAGE);
        mapper().commit(address, 8 * PAGE);
        Memory.fill(address, 8 * PAGE, (byte) 0x77);
        mapper().decommit(address + 2 * PAGE, 4 * PAGE);
        assertThat(Memory.isFilledWith(address + 2 * PAGE, 4 * PAGE, (byte) 0)).isTrue();
        assertThat(Memory.isFilledWith(address, 2 * PAGE, (byte) 0x77)).isTrue();
        assertThat(Memory.isFilledWith(address + 6 * PAGE, 2 * PAGE, (byte) 0x77)).isTrue();
        Memory.putLong(address + 3 * PAGE, 5);
        assertThat(Memory.getLong(address + 3 * PAGE)).isEqualTo(5);
    }

    @Test
    void shouldKeepPurgedPagesUsable() {
        long address = reserve(8 * PAGE, PAGE);
        mapper().commit(address, 8 * PAGE);
        Memory.fill(address, 8 * PAGE, (byte) 0x21);
        mapper().purge(address, 8 * PAGE);
        Memory.fill(address, 8 * PAGE, (byte) 0x22);
        assertThat(Memory.isFilledWith(address, 8 * PAGE, (byte) 0x22)).isTrue();
    }

    @Test
    void shouldKeepContentsAcrossProtectionChanges() {
        long address = reserve(2 * PAGE, PAGE);
        mapper().commit(address, 2 * PAGE);
        Memory.putLong(address, 31);
        mapper().protect(address, 2 * PAGE, Protection.READ);
        assertThat(Memory.getLong(address)).isEqualTo(31);
        mapper().protect(address, 2 * PAGE, Protection.NONE);
        mapper().protect(address, 2 * PAGE, Protection.READ_WRITE);
        Memory.putLong(address + 8, 32);
        assertThat(Memory.getLong(address) + Memory.getLong(address + 8)).isEqualTo(63);
    }

    @Test
    void shouldAcceptHugePageAdviceBothWays() {
        assumeTrue(KernelFeatures.hugePageAdvice(), "kernel without transparent huge pages: madvise refuses the advice");
        long address = reserve(4 * MIB, 2 * MIB);
        mapper().commit(address, 4 * MIB);
        mapper().adviseHugePages(address, 4 * MIB, true);
        Memory.putLong(address, 1);
        mapper().adviseHugePages(address, 4 * MIB, false);
        assertThat(Memory.getLong(address)).isEqualTo(1);
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    void shouldRejectBadReservationArgumentsNamingTheValues() {
        assertIllegal(() -> mapper().reserve(0, PAGE), "byteSize=0");
        assertIllegal(() -> mapper().reserve(-PAGE, PAGE), "byteSize=" + -PAGE);
        assertIllegal(() -> mapper().reserve(PAGE + 1, PAGE), "byteSize=" + (PAGE + 1));
        assertIllegal(() -> mapper().reserve(PAGE, 0), "byteAlignment=0");
        assertIllegal(() -> mapper().reserve(PAGE, 3 * PAGE), "byteAlignment=" + 3 * PAGE);
        assertIllegal(() -> mapper().reserve(PAGE, -PAGE), "byteAlignment=" + -PAGE);
        assertIllegal(() -> mapper().reserve(Long.MAX_VALUE & -PAGE, 1L << 62), "overflows");
    }

    @Test
    void shouldRejectMisalignedOrEmptyRangesBeforeAnySystemCall() {
        long address = reserve(4 * PAGE, PAGE);
        mapper().commit(address, 4 * PAGE);
        Memory.fill(address, 4 * PAGE, (byte) 0x3C);
        String hex = Long.toHexString(address + 1);

        assertIllegal(() -> mapper().commit(address + 1, PAGE), "address=0x" + hex);
        assertIllegal(() -> mapper().decommit(address + 1, PAGE), "address=0x" + hex);
        assertIllegal(() -> mapper().purge(address, PAGE - 1), "byteSize=" + (PAGE - 1));
        assertIllegal(() -> mapper().protect(address, 0, Protection.NONE), "byteSize=0");
        assertIllegal(() -> mapper().adviseHugePages(address, -PAGE, true), "byteSize=" + -PAGE);
        assertIllegal(() -> mapper().release(address + 1, PAGE), "address=0x" + hex);
        assertIllegal(() -> mapper().release(0, PAGE), "address=0x0");
        assertIllegal(() -> mapper().release(-PAGE, PAGE), "address=0x" + Long.toHexString(-PAGE));
        assertIllegal(() -> mapper().decommit(Long.MAX_VALUE & -PAGE, 2 * PAGE), "overflows");
        assertIllegal(() -> mapper().remap(address, 4 * PAGE, 0, true), "newByteSize=0");
        assertIllegal(() -> mapper().remap(address + 1, PAGE, PAGE, true), "address=0x" + hex);
        assertIllegal(() -> mapper().remapFixed(address, 4 * PAGE, address + 2 * PAGE, 4 * PAGE), "overlap");
        assertIllegal(() -> mapper().remapFixed(address, 4 * PAGE, 12345, 4 * PAGE), "newAddress=0x3039");
        assertThatThrownBy(() -> mapper().protect(address, PAGE, null)).isInstanceOf(NullPointerException.class);

        assertThat(Memory.isFilledWith(address, 4 * PAGE, (byte) 0x3C)).as("nothing changed").isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------

    static void assertIllegal(Runnable call, String expectedInMessage) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedInMessage);
    }

    /** Writes {@code seed, seed + 1, ...} into every long of the range. */
    static void fillPattern(long address, long byteSize, long seed) {
        for (long offset = 0; offset < byteSize; offset += 8) {
            Memory.putLong(address + offset, seed + offset);
        }
    }

    static boolean hasPattern(long address, long byteSize, long seed) {
        for (long offset = 0; offset < byteSize; offset += 8) {
            if (Memory.getLong(address + offset) != seed + offset) {
                return false;
            }
        }
        return true;
    }
}
