package io.tinyalloc.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The registry of a heap's {@link ThreadCache}s and the thread table that the heap's fast paths
 * use to find the calling thread's bins.
 *
 * <p>Finding a thread's cache: {@code table[threadId & TABLE_MASK]} holds the bin array of the
 * thread that owns that slot, or {@link ThreadCacheLayout#unowned()}; a fast path compares the
 * array's OWNER_ID with its own thread id and, on a match, uses it. That is two dependent loads
 * after {@code Thread.currentThread()}, against about six for a {@code ThreadLocal}. Thread ids
 * are never reused, so a stale or foreign array never matches. A thread whose slot is held by
 * another live thread (ids 4096 apart) keeps its cache in a {@code ThreadLocal} and takes the
 * slow path, retrying the slot on each refill and flush.
 *
 * <p>Thread exit: Java has no thread-exit hook, so each cache remembers its thread weakly. A
 * cache whose thread has terminated is reclaimed (drained into the ICC, counters kept, slot
 * freed) when the registry doubles in size since the last sweep, when a new thread wants its slot,
 * and on every {@link #trim} and {@link #sweep}. Before any of that, a new thread takes over a
 * dead thread's cache whole, blocks and bin array included ({@link #adoptLocked}). The dead
 * thread touches nothing any more, and {@code isAlive() == false} happens-after everything it
 * did, so there is no race.
 *
 * <p>Trim of live threads: another thread's bins cannot be touched safely, so {@link #trim} bumps
 * an epoch that each cache checks on its next refill or flush and then drains itself. A thread
 * that never comes back keeps at most its capacity-bounded bins (see {@link ThreadCacheLayout}).
 *
 * <p>Invariants (under this lock): every registered cache is open; slotOwners[s] is registered and
 * table[s] == slotOwners[s].bins, or slotOwners[s] == null and table[s] == unowned.
 * Lock order: this, then ICC shard locks, then class locks.
 */
final class ThreadCaches {

    static final int TABLE_LENGTH = 4096;
    static final int TABLE_MASK = TABLE_LENGTH - 1;
    /** The registry is swept for dead threads each time it reaches this size, then twice its live size. */
    static final int MIN_SWEEP_SIZE = 64;
    /** A new thread looks for a dead thread's cache to take over among at most this many of the newest caches. */
    static final int ADOPTION_SCAN = 64;

    /** Read by the heap's fast paths without a lock; written under this lock. */
    final long[][] table = new long[TABLE_LENGTH][];
    private final ThreadCache[] slotOwners = new ThreadCache[TABLE_LENGTH];
    /**
     * The thread-local map holds a {@link Slot}, not the cache itself: a cache reaches this
     * registry (and through it the whole heap), so a map entry holding it would keep a closed
     * heap reachable from every thread that ever used it. close() empties every slot instead.
     */
    private final ThreadLocal<Slot> local = new ThreadLocal<>();
    private final Map<ThreadCache, Slot> slotOf = new IdentityHashMap<>();
    private final List<ThreadCache> caches = new ArrayList<>();
    private final InterConnectCache icc;
    private final boolean useTable;
    private volatile int epoch;
    /** The last quiescence epoch requested ({@link #requestQuiescence}). */
    private volatile long quiesceEpoch;
    private int sweepAtSize = MIN_SWEEP_SIZE;
    private long retiredMallocCount;
    private long retiredFreeCount;
    private long retiredMissCount;
    private long retiredOverflowCount;
    private long reclaimedCount;
    /** Dead threads' caches taken over by new threads (counted in reclaimedCount too). */
    private long adoptedCount;
    private boolean closed;
    /** Caches ever registered: the next one's home shard is this count modulo the shard count. */
    private long registeredCount;

    /**
     * @param useTable false to keep every cached operation on the slow path (a heap that zeroes
     *                 freed blocks does it there)
     */
    ThreadCaches(InterConnectCache icc, boolean useTable) {
        this.icc = icc;
        this.useTable = useTable;
        Arrays.fill(table, ThreadCacheLayout.unowned());
    }

    /** A thread table in which no thread owns a slot: the heap's when its thread cache is off. */
    static long[][] unownedTable() {
        long[][] table = new long[TABLE_LENGTH][];
        Arrays.fill(table, ThreadCacheLayout.unowned());
        return table;
    }

    /** The calling platform thread's cache, created on first use; null once the heap is closed. */
    ThreadCache cacheOf(Thread thread) {
        ThreadCache cache = ownCache();
        if (cache != null) {
            return cache.isClosed() ? null : cache;
        }
        return register(thread);
    }

    int epoch() {
        return epoch;
    }

    long quiesceEpoch() {
        return quiesceEpoch;
    }

    /**
     * Asks every live cache to pass a new quiescence epoch: to drop its segment memo on its next
     * slow path (refill or flush), by which time any fast path it was in has ended. The caller's
     * own cache passes it at once.
     *
     * @return the epoch to wait for with {@link #isQuiescent}
     */
    long requestQuiescence(Thread caller) {
        long requested;
        synchronized (this) {
            requested = ++quiesceEpoch;
        }
        passQuiescence(caller);
        return requested;
    }

    /**
     * The calling platform thread passes the requested quiescence epoch if its cache has not yet:
     * called on every slow path of the heap, so that a thread that only uses sizes the caches do
     * not serve (its refills and flushes never run) still lets retiring arenas go.
     */
    void passQuiescence(Thread thread) {
        long requested = quiesceEpoch;
        if (requested == 0 || thread.isVirtual()) {
            return;
        }
        ThreadCache own = ownCache();
        if (own != null && !own.isClosed() && own.quiescedEpoch() != requested) {
            own.quiesce(requested);
        }
    }

    /**
     * True if every live cache whose memo a fast path can read (it holds its table slot) has
     * passed {@code requestedEpoch}; dead threads' caches are reclaimed first.
     */
    synchronized boolean isQuiescent(long requestedEpoch) {
        sweepLocked();
        for (ThreadCache cache : caches) {
            if (cache.quiescedEpoch() < requestedEpoch && table[slot(cache)] == cache.bins) {
                return false;
            }
        }
        return true;
    }

    /** Puts {@code cache} in its table slot if it is not there yet and the slot is free or its holder dead. */
    void tryInstall(ThreadCache cache) {
        if (useTable && table[slot(cache)] != cache.bins) {
            synchronized (this) {
                if (!closed && !cache.isClosed()) {
                    installLocked(cache);
                }
            }
        }
    }

    /**
     * Drains the calling thread's cache, reclaims dead threads' caches and tells the live ones to
     * drain on their next slow path.
     *
     * @return blocks given back
     */
    long trim(Thread caller) {
        long drained = 0;
        ThreadCache own = caller.isVirtual() ? null : ownCache();
        if (own != null && !own.isClosed()) {
            drained += own.drain();
        }
        synchronized (this) {
            epoch++;
            return drained + sweepLocked();
        }
    }

    /** Reclaims the caches of dead threads; returns the blocks they gave back. */
    synchronized long sweep() {
        return sweepLocked();
    }

    /** Adds each class's entry count over every cache to {@code counts[c]} (other threads' counts may be stale). */
    synchronized void addCachedCounts(long[] counts) {
        for (ThreadCache cache : caches) {
            for (int c = 0; c < counts.length; c++) {
                counts[c] += cache.count(c);
            }
        }
    }

    synchronized long mallocCount() {
        return sum(retiredMallocCount, ThreadCache::mallocCount);
    }

    synchronized long freeCount() {
        return sum(retiredFreeCount, ThreadCache::freeCount);
    }

    synchronized long missCount() {
        return sum(retiredMissCount, ThreadCache::missCount);
    }

    synchronized long overflowCount() {
        return sum(retiredOverflowCount, ThreadCache::overflowCount);
    }

    synchronized long cachedByteSize() {
        return sum(0, ThreadCache::cachedByteSize);
    }

    /** {@code start} plus one counter over the live caches; callers hold this monitor. */
    private long sum(long start, ToLongFunction<ThreadCache> counter) {
        long total = start;
        for (ThreadCache cache : caches) {
            total += counter.applyAsLong(cache);
        }
        return total;
    }

    /** Caches registered and not yet reclaimed. */
    synchronized int cacheCount() {
        return caches.size();
    }

    /** Caches of dead threads reclaimed so far. */
    synchronized long reclaimedCount() {
        return reclaimedCount;
    }

    /** Dead threads' caches taken over by new threads so far. */
    synchronized long adoptedCount() {
        return adoptedCount;
    }

    /** Calls {@code action} with every entry of every cache (the caller holds off their owners). */
    synchronized void forEachEntry(CacheShard.EntryConsumer action) {
        for (ThreadCache cache : caches) {
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                for (int i = ThreadCacheLayout.bottom(c) + 1, top = i + cache.count(c); i < top; i++) {
                    action.accept(c, cache.bins[i]);
                }
            }
        }
    }

    /** Disowns every cache without draining it (the heap is about to unmap everything). */
    synchronized void close() {
        closed = true;
        for (ThreadCache cache : caches) {
            cache.close();
        }
        caches.clear();
        for (Slot slot : slotOf.values()) {
            slot.cache = null;
        }
        slotOf.clear();
        Arrays.fill(table, ThreadCacheLayout.unowned());
        Arrays.fill(slotOwners, null);
        local.remove();
    }

    /**
     * Checks every cache and the table: cheap (bins' shape) or expensive (every entry; the caller
     * holds off the owners).
     *
     * @return true, for {@code assert caches.check(false)}
     */
    synchronized boolean check(boolean expensive) {
        for (ThreadCache cache : caches) {
            cache.check(expensive);
        }
        for (int s = 0; s < TABLE_LENGTH; s++) {
            long[] expected = slotOwners[s] == null ? ThreadCacheLayout.unowned() : slotOwners[s].bins;
            if (table[s] != expected || (slotOwners[s] != null && !caches.contains(slotOwners[s]))) {
                throw new IllegalStateException("thread table slot " + s + " does not match its owner: owner="
                        + (slotOwners[s] == null ? "none" : "threadId " + slotOwners[s].threadId()));
            }
        }
        return true;
    }

    // ---- slow paths ---------------------------------------------------------------------------

    private synchronized ThreadCache register(Thread thread) {
        if (closed) {
            return null;
        }
        ThreadCache cache = registeredLocked(thread);
        if (cache == null) {
            cache = adoptLocked(thread);
            if (cache == null) {
                if (caches.size() >= sweepAtSize) {
                    sweepLocked();
                    sweepAtSize = Math.max(MIN_SWEEP_SIZE, 2 * caches.size());
                }
                cache = new ThreadCache(thread, nextHomeShard(), icc, this);
            }
            caches.add(cache);
        }
        if (useTable) {
            installLocked(cache);
        }
        Slot slot = local.get();
        if (slot == null) {
            slot = new Slot();
            local.set(slot);
        }
        slot.cache = cache;
        slotOf.put(cache, slot);
        return cache;
    }

    /**
     * The cache {@code thread} registered before, if it lost its thread-local slot while alive:
     * threads of the common ForkJoinPool clear every ThreadLocal each time they go idle. A second
     * cache would leave the first in the table, serving the fast paths but never running
     * housekeeping again (no trim drain, no quiescence: empty arenas would stay mapped), and each
     * idle cycle would add another. Thread ids are never reused, so a match is this thread's.
     */
    private ThreadCache registeredLocked(Thread thread) {
        for (ThreadCache cache : caches) {
            if (cache.threadId() == thread.threadId()) {
                return cache;
            }
        }
        return null;
    }

    private int nextHomeShard() {
        return (int) (registeredCount++ % icc.shardCount());
    }

    /**
     * A cache for {@code thread} made of a dead thread's bins, blocks included, or null if none of
     * the newest {@link #ADOPTION_SCAN} caches is a dead thread's. Thread churn (a pool replacing
     * its workers, a thread per task) then reuses warm bins instead of stranding the dead thread's
     * blocks until the next sweep and refilling new bins from the ICC: mstress, whose rounds each
     * start new threads, went from 12.7 to 8.0 s for 1,500 runs (mimalloc 7.4-9.1 s) and from 180 to
     * 146 MiB peak RSS. A cache that missed a trim request
     * (its epoch is old) is drained instead, by the sweeps, as before.
     */
    private ThreadCache adoptLocked(Thread thread) {
        for (int i = caches.size() - 1, last = Math.max(0, caches.size() - ADOPTION_SCAN); i >= last; i--) {
            ThreadCache dead = caches.get(i);
            if (dead.epoch() == epoch && dead.isOwnerDead()) {
                caches.set(i, caches.getLast());
                caches.removeLast();
                retireLocked(dead);
                adoptedCount++;
                return new ThreadCache(thread, nextHomeShard(), dead);
            }
        }
        return null;
    }

    private ThreadCache ownCache() {
        Slot slot = local.get();
        return slot == null ? null : slot.cache;
    }

    /** What the calling thread's thread-local map holds for this registry. */
    private static final class Slot {
        ThreadCache cache;
    }

    private void installLocked(ThreadCache cache) {
        int slot = slot(cache);
        ThreadCache holder = slotOwners[slot];
        if (holder == cache) {
            return;
        }
        if (holder != null) {
            if (!holder.isOwnerDead()) {
                return;
            }
            caches.remove(holder);
            reclaimLocked(holder);
        }
        slotOwners[slot] = cache;
        table[slot] = cache.bins;
    }

    private long sweepLocked() {
        long drained = 0;
        for (int i = caches.size() - 1; i >= 0; i--) {
            ThreadCache cache = caches.get(i);
            if (cache.isOwnerDead()) {
                caches.set(i, caches.getLast());
                caches.removeLast();
                drained += reclaimLocked(cache);
            }
        }
        return drained;
    }

    /** A dead thread's cache, already out of the registry: free its slot, drain it, keep its counters. */
    private long reclaimLocked(ThreadCache cache) {
        long drained = cache.drain();
        retireLocked(cache);
        cache.close();
        return drained;
    }

    /** A dead thread's cache leaves: its table slot is freed and its counters are kept. */
    private void retireLocked(ThreadCache cache) {
        slotOf.remove(cache);
        int slot = slot(cache);
        if (slotOwners[slot] == cache) {
            slotOwners[slot] = null;
            table[slot] = ThreadCacheLayout.unowned();
        }
        retiredMallocCount += cache.mallocCount();
        retiredFreeCount += cache.freeCount();
        retiredMissCount += cache.missCount();
        retiredOverflowCount += cache.overflowCount();
        reclaimedCount++;
    }

    private static int slot(ThreadCache cache) {
        return (int) cache.threadId() & TABLE_MASK;
    }
}
