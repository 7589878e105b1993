package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded stress of the give-back layer: small arenas (4 segments each, so arenas empty and are
 * unmapped all the time), a trim thread with a 1 ms purge delay (partial purges, spare purges,
 * arena retirement and background unmapping of large blocks race with the program), a thread
 * calling trim(), stats() and check(false), and workers that malloc, calloc, free, realloc (small,
 * large, across the boundary, grow and shrink in place or by moving) and hand blocks to each other.
 * Every block's contents (a pattern from its address, size and the seed) are verified before it is
 * freed or resized. At the end: no block lost, the heap's checks pass, and after trim() the stats
 * are back to baseline and agree with what the mapper holds.
 */
class GiveBackStressTest {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final int WORKERS = 2;
    /** Per test; 1.5 s keeps the class near 7 s (raise it with -Dtinyalloc.stress.millis for a longer hunt). */
    private static final long DURATION_MILLIS = Long.getLong("tinyalloc.stress.millis", 1_500);

    private final long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ConcurrentLinkedQueue<long[]> handoff = new ConcurrentLinkedQueue<>();
    /** Allocations and resizes refused; must stay 0 without a memory limit or injected failures. */
    private final AtomicLong refusedCount = new AtomicLong();
    private volatile HeapExhaustedException firstRefusal;

    @ParameterizedTest
    @EnumSource(PurgeMode.class)
    void shouldKeepEveryBlockIntactWhileMemoryIsGivenBackUnderIt(PurgeMode mode) throws Exception {
        FaultInjectingMapper mapper = new FaultInjectingMapper(Mapper.system());
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(1)).withPurgeMode(mode);
        run(new Heap(HeapConfig.defaults().withArenaByteSize(4 * MIB).withTrim(trim), mapper), mapper);
        assertThat(refusedCount.get()).as("refusals without a limit, first: %s", firstRefusal).isZero();
    }

    @Test
    void shouldKeepEveryBlockIntactUnderAMemoryLimit() throws Exception {
        FaultInjectingMapper mapper = new FaultInjectingMapper(Mapper.system());
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(1));
        run(new Heap(HeapConfig.defaults().withArenaByteSize(4 * MIB).withMaxMemoryBytes(48 * MIB).withTrim(trim),
                mapper), mapper);
    }

    @Test
    void shouldStayConsistentWhenTheKernelRefusesCallsAtRandom() throws Exception {
        FaultInjectingMapper mapper = new FaultInjectingMapper(Mapper.system());
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(1));
        Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(4 * MIB).withTrim(trim), mapper);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MILLIS);
        MapOperation[] operations = MapOperation.values();
        Thread injector = Thread.ofPlatform().name("injector").start(checked(() -> {
            SplittableRandom random = new SplittableRandom(seed - 2);
            while (System.nanoTime() - deadline < 0) {
                mapper.failNth(operations[random.nextInt(operations.length)], 1 + random.nextInt(8));
                sleepMillis(1);
            }
        }));
        runUntil(heap, deadline);
        injector.join();
        mapper.reset();
        heap.trim();
        assertThat(heap.stats().failedKernelCalls()).isPositive();
        checkBaseline(heap, mapper);
    }

    private void run(Heap heap, FaultInjectingMapper mapper) throws Exception {
        runUntil(heap, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MILLIS));
        checkBaseline(heap, mapper);
    }

    private void runUntil(Heap heap, long deadline) throws Exception {
        System.out.println(getClass().getSimpleName() + " seed=" + seed + " (rerun with -Dtinyalloc.stress.seed=" + seed
                + ")");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < WORKERS; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            threads.add(Thread.ofPlatform().name("worker-" + t).start(checked(() -> work(heap, random, deadline))));
        }
        Thread trimmer = Thread.ofPlatform().name("user-trim").start(checked(() -> {
            SplittableRandom random = new SplittableRandom(seed - 1);
            while (System.nanoTime() - deadline < 0) {
                switch (random.nextInt(4)) {
                    case 0 -> heap.trim();
                    case 1 -> heap.stats();
                    case 2 -> heap.check(false);
                    default -> {
                        // The system is short of memory now and then: trim-thread passes purge everything.
                        boolean high = random.nextBoolean();
                        decayOf(heap).setPressureProbe(() -> high);
                    }
                }
                sleepMillis(random.nextInt(3));
            }
        }));
        for (Thread thread : threads) {
            thread.join();
        }
        trimmer.join();
        for (long[] block = handoff.poll(); block != null; block = handoff.poll()) {
            verifyAndFree(heap, block);
        }
    }

    private void checkBaseline(Heap heap, FaultInjectingMapper mapper) {
        try (heap) {
            assertThat(failure.get()).as("seed=" + seed).isNull();
            heap.trim();
            assertThat(heap.check(true)).isTrue();
            HeapStats stats = heap.stats();
            assertThat(stats.liveCount()).as("seed=%d %s", seed, stats).isZero();
            assertThat(stats.liveBytes()).isZero();
            assertThat(stats.mallocCount()).isEqualTo(stats.freeCount());
            assertThat(stats.cachedBytes()).as("seed=%d %s", seed, stats).isZero();
            assertThat(stats.committedBytes()).as("seed=%d %s", seed, stats).isZero();
            if (heap.config().trim().purgeMode() == PurgeMode.DONTNEED) {
                // The mapper keeps no books of MADV_FREE: a range purged that way stays committed for it.
                assertThat(mapper.committedBytes()).as("seed=%d mapper", seed).isZero();
            }
            assertThat(stats.reservedBytes()).as("seed=%d heap vs mapper %s", seed, stats)
                    .isEqualTo(mapper.reservedBytes());
            assertThat(stats.reservedBytes()).as("seed=%d only the first arena %s", seed, stats).isEqualTo(4 * MIB);
            assertThat(heap.arenaCount()).isEqualTo(1);
        }
        assertThat(heap.stats().committedBytes()).as("after close").isZero();
        heap.unmapClosed();
        assertThat(heap.stats().reservedBytes()).as("after close").isZero();
        assertThat(mapper.reservedBytes()).isZero();
        assertThat(mapper.committedBytes()).isZero();
    }

    private void work(Heap heap, SplittableRandom random, long deadline) {
        List<long[]> live = new ArrayList<>();
        while (System.nanoTime() - deadline < 0) {
            int op = random.nextInt(100);
            if (op < 40 || live.isEmpty()) {
                allocate(heap, random, live);
            } else if (op < 70) {
                verifyAndFree(heap, live.remove(random.nextInt(live.size())));
            } else if (op < 85) {
                int i = random.nextInt(live.size());
                live.set(i, resize(heap, live.get(i), sizeFor(random)));
            } else if (op < 92) {
                handoff.add(live.remove(random.nextInt(live.size())));
                long[] other = handoff.poll();
                if (other != null) {
                    live.add(other);
                }
            } else if (op < 94 || live.size() > 400) {
                for (long[] block : live) {
                    verifyAndFree(heap, block);
                }
                live.clear();
            } else if (op < 95) {
                sleepMillis(random.nextInt(4));
            }
        }
        for (long[] block : live) {
            verifyAndFree(heap, block);
        }
    }

    private void allocate(Heap heap, SplittableRandom random, List<long[]> live) {
        long byteSize = sizeFor(random);
        long address;
        try {
            address = random.nextInt(8) == 0 ? heap.calloc(byteSize) : heap.malloc(byteSize);
        } catch (HeapExhaustedException e) {
            refused(e);
            return;
        }
        long[] block = {address, byteSize};
        fill(block);
        live.add(block);
    }

    private long[] resize(Heap heap, long[] block, long newByteSize) {
        verify(block);
        long address;
        try {
            address = heap.realloc(block[0], newByteSize);
        } catch (HeapExhaustedException e) {
            refused(e);
            verify(block);
            return block;
        }
        verifyPrefix(address, block[0], block[1], Math.min(block[1], newByteSize));
        long[] result = {address, newByteSize};
        fill(result);
        return result;
    }

    /** Mostly small (every cached class and a few uncached ones), sometimes large, a few near 1 MiB multiples. */
    private static long sizeFor(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 60) {
            return random.nextLong(0, 512);
        }
        if (kind < 85) {
            return random.nextLong(512, 40 * KIB);
        }
        if (kind < 95) {
            return random.nextLong(40 * KIB, 3 * MIB);
        }
        return (1 + random.nextInt(6)) * MIB;
    }

    private void verifyAndFree(Heap heap, long[] block) {
        verify(block);
        AddressFault fault = heap.free(block[0]);
        if (fault != null) {
            throw new AssertionError("free refused a live block: address=0x" + Long.toHexString(block[0]) + " fault="
                    + fault + " seed=" + seed);
        }
    }

    private void fill(long[] block) {
        for (long offset = 0; offset + 8 <= block[1]; offset += step(block[1])) {
            Memory.putLong(block[0] + offset, pattern(block[0], offset));
        }
    }

    private void verify(long[] block) {
        verifyPrefix(block[0], block[0], block[1], block[1]);
    }

    /**
     * The first {@code keptByteSize} bytes at {@code address} hold the pattern filled into the block
     * of {@code filledByteSize} bytes at {@code origin} (the same block, or the one realloc moved).
     */
    private void verifyPrefix(long address, long origin, long filledByteSize, long keptByteSize) {
        for (long offset = 0; offset + 8 <= keptByteSize; offset += step(filledByteSize)) {
            long actual = Memory.getLong(address + offset);
            if (actual != pattern(origin, offset)) {
                throw new AssertionError("corrupted block: address=0x" + Long.toHexString(address) + " origin=0x"
                        + Long.toHexString(origin) + " offset=" + offset + " byteSize=" + filledByteSize
                        + " seed=" + seed);
            }
        }
    }

    /** Every 8 bytes up to 4 KiB; then every 512 bytes, so that multi-MiB blocks stay cheap to check. */
    private static long step(long byteSize) {
        return byteSize <= 4 * KIB ? 8 : 512;
    }

    private long pattern(long origin, long offset) {
        long x = (origin + offset) * 0x9E3779B97F4A7C15L ^ seed;
        return x ^ (x >>> 31);
    }

    private void refused(HeapExhaustedException e) {
        if (refusedCount.getAndIncrement() == 0) {
            firstRefusal = e;
        }
    }

    private static Decay decayOf(Heap heap) {
        try {
            java.lang.reflect.Field field = Heap.class.getDeclaredField("decay");
            field.setAccessible(true);
            return (Decay) field.get(heap);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private Runnable checked(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
