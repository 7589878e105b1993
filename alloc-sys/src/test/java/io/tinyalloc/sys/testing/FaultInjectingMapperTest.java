package io.tinyalloc.sys.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Errno;
import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import io.tinyalloc.sys.Protection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectingMapperTest {

    private static final long PAGE = Platform.pageSize();

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final List<long[]> reservations = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        mapper.reset();
        for (long[] reservation : reservations) {
            mapper.release(reservation[0], reservation[1]);
        }
        assertThat(mapper.reservedBytes()).isZero();
        assertThat(mapper.committedBytes()).isZero();
    }

    private long reserve(long byteSize) {
        long address = mapper.reserve(byteSize, PAGE);
        reservations.add(new long[] {address, byteSize});
        return address;
    }

    @Test
    void shouldFailOnlyTheNthNextCallOfTheOperation() {
        long address = reserve(8 * PAGE);
        mapper.failNth(MapOperation.COMMIT, 3);
        mapper.commit(address, PAGE);
        mapper.commit(address + PAGE, PAGE);
        assertThatThrownBy(() -> mapper.commit(address + 2 * PAGE, PAGE))
                .isInstanceOfSatisfying(MapException.class, e -> {
                    assertThat(e.operation()).isEqualTo(MapOperation.COMMIT);
                    assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
                    assertThat(e.address()).isEqualTo(address + 2 * PAGE);
                    assertThat(e.getMessage()).contains(FaultInjectingMapper.INJECTED, "ENOMEM", "call #3");
                });
        mapper.commit(address + 2 * PAGE, PAGE);
        assertThat(mapper.calls(MapOperation.COMMIT)).isEqualTo(4);
        assertThat(mapper.injectedFailures()).isOne();
        assertThat(mapper.committedBytes()).isEqualTo(3 * PAGE);
    }

    @Test
    void shouldCountFromTheCallsAlreadyMade() {
        long address = reserve(4 * PAGE);
        mapper.commit(address, PAGE);
        mapper.failNth(MapOperation.COMMIT, 1);
        assertThatThrownBy(() -> mapper.commit(address, PAGE)).isInstanceOf(MapException.class);
        mapper.commit(address, PAGE);
    }

    @Test
    void shouldFailEveryCallOfAnAlwaysFailingOperationUntilReset() {
        long address = reserve(4 * PAGE);
        mapper.failAlways(MapOperation.PROTECT);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> mapper.protect(address, PAGE, Protection.READ))
                    .isInstanceOf(MapException.class).hasMessageContaining("failAlways");
        }
        mapper.commit(address, PAGE);
        assertThat(mapper.calls(MapOperation.PROTECT)).isEqualTo(3);
        mapper.reset();
        assertThat(mapper.calls(MapOperation.PROTECT)).isZero();
        mapper.protect(address, PAGE, Protection.READ);
    }

    @Test
    void shouldNotReachTheKernelOnAnInjectedFailure() {
        long address = reserve(4 * PAGE);
        mapper.commit(address, PAGE);
        Memory.putLong(address, 17);
        mapper.failNth(MapOperation.DECOMMIT, 1).failNth(MapOperation.RELEASE, 1);
        assertThatThrownBy(() -> mapper.decommit(address, PAGE)).isInstanceOf(MapException.class);
        assertThatThrownBy(() -> mapper.release(address, 4 * PAGE)).isInstanceOf(MapException.class);
        assertThat(Memory.getLong(address)).isEqualTo(17);
        assertThat(mapper.reservedBytes()).isEqualTo(4 * PAGE);
        assertThat(mapper.committedBytes()).isEqualTo(PAGE);
    }

    @Test
    void shouldFailReservationsAboveTheBudget() {
        mapper.failAboveBytes(16 * PAGE);
        reserve(10 * PAGE);
        assertThatThrownBy(() -> reserve(7 * PAGE))
                .isInstanceOfSatisfying(MapException.class, e -> {
                    assertThat(e.operation()).isEqualTo(MapOperation.RESERVE);
                    assertThat(e.isOutOfMemory()).isTrue();
                    assertThat(e.getMessage()).contains("budget=" + 16 * PAGE, "reservedBytes=" + 10 * PAGE);
                });
        reserve(6 * PAGE);
        assertThat(mapper.reservedBytes()).isEqualTo(16 * PAGE);
    }

    @Test
    void shouldFailCommitsAboveTheBudgetCountingEachPageOnce() {
        long address = reserve(64 * PAGE);
        mapper.failCommitsAboveBytes(8 * PAGE);
        mapper.commit(address, 6 * PAGE);
        mapper.commit(address, 8 * PAGE);
        assertThat(mapper.committedBytes()).isEqualTo(8 * PAGE);
        assertThatThrownBy(() -> mapper.commit(address + 8 * PAGE, PAGE))
                .isInstanceOf(MapException.class).hasMessageContaining("committedBytes=" + 8 * PAGE);
        mapper.decommit(address, 2 * PAGE);
        mapper.commit(address + 8 * PAGE, 2 * PAGE);
        assertThat(mapper.committedBytes()).isEqualTo(8 * PAGE);
    }

    @Test
    void shouldFailRemapGrowthAboveTheBudget() {
        long address = reserve(4 * PAGE);
        mapper.commit(address, 4 * PAGE);
        mapper.failCommitsAboveBytes(6 * PAGE);
        assertThatThrownBy(() -> mapper.remap(address, 4 * PAGE, 8 * PAGE, true))
                .isInstanceOf(MapException.class).hasMessageContaining("committed");
        long moved = mapper.remap(address, 4 * PAGE, 6 * PAGE, true);
        reservations.clear();
        reservations.add(new long[] {moved, 6 * PAGE});
        assertThat(mapper.committedBytes()).isEqualTo(6 * PAGE);
        assertThat(mapper.reservedBytes()).isEqualTo(6 * PAGE);
    }

    @Test
    void shouldMoveTheBookkeepingWithARemap() {
        long address = reserve(8 * PAGE);
        mapper.commit(address, 8 * PAGE);
        long target = reserve(16 * PAGE);
        mapper.remapFixed(address, 8 * PAGE, target, 16 * PAGE);
        reservations.removeIf(reservation -> reservation[0] == address);
        assertThat(mapper.reservedBytes()).isEqualTo(16 * PAGE);
        assertThat(mapper.committedBytes()).as("growth of a committed mapping is committed").isEqualTo(16 * PAGE);
        long shrunk = mapper.remap(target, 16 * PAGE, 4 * PAGE, false);
        reservations.clear();
        reservations.add(new long[] {shrunk, 4 * PAGE});
        assertThat(mapper.reservedBytes()).isEqualTo(4 * PAGE);
        assertThat(mapper.committedBytes()).isEqualTo(4 * PAGE);
    }

    @Test
    void shouldInjectExactlyOneFailureUnderConcurrency() throws InterruptedException {
        long address = reserve(PAGE);
        mapper.failNth(MapOperation.PURGE, 50);
        AtomicInteger failures = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        mapper.purge(address, PAGE);
                    } catch (MapException injected) {
                        failures.incrementAndGet();
                    }
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures.get()).isOne();
        assertThat(mapper.calls(MapOperation.PURGE)).isEqualTo(400);
    }

    @Test
    void shouldRejectBadRules() {
        assertThatThrownBy(() -> mapper.failNth(MapOperation.COMMIT, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=0");
        assertThatThrownBy(() -> mapper.failAboveBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget=-1");
        assertThatThrownBy(() -> mapper.failAlways(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new FaultInjectingMapper(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldWrapTheSystemMapperByDefault() {
        assertThat(mapper.delegate()).isSameAs(Mapper.system());
        assertThat(mapper.toString()).contains("FaultInjectingMapper");
    }
}
