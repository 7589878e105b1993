package io.tinyalloc.core;

import static io.tinyalloc.core.ThreadCacheLayout.FREE_COUNT_INDEX;
import static io.tinyalloc.core.ThreadCacheLayout.OWNER_ID_INDEX;
import static io.tinyalloc.core.ThreadCacheLayout.TOP_INDEX;

import java.lang.ref.WeakReference;

/**
 * One platform thread's cache of free blocks for one heap: per size class a bounded stack of
 * {@link CacheEntry} values in a bin array laid out by {@link ThreadCacheLayout}. The heap's fast
 * paths push and pop that array directly; this class owns everything else: refilling an empty
 * bin and flushing a full one in batches through the {@link InterConnectCache}, the thread's
 * byte budget, the trim epoch, draining, counters and checks.
 *
 * <p>Invariants (checked by {@link #check}): for every class, bottom(c) <= TOP[c] <=
 * bottom(c) + capacity(c), the sentinels are in place, and every entry below TOP is a block of
 * class c marked CACHED in its segment, held by no other cache.
 * Counters: refilled + frees - flushed - held == blocks this cache handed to the user (so the
 * fast path counts only frees).
 *
 * <p>Thread confinement: only the owner thread touches the bins and counters, except that
 * {@link #drain()} and {@link #close()} may run on another thread once the owner is dead
 * ({@link #isOwnerDead()}: its termination happens-before the check) or the heap is closing (no
 * call may then be in flight). Other threads read counts without synchronization for stats:
 * slightly stale values, never torn ones (aligned {@code long} reads on a 64-bit JVM).
 */
final class ThreadCache {

    /** A cache holding more than this many bytes flushes its fullest bins on its next refill. */
    static final long BYTE_BUDGET = 512 * 1024;
    /**
     * The budget is checked on every this-many-th refill (a power of two): summing the bins costs
     * a pass over every class, and in between the bins can grow by at most their capacities.
     */
    static final int BUDGET_CHECK_INTERVAL = 16;
    /**
     * A class's first refill asks for this many blocks; each later one twice as many, up to half
     * the bin. A short-lived thread then moves a few blocks in and out instead of half a bin: with
     * 1024-entry bins, thread-exit fell from 0.89x to 0.67x mimalloc when every refill took half a
     * bin, and is at 0.84-1.02x with this (0.85-0.89x before the bigger bins).
     */
    static final int FIRST_REFILL = 8;

    final long[] bins;
    private final long threadId;
    private final WeakReference<Thread> owner;
    private final InterConnectCache icc;
    private final ThreadCaches caches;
    private final int homeShard;
    /** Per class: refills ask for min(batch, FIRST_REFILL << refillShift), so a short-lived thread moves few blocks. */
    private final byte[] refillShifts = new byte[SizeClasses.COUNT];
    private long refilledCount;
    private long flushedCount;
    private long missCount;
    private long overflowCount;
    private int epoch;
    /**
     * The last quiescence epoch this cache passed ({@link ThreadCaches#requestQuiescence}):
     * written by the owner on a slow path after dropping its segment memo, read by the trim thread.
     */
    private volatile long quiescedEpoch;

    ThreadCache(Thread thread, int homeShard, InterConnectCache icc, ThreadCaches caches) {
        this.homeShard = homeShard;
        this.threadId = thread.threadId();
        this.owner = new WeakReference<>(thread);
        this.bins = ThreadCacheLayout.newBins(threadId);
        this.icc = icc;
        this.caches = caches;
        this.epoch = caches.epoch();
        this.quiescedEpoch = caches.quiesceEpoch();
    }

    /**
     * A cache for {@code thread} that takes over the bins of {@code dead}, whose owner has
     * terminated, with every block in them: a thread that replaces one that ended starts warm, and
     * the dead thread's blocks neither wait for a sweep nor travel through the ICC. The caller has
     * retired {@code dead} (its counters are kept by the registry). The inherited blocks count as
     * refilled, so the counter identity holds; the memo is dropped, as if this cache had passed
     * every quiescence epoch. From the owner id's write on, {@code dead} reports itself closed.
     */
    ThreadCache(Thread thread, int homeShard, ThreadCache dead) {
        this.homeShard = homeShard;
        this.threadId = thread.threadId();
        this.owner = new WeakReference<>(thread);
        this.bins = dead.bins;
        this.icc = dead.icc;
        this.caches = dead.caches;
        this.epoch = caches.epoch();
        this.quiescedEpoch = caches.quiesceEpoch();
        this.refilledCount = heldCount();
        bins[FREE_COUNT_INDEX] = 0;
        bins[ThreadCacheLayout.MEMO_INDEX] = ThreadCacheLayout.NO_MEMO;
        bins[OWNER_ID_INDEX] = threadId;
    }

    long threadId() {
        return threadId;
    }

    /** The trim epoch this cache last acted on (owner thread, or any thread once the owner is dead). */
    int epoch() {
        return epoch;
    }

    /** The owner has terminated: nobody else will touch this cache's bins. */
    boolean isOwnerDead() {
        Thread thread = owner.get();
        return thread == null || !thread.isAlive();
    }

    boolean isClosed() {
        return bins[OWNER_ID_INDEX] != threadId;
    }

    /** Pops an entry of class c, or returns 0 if the bin is empty. */
    long pop(int classIndex) {
        int top = (int) bins[TOP_INDEX + classIndex];
        long entry = bins[top];
        if (entry != ThreadCacheLayout.BOTTOM_SENTINEL) {
            bins[TOP_INDEX + classIndex] = top - 1;
        }
        return entry;
    }

    /**
     * Slow path of a cached malloc: the bin of class c is empty. Refills half a bin, then pops.
     *
     * @throws HeapExhaustedException if no block could be had
     */
    long refillAndPop(int classIndex) {
        housekeeping();
        int bottom = ThreadCacheLayout.bottom(classIndex);
        int moved = icc.refill(shard(), classIndex, bins, bottom + 1, refillSize(classIndex));
        // Counted once the refill succeeded: a malloc that fails at a limit and is retried after
        // draining is one miss (or none), so hits (mallocs - misses) never go negative.
        missCount++;
        refilledCount += moved;
        bins[TOP_INDEX + classIndex] = bottom + moved;
        if ((missCount & (BUDGET_CHECK_INTERVAL - 1)) == 0 && cachedByteSize() > BYTE_BUDGET) {
            shrinkBelowBudget(classIndex);
        }
        return pop(classIndex);
    }

    private int refillSize(int classIndex) {
        int batch = ThreadCacheLayout.batchSize(classIndex);
        int shift = refillShifts[classIndex];
        int size = FIRST_REFILL << shift;
        if (size >= batch) {
            return batch;
        }
        refillShifts[classIndex] = (byte) (shift + 1);
        return size;
    }

    /**
     * A free into this cache (the fast path's push, for callers outside it): the block is already
     * marked CACHED. A full bin first flushes its older half.
     */
    void push(int classIndex, long entry) {
        assert ThreadCacheLayout.capacity(classIndex) > 0 : "class not cached: classIndex=" + classIndex;
        int top = (int) bins[TOP_INDEX + classIndex] + 1;
        if (bins[top] == ThreadCacheLayout.LIMIT_SENTINEL) {
            flushOldest(classIndex);
            top = (int) bins[TOP_INDEX + classIndex] + 1;
        }
        bins[top] = entry;
        bins[TOP_INDEX + classIndex] = top;
        bins[FREE_COUNT_INDEX]++;
    }

    /** Gives every cached block back through the ICC; returns how many went back. */
    long drain() {
        long drained = 0;
        int shard = shard();
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int count = count(c);
            if (count > 0) {
                icc.flush(shard, c, bins, ThreadCacheLayout.bottom(c) + 1, count);
                bins[TOP_INDEX + c] = ThreadCacheLayout.bottom(c);
                flushedCount += count;
                drained += count;
            }
        }
        return drained;
    }

    /** Empties every bin without giving anything back and disowns the array: the heap is closing. */
    void close() {
        bins[OWNER_ID_INDEX] = ThreadCacheLayout.NO_OWNER;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            bins[TOP_INDEX + c] = ThreadCacheLayout.bottom(c);
        }
    }

    /**
     * The owner passes quiescence epoch {@code epoch}: it forgets its segment memo (the only
     * segment base a cache keeps between calls), and no fast path of it is in flight, since the
     * owner is here. Owner thread only.
     */
    void quiesce(long epoch) {
        bins[ThreadCacheLayout.MEMO_INDEX] = ThreadCacheLayout.NO_MEMO;
        quiescedEpoch = epoch;
    }

    long quiescedEpoch() {
        return quiescedEpoch;
    }

    /** Entries of class c (read by other threads for stats: may be stale). */
    int count(int classIndex) {
        return (int) bins[TOP_INDEX + classIndex] - ThreadCacheLayout.bottom(classIndex);
    }

    long cachedByteSize() {
        long bytes = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            bytes += (long) count(c) * SizeClasses.blockSize(c);
        }
        return bytes;
    }

    long heldCount() {
        long held = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            held += count(c);
        }
        return held;
    }

    long freeCount() {
        return bins[FREE_COUNT_INDEX];
    }

    /** Blocks this cache handed to the user: every block it received and did not give away or still hold. */
    long mallocCount() {
        return refilledCount + freeCount() - flushedCount - heldCount();
    }

    /** Mallocs that found the bin empty. */
    long missCount() {
        return missCount;
    }

    /** Frees that found the bin full (counted when the push flushes). */
    long overflowCount() {
        return overflowCount;
    }

    /**
     * Checks the bins' invariants: cheap (tops and sentinels) or expensive (also every entry's
     * state byte and class; the caller holds off the owner).
     *
     * @return true, for {@code assert cache.check(false)}
     */
    boolean check(boolean expensive) {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int bottom = ThreadCacheLayout.bottom(c);
            int top = (int) bins[TOP_INDEX + c];
            if (top < bottom || top > bottom + ThreadCacheLayout.capacity(c)
                    || bins[bottom] != ThreadCacheLayout.BOTTOM_SENTINEL
                    || bins[ThreadCacheLayout.limit(c)] != ThreadCacheLayout.LIMIT_SENTINEL) {
                throw broken(c, "top=" + top + " bottom=" + bottom + " capacity=" + ThreadCacheLayout.capacity(c));
            }
            for (int i = bottom + 1; expensive && i <= top; i++) {
                checkEntry(c, bins[i]);
            }
        }
        return true;
    }

    /** Throws unless {@code entry} is a block of class c marked CACHED. */
    static void checkEntry(int classIndex, long entry) {
        long base = SegmentLayout.segmentBase(CacheEntry.address(entry));
        if (Segment.classIndex(base) != classIndex || CacheEntry.index(entry) >= Segment.bumpIndex(base)
                || Segment.blockAddress(base, CacheEntry.index(entry)) != CacheEntry.address(entry)
                || Segment.state(base, CacheEntry.index(entry)) != SegmentLayout.STATE_CACHED) {
            throw new IllegalStateException("bad cache entry: classIndex=" + classIndex + " entry=0x"
                    + Long.toHexString(entry) + " segmentClass=" + Segment.classIndex(base) + " state="
                    + Segment.state(base, CacheEntry.index(entry)));
        }
    }

    // ---- slow paths ---------------------------------------------------------------------------

    /**
     * This cache's home shard, fixed at registration (round robin). Measured against the shard of
     * the current CPU (sched_getcpu, about 4 ns through FFM, once per batch): with 2 threads each
     * allocating and freeing 512 mixed blocks, home shards gave 1.70x one thread's throughput,
     * stable across iterations; CPU shards 1.2x to 1.46x, unstable, because a thread that moves
     * between CPUs spreads its blocks over both shards and the other thread then refills with
     * blocks whose neighbours (and state bytes) it shares. Round robin also keeps two threads on
     * two shards, where a hash of their ids would collide half the time.
     */
    private int shard() {
        return homeShard;
    }

    /**
     * On every refill and flush: if the heap was trimmed since this cache last looked, give
     * everything back, once; if the thread table slot was taken when this cache was created,
     * try again to get it (its holder may have died).
     */
    private void housekeeping() {
        long requested = caches.quiesceEpoch();
        if (quiescedEpoch != requested) {
            quiesce(requested);
        }
        int current = caches.epoch();
        if (epoch != current) {
            epoch = current;
            drain();
        }
        caches.tryInstall(this);
    }

    /** The bin of class c is full: the older half goes to the ICC, the newer (warmer) half slides down. */
    private void flushOldest(int classIndex) {
        housekeeping();
        overflowCount++;
        int bottom = ThreadCacheLayout.bottom(classIndex);
        int count = count(classIndex);
        int batch = Math.min(count, ThreadCacheLayout.batchSize(classIndex));
        if (batch > 0) {
            icc.flush(shard(), classIndex, bins, bottom + 1, batch);
            System.arraycopy(bins, bottom + 1 + batch, bins, bottom + 1, count - batch);
            bins[TOP_INDEX + classIndex] = bottom + count - batch;
            flushedCount += batch;
        }
    }

    /** Over budget after a refill of {@code keep}: flushes the other bins, fullest in bytes first, until under. */
    private void shrinkBelowBudget(int keep) {
        while (cachedByteSize() > BYTE_BUDGET) {
            int fullest = -1;
            long fullestBytes = 0;
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                long bytes = (long) count(c) * SizeClasses.blockSize(c);
                if (c != keep && bytes > fullestBytes) {
                    fullest = c;
                    fullestBytes = bytes;
                }
            }
            if (fullest < 0) {
                return;
            }
            int count = count(fullest);
            icc.flush(shard(), fullest, bins, ThreadCacheLayout.bottom(fullest) + 1, count);
            bins[TOP_INDEX + fullest] = ThreadCacheLayout.bottom(fullest);
            flushedCount += count;
        }
    }

    private IllegalStateException broken(int classIndex, String detail) {
        return new IllegalStateException("broken thread cache: threadId=" + threadId + " classIndex=" + classIndex
                + " " + detail);
    }
}
