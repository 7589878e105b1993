package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyalloc.sys.testing.FaultInjectingMapper;
import org.junit.jupiter.api.Test;

class RegionTest {

    private static final long PAGE = Platform.pageSize();

    @Test
    void shouldStartWithNothingCommitted() {
        try (Region region = Region.reserve(Mapper.system(), 16 * PAGE, 16 * PAGE)) {
            assertThat(region.address() % (16 * PAGE)).isZero();
            assertThat(region.byteSize()).isEqualTo(16 * PAGE);
            assertThat(region.mapper()).isSameAs(Mapper.system());
            assertThat(region.committedBytes()).isZero();
            assertThat(region.isCommitted(0)).isFalse();
            assertThat(ProcSelf.permissions(region.address())).isEqualTo("---p");
        }
    }

    @Test
    void shouldTrackCommittedPages() {
        try (Region region = Region.reserve(Mapper.system(), 16 * PAGE, PAGE)) {
            region.commit(2 * PAGE, 4 * PAGE);
            region.commit(4 * PAGE, 4 * PAGE);
            assertThat(region.committedBytes()).as("overlap counted once").isEqualTo(6 * PAGE);
            assertThat(region.isCommitted(PAGE + PAGE - 1)).isFalse();
            assertThat(region.isCommitted(2 * PAGE)).isTrue();
            assertThat(region.isCommitted(8 * PAGE - 1)).isTrue();
            assertThat(region.isCommitted(8 * PAGE)).isFalse();

            Memory.putLong(region.address() + 5 * PAGE, 55);
            region.decommit(4 * PAGE, 2 * PAGE);
            assertThat(region.committedBytes()).isEqualTo(4 * PAGE);
            assertThat(region.isCommitted(5 * PAGE)).isFalse();
            assertThat(ProcSelf.permissions(region.address() + 5 * PAGE)).isEqualTo("---p");

            region.commit(4 * PAGE, 2 * PAGE);
            assertThat(Memory.getLong(region.address() + 5 * PAGE)).as("decommitted pages come back zero").isZero();
        }
    }

    @Test
    void shouldKeepPurgedPagesCommitted() {
        try (Region region = Region.reserve(Mapper.system(), 4 * PAGE, PAGE)) {
            region.commit(0, 4 * PAGE);
            region.purge(0, 4 * PAGE);
            assertThat(region.committedBytes()).isEqualTo(4 * PAGE);
            Memory.putLong(region.address(), 1);
            assertThat(Memory.getLong(region.address())).isEqualTo(1);
        }
    }

    @Test
    void shouldChangeProtectionWithoutChangingCommitState() {
        try (Region region = Region.reserve(Mapper.system(), 4 * PAGE, PAGE)) {
            region.commit(0, 4 * PAGE);
            region.protect(PAGE, PAGE, Protection.READ);
            if (KernelFeatures.hugePageAdvice()) {
                region.adviseHugePages(0, 4 * PAGE, false);
            }
            assertThat(ProcSelf.permissions(region.address() + PAGE)).isEqualTo("r--p");
            assertThat(region.committedBytes()).isEqualTo(4 * PAGE);
        }
    }

    @Test
    void shouldTrackASparseMultiGigabyteRegionCheaply() {
        long byteSize = 64L << 30;
        assumeTrue(KernelFeatures.addressSpaceFor(byteSize), "ulimit -v leaves no room for a 64 GiB reservation");
        try (Region region = Region.reserve(Mapper.system(), byteSize, PAGE)) {
            region.commit(byteSize - PAGE, PAGE);
            Memory.putLong(region.address() + byteSize - 8, 3);
            assertThat(region.committedBytes()).isEqualTo(PAGE);
            assertThat(region.isCommitted(byteSize - 1)).isTrue();
            assertThat(region.isCommitted(0)).isFalse();
        }
    }

    @Test
    void shouldTellWhetherAnAddressIsInside() {
        try (Region region = Region.reserve(Mapper.system(), 2 * PAGE, PAGE)) {
            assertThat(region.contains(region.address())).isTrue();
            assertThat(region.contains(region.address() + 2 * PAGE - 1)).isTrue();
            assertThat(region.contains(region.address() + 2 * PAGE)).isFalse();
            assertThat(region.contains(region.address() - 1)).isFalse();
            assertThat(region.contains(Long.MIN_VALUE)).isFalse();
        }
    }

    @Test
    void shouldRejectRangesOutsideTheRegionAndChangeNothing() {
        try (Region region = Region.reserve(Mapper.system(), 4 * PAGE, PAGE)) {
            region.commit(0, PAGE);
            assertThatThrownBy(() -> region.commit(-PAGE, PAGE)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset=" + -PAGE).hasMessageContaining("regionByteSize=" + 4 * PAGE);
            assertThatThrownBy(() -> region.commit(3 * PAGE, 2 * PAGE)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("byteSize=" + 2 * PAGE);
            assertThatThrownBy(() -> region.decommit(PAGE, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> region.isCommitted(4 * PAGE)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset=" + 4 * PAGE);
            assertThatThrownBy(() -> region.isCommitted(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> region.commit(1, PAGE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset=1");
            assertThatThrownBy(() -> region.purge(0, PAGE + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("byteSize=" + (PAGE + 1));
            assertThatThrownBy(() -> region.protect(0, 0, Protection.READ)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("byteSize=0");
            assertThatThrownBy(() -> region.protect(0, PAGE, null)).isInstanceOf(NullPointerException.class);
            assertThat(region.committedBytes()).isEqualTo(PAGE);
            assertThat(ProcSelf.permissions(region.address() + PAGE)).isEqualTo("---p");
        }
    }

    @Test
    void shouldRejectBadReservationArguments() {
        assertThatThrownBy(() -> Region.reserve(Mapper.system(), PAGE + 1, PAGE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteSize=" + (PAGE + 1));
        assertThatThrownBy(() -> Region.reserve(Mapper.system(), PAGE, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteAlignment=6");
        assertThatThrownBy(() -> Region.reserve(null, PAGE, PAGE)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldKeepTheRecordedStateWhenTheMapperFails() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        try (Region region = Region.reserve(mapper, 4 * PAGE, PAGE)) {
            region.commit(0, 2 * PAGE);
            mapper.failNth(MapOperation.COMMIT, 1).failNth(MapOperation.DECOMMIT, 1);
            assertThatThrownBy(() -> region.commit(2 * PAGE, 2 * PAGE)).isInstanceOf(MapException.class);
            assertThatThrownBy(() -> region.decommit(0, 2 * PAGE)).isInstanceOf(MapException.class);
            assertThat(region.committedBytes()).isEqualTo(2 * PAGE);
            assertThat(region.isCommitted(0)).isTrue();
            assertThat(region.isCommitted(2 * PAGE)).isFalse();
            region.commit(2 * PAGE, 2 * PAGE);
            assertThat(region.committedBytes()).isEqualTo(4 * PAGE);
        }
    }

    @Test
    void shouldStayOpenWhenReleaseFailsSoThatCloseCanBeRetried() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        Region region = Region.reserve(mapper, 4 * PAGE, PAGE);
        mapper.failNth(MapOperation.RELEASE, 1);
        assertThatThrownBy(region::close).isInstanceOf(MapException.class);
        assertThat(region.isClosed()).isFalse();
        assertThat(mapper.reservedBytes()).isEqualTo(4 * PAGE);
        region.close();
        assertThat(region.isClosed()).isTrue();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldCloseOnceAndRejectUseAfterClose() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        Region region = Region.reserve(mapper, 4 * PAGE, PAGE);
        long address = region.address();
        region.close();
        region.close();
        assertThat(mapper.calls(MapOperation.RELEASE)).as("idempotent").isOne();
        assertThat(ProcSelf.permissions(address)).isNull();
        assertThat(region.isClosed()).isTrue();
        assertThat(region.address()).isEqualTo(address);
        String name = "0x" + Long.toHexString(address);
        assertThatThrownBy(() -> region.commit(0, PAGE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining(name);
        assertThatThrownBy(() -> region.decommit(0, PAGE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> region.purge(0, PAGE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> region.protect(0, PAGE, Protection.READ)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> region.adviseHugePages(0, PAGE, true)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(region::committedBytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> region.isCommitted(0)).isInstanceOf(IllegalStateException.class);
        assertThat(mapper.calls(MapOperation.COMMIT)).as("no call reached the mapper").isZero();
    }
}
