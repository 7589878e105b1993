package io.tinyalloc.core;

import io.tinyalloc.sys.Platform;

/**
 * The InterConnect Cache (ICC): the shared middle layer between the thread caches and the
 * segments. Per-CPU {@link CacheShard}s (a power of two, at least the CPU count) hold batches of
 * free blocks per size class, so that blocks freed by one thread reach a thread that allocates
 * them without a trip through the segment lists and their class lock.
 *
 * <pre>
 *  ThreadCache.refill(c)  -> local shard pop (one lock, one copy)
 *                         -> else steal: the other shards, in order, skipping those whose count
 *                            hint says empty
 *                         -> else the segments: ClassQueue.allocateCached (class lock, one batch,
 *                            from the shard's own segment)
 *  ThreadCache.flush(c)   -> local shard push as much as fits; the rest to ClassQueue.freeCached
 *  virtual thread malloc  -> local shard, one entry (refilled half-full from the segments when empty)
 *  virtual thread free    -> local shard, one entry (the older half spilled to the segments when full)
 * </pre>
 *
 * <p>The local shard is the caller's: a thread cache has a home shard, given round robin when it
 * registers (measured better than the current CPU's, see {@code ThreadCache#shard}); a virtual
 * thread uses the shard of the CPU its carrier runs on ({@link #currentCpuShard}, about 4 ns
 * through FFM), so that virtual threads on different carriers rarely meet on one shard.
 *
 * <p>Correctness does not depend on the shard choice or on the steal order: every entry is in
 * exactly one place (a thread cache, one shard, or its segment), each move happens under the
 * lock of the shard or class it touches, and a steal that misses a batch pushed concurrently only
 * means the caller goes to the segments. Each shard is linearizable (checked with Lincheck);
 * the scan across shards, by design, is not one atomic step.
 *
 * <p>Bounded: shard capacities are fixed at creation ({@link #shardCapacity}); what does not fit
 * goes back to the segments. Lock order: a shard lock, then a class lock, never the reverse.
 */
final class InterConnectCache {

    /** A shard holds up to this many thread-cache batches per class. */
    static final int BATCHES_PER_SHARD = 4;

    private final CacheShard[] shards;
    private final int shardMask;
    private final CacheBackend[] backends;

    InterConnectCache(int shardCount, int[] capacities, CacheBackend[] backends) {
        if (shardCount <= 0 || (shardCount & (shardCount - 1)) != 0) {
            throw new IllegalArgumentException("shardCount must be a power of two: shardCount=" + shardCount);
        }
        if (capacities.length != backends.length) {
            throw new IllegalArgumentException("one capacity per backend: capacities=" + capacities.length
                    + " backends=" + backends.length);
        }
        this.shards = new CacheShard[shardCount];
        for (int s = 0; s < shardCount; s++) {
            shards[s] = new CacheShard(capacities);
        }
        this.shardMask = shardCount - 1;
        this.backends = backends.clone();
    }

    /** The heap's ICC: one shard per CPU (rounded up to a power of two), thread-cache-sized batches. */
    static InterConnectCache forHeap(CacheBackend[] backends) {
        int[] capacities = new int[SizeClasses.COUNT];
        for (int c = 0; c < capacities.length; c++) {
            capacities[c] = shardCapacity(c);
        }
        return new InterConnectCache(shardCountFor(Platform.cpuCount()), capacities, backends);
    }

    /** Entries of class c one shard may hold: {@link #BATCHES_PER_SHARD} thread-cache batches, 0 for uncached classes. */
    static int shardCapacity(int classIndex) {
        return ThreadCacheLayout.capacity(classIndex) == 0 ? 0
                : BATCHES_PER_SHARD * ThreadCacheLayout.batchSize(classIndex);
    }

    /** The smallest power of two >= cpuCount. */
    static int shardCountFor(int cpuCount) {
        return Integer.highestOneBit(Math.max(1, cpuCount) * 2 - 1);
    }

    int shardCount() {
        return shards.length;
    }

    /** The shard of the CPU the caller runs on now (a system call: slow paths only). */
    int currentCpuShard() {
        return Platform.currentCpu() & shardMask;
    }

    /**
     * Fills {@code dst[offset ..]} with up to {@code count} cached blocks of class c: from the
     * local shard, else stolen from another, else carved by the segments.
     *
     * @return how many: at least 1
     * @throws HeapExhaustedException if every source is empty and the segments cannot grow
     */
    int refill(int shard, int classIndex, long[] dst, int offset, int count) {
        int moved = shards[shard].pop(classIndex, dst, offset, count);
        if (moved > 0) {
            return moved;
        }
        moved = steal(shard, classIndex, dst, offset, count);
        return moved > 0 ? moved : backends[classIndex].allocateCached(shard, dst, offset, count);
    }

    /** Takes the cached blocks {@code src[offset .. offset+count)}: into the local shard, the overflow to the segments. */
    void flush(int shard, int classIndex, long[] src, int offset, int count) {
        int taken = shards[shard].push(classIndex, src, offset, count);
        if (taken < count) {
            backends[classIndex].freeCached(src, offset + taken, count - taken);
        }
    }

    /**
     * One cached block of class c for a thread without a thread cache (a virtual thread).
     *
     * @throws HeapExhaustedException if no shard has one and the segments cannot grow
     */
    long mallocOne(int shard, int classIndex) {
        for (int i = 0; i < shards.length; i++) {
            CacheShard victim = shards[(shard + i) & shardMask];
            if (victim.countHint(classIndex) > 0) {
                long entry = victim.tryPopOne(classIndex);
                if (entry != 0) {
                    return entry;
                }
            }
        }
        return shards[shard].popOne(shard, classIndex, backends[classIndex]);
    }

    /** Takes one cached block from a thread without a thread cache (a virtual thread). */
    void freeOne(int shard, int classIndex, long entry) {
        shards[shard].pushOne(classIndex, entry, backends[classIndex]);
    }

    /** Gives every cached block back to the segments (trim); returns how many went back. */
    long drain() {
        long drained = 0;
        for (CacheShard shard : shards) {
            drained += shard.drainTo(backends);
        }
        return drained;
    }

    /** Forgets every entry: the heap is closing. */
    void clear() {
        for (CacheShard shard : shards) {
            shard.clear();
        }
    }

    /** Entries of class c across the shards (hints: a little stale while other threads run). */
    long cachedCount(int classIndex) {
        long count = 0;
        for (CacheShard shard : shards) {
            count += shard.countHint(classIndex);
        }
        return count;
    }

    /** Blocks handed to threads without a thread cache. */
    long mallocCount() {
        long count = 0;
        for (CacheShard shard : shards) {
            count += shard.mallocCount();
        }
        return count;
    }

    /** Blocks taken from threads without a thread cache. */
    long freeCount() {
        long count = 0;
        for (CacheShard shard : shards) {
            count += shard.freeCount();
        }
        return count;
    }

    /** Calls {@code action} with every entry of every shard. */
    void forEachEntry(CacheShard.EntryConsumer action) {
        for (CacheShard shard : shards) {
            shard.forEachEntry(action);
        }
    }

    /**
     * Checks every shard's invariants.
     *
     * @return true, for {@code assert icc.check()}
     */
    boolean check() {
        for (CacheShard shard : shards) {
            shard.check();
        }
        return true;
    }

    private int steal(int shard, int classIndex, long[] dst, int offset, int count) {
        for (int i = 1; i < shards.length; i++) {
            CacheShard victim = shards[(shard + i) & shardMask];
            if (victim.countHint(classIndex) > 0) {
                int moved = victim.pop(classIndex, dst, offset, count);
                if (moved > 0) {
                    return moved;
                }
            }
        }
        return 0;
    }
}
