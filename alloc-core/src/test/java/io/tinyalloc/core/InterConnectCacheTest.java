package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ICC's routing (local shard, steal, backend), its bounds, and conservation of entries under threads. */
class InterConnectCacheTest {

    private static final int CAPACITY = 8;

    private final OnHeapBackend backend = new OnHeapBackend();
    private final InterConnectCache icc = new InterConnectCache(4, new int[] {CAPACITY}, new CacheBackend[] {backend});

    @Test
    void shouldRefillFromTheLocalShardBeforeStealingAndStealBeforeTheBackend() {
        icc.flush(1, 0, new long[] {11, 12}, 0, 2);
        icc.flush(2, 0, new long[] {21, 22}, 0, 2);
        long[] batch = new long[2];
        assertThat(icc.refill(2, 0, batch, 0, 2)).isEqualTo(2);
        assertThat(batch).containsExactly(21, 22);
        assertThat(icc.refill(2, 0, batch, 0, 2)).isEqualTo(2);
        assertThat(batch).containsExactly(11, 12);
        assertThat(icc.refill(2, 0, batch, 0, 2)).isEqualTo(2);
        assertThat(batch).containsExactly(OnHeapBackend.FIRST_VALUE, OnHeapBackend.FIRST_VALUE + 1);
        assertThat(icc.cachedCount(0)).isZero();
        assertThat(icc.check()).isTrue();
    }

    @Test
    void shouldSendWhatAFullShardCannotTakeToTheBackend() {
        long[] entries = new long[CAPACITY + 3];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = 100 + i;
        }
        icc.flush(0, 0, entries, 0, entries.length);
        assertThat(icc.cachedCount(0)).isEqualTo(CAPACITY);
        assertThat(backend.received()).containsExactly(108L, 109L, 110L);
        assertThat(icc.drain()).isEqualTo(CAPACITY);
        assertThat(backend.received()).hasSize(entries.length);
        assertThat(icc.cachedCount(0)).isZero();
    }

    @Test
    void shouldServeSingleEntriesToThreadsWithoutACacheAndSpillWhenFull() {
        long first = icc.mallocOne(3, 0);
        assertThat(first).isEqualTo(OnHeapBackend.FIRST_VALUE + CAPACITY / 2 - 1);
        assertThat(icc.cachedCount(0)).isEqualTo(CAPACITY / 2 - 1);
        for (int i = 0; i < CAPACITY; i++) {
            icc.freeOne(3, 0, 500 + i);
        }
        assertThat(icc.cachedCount(0)).isLessThanOrEqualTo(CAPACITY);
        assertThat(backend.received()).isNotEmpty();
        assertThat(icc.mallocCount()).isEqualTo(1);
        assertThat(icc.freeCount()).isEqualTo(CAPACITY);
        assertThat(icc.mallocOne(0, 0)).isNotZero();
    }

    @Test
    void shouldLeaveEverythingUnchangedWhenTheBackendIsExhausted() {
        backend.limitValuesBelow(OnHeapBackend.FIRST_VALUE);
        long[] batch = new long[2];
        assertThatThrownBy(() -> icc.refill(0, 0, batch, 0, 2)).isInstanceOf(HeapExhaustedException.class);
        assertThatThrownBy(() -> icc.mallocOne(0, 0)).isInstanceOf(HeapExhaustedException.class);
        assertThat(icc.cachedCount(0)).isZero();
        assertThat(icc.mallocCount()).isZero();
        assertThat(icc.check()).isTrue();
    }

    @Test
    void shouldRejectAShardCountThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new InterConnectCache(3, new int[] {1}, new CacheBackend[] {backend}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shardCount=3");
        assertThatThrownBy(() -> new InterConnectCache(2, new int[] {1, 1}, new CacheBackend[] {backend}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacities=2 backends=1");
        assertThatThrownBy(() -> new CacheShard(new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=-1");
    }

    @Test
    void shouldSizeShardsForTheCpus() {
        assertThat(InterConnectCache.shardCountFor(1)).isEqualTo(1);
        assertThat(InterConnectCache.shardCountFor(2)).isEqualTo(2);
        assertThat(InterConnectCache.shardCountFor(3)).isEqualTo(4);
        assertThat(InterConnectCache.shardCountFor(64)).isEqualTo(64);
        assertThat(InterConnectCache.forHeap(new CacheBackend[SizeClasses.COUNT]).shardCount())
                .isGreaterThanOrEqualTo(io.tinyalloc.sys.Platform.cpuCount());
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            assertThat(InterConnectCache.shardCapacity(c) == 0).isEqualTo(ThreadCacheLayout.capacity(c) == 0);
        }
    }

    /**
     * Workload: 4 threads for 1.5 s, each with its own "thread cache" of up to 64 entries, pick a
     * random shard and either refill a batch (any source) or flush a batch, or malloc/free single
     * entries. Entries are unique values; at the end everything is drained to the backend, and every
     * value handed out by the backend must have come back exactly once: none lost, none duplicated.
     */
    @Test
    void shouldNeitherLoseNorDuplicateAnEntryUnderConcurrentBatchesSingleEntriesAndSteals() throws Exception {
        long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
        System.out.println("InterConnectCacheTest seed=" + seed + " (rerun with -Dtinyalloc.stress.seed=" + seed + ")");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CompletableFuture<long[]>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            workers.add(CompletableFuture.supplyAsync(() -> churn(random, deadline), pool));
        }
        List<Long> held = new ArrayList<>();
        for (CompletableFuture<long[]> worker : workers) {
            for (long value : worker.get(30, TimeUnit.SECONDS)) {
                held.add(value);
            }
        }
        pool.shutdown();
        icc.drain();
        List<Long> received = new ArrayList<>(backend.received());
        received.addAll(held);
        Set<Long> unique = new HashSet<>(received);
        assertThat(unique).as("seed=" + seed).hasSize(received.size());
        assertThat((long) received.size()).as("seed=" + seed).isEqualTo(backend.handedOutCount());
    }

    /** One worker of the conservation test: returns the entries it still holds at the end. */
    private long[] churn(SplittableRandom random, long deadline) {
        long[] local = new long[64];
        int size = 0;
        while (System.nanoTime() < deadline) {
            int shard = random.nextInt(icc.shardCount());
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (size <= local.length - 4) {
                        size += icc.refill(shard, 0, local, size, 4);
                    }
                }
                case 1 -> {
                    int count = Math.min(size, 4);
                    icc.flush(shard, 0, local, size - count, count);
                    size -= count;
                }
                case 2 -> {
                    if (size < local.length) {
                        local[size++] = icc.mallocOne(shard, 0);
                    }
                }
                default -> {
                    if (size > 0) {
                        icc.freeOne(shard, 0, local[--size]);
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(local, size);
    }
}
