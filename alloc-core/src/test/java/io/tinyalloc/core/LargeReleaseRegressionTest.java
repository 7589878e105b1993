package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * Defects a review found in the background release of large blocks and the resumable partial
 * purge, each pinned by a test that failed before its fix:
 * <ol>
 *   <li>a malloc at the memory limit failed while the trim thread was unmapping the very block
 *       whose room it needed (the reclaim found the queue empty and saw nothing freed);</li>
 *   <li>a kernel refusal was rethrown while freed blocks still waited to be unmapped;</li>
 *   <li>a trim() and a trim-thread pass shared one resume cursor, so trim() skipped segments;</li>
 *   <li>with zeroOnFree a freed large block stayed mapped until the trim thread got to it.</li>
 * </ol>
 */
class LargeReleaseRegressionTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldRetryAMallocWhoseRoomTheTrimThreadGaveBackDuringTheReclaim() throws Exception {
        GatedMapper mapper = new GatedMapper(new FaultInjectingMapper(), 64 * MIB);
        HeapConfig config = HeapConfig.defaults().withMaxMemoryBytes(100 * MIB).withThreadCache(false)
                .withTrim(TrimConfig.defaults().withPurgeDelay(Duration.ofHours(1)));
        try (Heap heap = new Heap(config, mapper)) {
            long first = heap.malloc(65 * MIB);
            assertThat(heap.free(first)).isNull();
            assertThat(mapper.entered.await(10, TimeUnit.SECONDS)).as("trim thread in its munmap").isTrue();
            AtomicReference<Object> result = new AtomicReference<>();
            Thread allocator = new Thread(() -> {
                try {
                    result.set(heap.malloc(65 * MIB));
                } catch (RuntimeException e) {
                    result.set(e);
                }
            }, "allocator");
            allocator.start();
            awaitBlocked(allocator);
            mapper.proceed.countDown();
            allocator.join(10_000);

            assertThat(result.get()).as("malloc after the reclaim").isInstanceOf(Long.class);
            assertThat(heap.free((Long) result.get())).isNull();
        }
    }

    @Test
    void shouldReuseTheRoomOfAFreedBigBlockUnderTheMemoryLimitEveryTime() {
        HeapConfig config = HeapConfig.defaults().withMaxMemoryBytes(100 * MIB).withThreadCache(false)
                .withTrim(TrimConfig.defaults().withPurgeDelay(Duration.ofHours(1)));
        try (Heap heap = new Heap(config, Mapper.system())) {
            long block = heap.malloc(65 * MIB);
            for (int i = 0; i < 20; i++) {
                Memory.fill(block, 65 * MIB, (byte) i);
                assertThat(heap.free(block)).isNull();
                block = heap.malloc(65 * MIB);
            }
            assertThat(heap.free(block)).isNull();
        }
    }

    @Test
    void shouldReleasePendingBlocksBeforeGivingUpOnAKernelRefusal() throws Exception {
        FaultInjectingMapper kernel = new FaultInjectingMapper();
        kernel.failReservationsAboveBytes(150 * MIB);
        GatedMapper mapper = new GatedMapper(kernel, 64 * MIB);
        HeapConfig config = HeapConfig.defaults().withThreadCache(false)
                .withTrim(TrimConfig.defaults().withPurgeDelay(Duration.ofHours(1)));
        Thread opener = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            mapper.proceed.countDown();
        });
        try (Heap heap = new Heap(config, mapper)) {
            long a = heap.malloc(65 * MIB);
            assertThat(heap.free(a)).isNull();
            assertThat(mapper.entered.await(10, TimeUnit.SECONDS)).isTrue();
            long b = heap.malloc(65 * MIB);
            assertThat(heap.free(b)).isNull();
            opener.start();

            long c = heap.malloc(65 * MIB);

            assertThat(heap.free(c)).isNull();
        } finally {
            mapper.proceed.countDown();
            opener.join();
        }
    }

    @Test
    void shouldPurgeEverySegmentInATrimEvenIfAnotherPassRanInBetween() {
        int classIndex = SizeClasses.COUNT - 1;
        GatedMapper mapper = new GatedMapper(new FaultInjectingMapper(), Long.MAX_VALUE);
        VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
        Arenas arenas = new Arenas(memory, 64L << 20);
        ClassQueue queue = new ClassQueue(classIndex, 0x1234_5678_9ABC_DEF1L, false, arenas, new PageMap());
        int segments = 40;
        long[] kept = PartlyUsedSegments.leaveOneBlockEach(queue, classIndex, segments);
        long now = System.nanoTime();
        Set<Long> purgedSegments = new HashSet<>();
        AtomicBoolean otherPassDone = new AtomicBoolean();
        // Inside the first hold's last purge, a pass that finds nothing due walks every list.
        mapper.decommitHook = address -> {
            purgedSegments.add(SegmentLayout.segmentBase(address));
            if (purgedSegments.size() == ClassQueue.PURGES_PER_LOCK_HOLD && otherPassDone.compareAndSet(false, true)) {
                queue.purgePartial(now, now - Duration.ofHours(1).toNanos(), false, Decay.MAX_PARTIAL_PURGES_PER_PASS);
            }
        };
        try {
            ClassQueue.Purged purged = queue.purgePartial(now, now, true, Integer.MAX_VALUE);

            assertThat(otherPassDone).isTrue();
            assertThat(purged.segmentCount()).as("segments purged by the first call").isEqualTo(segments);
        } finally {
            PartlyUsedSegments.freeAll(queue, kept);
            queue.close();
            arenas.releaseAll();
        }
    }

    @Test
    void shouldPurgeSegmentsThatATrimThreadPassStampedAfterTheTrimReadItsClock() {
        int classIndex = SizeClasses.COUNT - 1;
        VirtualMemory memory = new VirtualMemory(new FaultInjectingMapper(), Long.MAX_VALUE, Long.MAX_VALUE);
        Arenas arenas = new Arenas(memory, 64L << 20);
        ClassQueue queue = new ClassQueue(classIndex, 0x1234_5678_9ABC_DEF1L, false, arenas, new PageMap());
        long[] kept = PartlyUsedSegments.leaveOneBlockEach(queue, classIndex, 8);
        long later = System.nanoTime() + Duration.ofHours(1).toNanos();
        assertThat(queue.purgePartial(later, later - 1, true, Integer.MAX_VALUE).segmentCount())
                .as("a pass that stamps every segment dirty at a later time").isZero();

        assertThat(queue.purgeAllPartial().segmentCount()).isEqualTo(8);

        PartlyUsedSegments.freeAll(queue, kept);
        assertThat(queue.check(true)).isTrue();
        queue.close();
        arenas.releaseAll();
    }

    @Test
    void shouldUnmapALargeBlockInsideFreeWithZeroOnFreeEvenWithATrimThread() {
        FaultInjectingMapper mapper = new FaultInjectingMapper();
        HeapConfig config = HeapConfig.defaults().withZeroOnFree(true)
                .withTrim(TrimConfig.defaults().withPurgeDelay(Duration.ofHours(1)));
        try (Heap heap = new Heap(config, mapper)) {
            long block = heap.malloc(2 * MIB);
            Memory.fill(block, 2 * MIB, (byte) 0x5A);
            long releases = mapper.calls(MapOperation.RELEASE);

            assertThat(heap.free(block)).isNull();

            assertThat(mapper.calls(MapOperation.RELEASE)).isEqualTo(releases + 1);
            assertThat(heap.largeHandedOffCount()).isZero();
        }
    }

    private static void awaitBlocked(Thread thread) throws InterruptedException {
        for (int i = 0; i < 1000 && thread.getState() != Thread.State.BLOCKED && thread.isAlive(); i++) {
            Thread.sleep(5);
        }
    }

    /** Delegates; the first release of at least gateBytes made by the trim thread waits for {@link #proceed}. */
    private static final class GatedMapper extends ForwardingMapper {
        final long gateBytes;
        final AtomicBoolean armed = new AtomicBoolean(true);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        volatile LongConsumer decommitHook = address -> { };

        GatedMapper(Mapper delegate, long gateBytes) {
            super(delegate);
            this.gateBytes = gateBytes;
        }

        @Override
        public void release(long address, long byteSize) {
            if (byteSize >= gateBytes && Thread.currentThread().getName().startsWith("tinyalloc-trim")
                    && armed.compareAndSet(true, false)) {
                entered.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.release(address, byteSize);
        }

        @Override
        public void decommit(long address, long byteSize) {
            decommitHook.accept(address);
            delegate.decommit(address, byteSize);
        }

        @Override
        public void purge(long address, long byteSize) {
            decommitHook.accept(address);
            delegate.purge(address, byteSize);
        }
    }
}
