package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.testing.FaultInjectingMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache-facing batch entry points of a size class: CACHED blocks, refusals, and no retirement under a cache. */
class ClassQueueCachedBatchTest {

    private static final int CLASS_INDEX = SizeClasses.classIndex(48);
    private static final long KEY = 0x9234_5678_9ABC_DEF1L ^ CLASS_INDEX;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
    private final Arenas arenas = new Arenas(memory, 64L << 20);
    private final PageMap pageMap = new PageMap();
    private final ClassQueue queue = new ClassQueue(CLASS_INDEX, KEY, false, arenas, pageMap);

    @AfterEach
    void release() {
        assertThat(queue.check(true)).isTrue();
        queue.close();
        arenas.releaseAll();
    }

    @Test
    void shouldHandOutCachedBlocksThatCountAsInUseButAreFreeForTheUser() {
        long[] entries = new long[10];
        assertThat(queue.allocateCached(entries, 2, 8)).isEqualTo(8);
        for (int i = 2; i < 10; i++) {
            long address = CacheEntry.address(entries[i]);
            long base = SegmentLayout.segmentBase(address);
            assertThat(Segment.blockAddress(base, CacheEntry.index(entries[i]))).isEqualTo(address);
            assertThat(Segment.state(base, CacheEntry.index(entries[i]))).isEqualTo(SegmentLayout.STATE_CACHED);
            assertThat(queue.free(address)).isEqualTo(AddressFault.DOUBLE_FREE);
            assertThat(queue.usableSize(address)).isEqualTo(Segment.fault(AddressFault.DOUBLE_FREE));
        }
        assertThat(queue.liveCount()).isEqualTo(8);
        assertThat(queue.cachedOutCount()).isEqualTo(8);
        assertThat(queue.cachedStateCount()).isEqualTo(8);
        assertThat(queue.trim()).isZero();
        assertThat(queue.segmentCount()).isEqualTo(1);
        assertThat(queue.freeCached(entries, 2, 8)).isZero();
        assertThat(queue.liveCount()).isZero();
        assertThat(queue.cachedStateCount()).isZero();
    }

    @Test
    void shouldRefuseAnEntryThatIsNotACachedBlockAndChangeNothing() {
        long[] entries = new long[2];
        queue.allocateCached(entries, 0, 2);
        long user = queue.allocate();
        long base = SegmentLayout.segmentBase(user);
        long[] bad = {entries[0], entries[0], CacheEntry.pack(user, Segment.blockIndex(base, user)),
                CacheEntry.pack(CacheEntry.address(entries[1]) + 16, CacheEntry.index(entries[1]))};
        assertThat(queue.freeCached(bad, 0, bad.length)).isEqualTo(3);
        assertThat(queue.refusedCount()).isEqualTo(3);
        assertThat(queue.liveCount()).isEqualTo(2);
        assertThat(queue.usableSize(user)).isEqualTo(48);
        assertThat(queue.freeCached(entries, 1, 1)).isZero();
        assertThat(queue.free(user)).isNull();
        assertThat(queue.liveCount()).isZero();
    }

    @Test
    void shouldRejectABadSliceWithoutChangingAnything() {
        long[] entries = new long[4];
        assertThatThrownBy(() -> queue.allocateCached(entries, 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> queue.freeCached(entries, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(queue.liveCount()).isZero();
        assertThat(queue.segmentCount()).isZero();
    }

    @Test
    void shouldClearTheCarvedStatesWhenASegmentIsRetired() {
        long[] entries = new long[100];
        queue.allocateCached(entries, 0, entries.length);
        long base = SegmentLayout.segmentBase(CacheEntry.address(entries[0]));
        queue.freeCached(entries, 0, entries.length);
        assertThat(queue.trim()).isGreaterThanOrEqualTo(0);
        assertThat(queue.segmentCount()).isZero();
        for (int index = 0; index < 100; index++) {
            assertThat(Segment.state(base, index)).isEqualTo(SegmentLayout.STATE_FREE);
        }
    }
}
