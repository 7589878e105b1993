package io.tinyalloc.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One pass of the trim policy over a heap: gives back memory that has been free for the purge
 * delay (decay), and everything free at once under memory pressure or on {@link Heap#trim()}.
 *
 * <pre>
 *  caches     dead threads' caches reclaimed; a new trim epoch each delay (live threads drain
 *             idle bins on their next slow path); the ICC drained once the caches were idle for
 *             a whole pass interval
 *  classes    a class whose activity count has not moved for a delay retires its empty segments,
 *             aged from when it went idle
 *  pages      partial and empty segments that have had blocks freed into them for a delay give
 *             back the pages of their free blocks (SegmentPurge), 4 segments per lock hold; the
 *             segment a class allocates from, and segments more than half in use, only once the
 *             class is idle
 *  arenas     spare segments older than the delay purged (MADV_DONTNEED or MADV_FREE), 16 per
 *             lock hold
 *  large      cached large blocks older than the delay unmapped; blocks evicted from the cache
 *             unmapped at once (the trim thread is also woken for them between passes)
 *  reservations  arenas (but the first) empty for the delay unmapped once no thread can reach them
 *             (see {@link Arenas}: retiring, quiescence epoch, slow readers)
 *  kernel     releases the kernel refused earlier retried; refused purges stay spare, retried
 * </pre>
 *
 * <p>The trim threshold: while spare segments and cached large blocks add up to no more than
 * {@link TrimConfig#trimThresholdBytes()}, none of them is purged for age (pressure and trim()
 * still purge). Pages inside partly used segments are not held to the threshold: they cannot
 * serve another size class, and a segment is rescanned only after new frees into it, aged by the
 * delay, so purging them for age costs no churn the threshold would have to prevent. Idleness is observed, not stamped: a pass compares each class's activity count with the
 * previous pass, so no allocation path ever reads the clock. The last activity lies between the
 * previous pass and this one; decay takes the earlier end, so memory may be purged up to one pass
 * interval (at most a quarter of the delay) early rather than late: RSS then falls within delay +
 * interval of the last free, even when it went through a cache first.
 *
 * <p>Never stops the world: each step takes only the lock of the structure it trims, and the
 * arenas' lock for at most {@link #SEGMENTS_PER_LOCK_HOLD} kernel calls. Passes run on the trim
 * thread, or on a thread calling trim(); {@code synchronized} keeps two passes from interleaving
 * their bookkeeping.
 */
final class Decay {

    static final int SEGMENTS_PER_LOCK_HOLD = 16;
    /** 1 GiB of segments per pass: a huge free is given back over a few passes, never in one long one. */
    static final int MAX_SEGMENTS_PER_PASS = 1024;
    /** Partly used segments scanned and purged per pass of the trim thread, over all classes. */
    static final int MAX_PARTIAL_PURGES_PER_PASS = 1024;

    private final ClassQueue[] queues;
    private final Arenas arenas;
    private final LargeBlocks large;
    private final VirtualMemory memory;
    private final ThreadCaches caches;
    private final InterConnectCache icc;
    private final SlowReaders slowReaders;
    private final TrimConfig config;
    private final LongSupplier clock;
    /** Whether the system is short of memory: {@link MemoryPressure#isHigh()}, replaceable for tests. */
    private volatile BooleanSupplier pressure = MemoryPressure::isHigh;
    private final long[] lastActivity = new long[SizeClasses.COUNT];
    private final long[] activeAtNanos = new long[SizeClasses.COUNT];
    private long lastCacheActivity = -1;
    private long cacheActiveAtNanos;
    private long lastEpochNanos;
    private long previousPassNanos;
    private final AtomicLong passCount = new AtomicLong();
    private volatile long lastPassNanos;

    Decay(ClassQueue[] queues, Arenas arenas, LargeBlocks large, VirtualMemory memory, ThreadCaches caches,
          InterConnectCache icc, SlowReaders slowReaders, TrimConfig config, LongSupplier clock) {
        this.queues = queues;
        this.arenas = arenas;
        this.large = large;
        this.memory = memory;
        this.caches = caches;
        this.icc = icc;
        this.slowReaders = slowReaders;
        this.config = config;
        this.clock = clock;
        long now = clock.getAsLong();
        java.util.Arrays.fill(activeAtNanos, now);
        this.cacheActiveAtNanos = now;
        this.lastEpochNanos = now;
        this.previousPassNanos = now;
    }

    /**
     * A pass of the trim thread: what has aged, or everything under memory pressure.
     *
     * @return committed bytes given back
     */
    long pass() {
        return run(pressure.getAsBoolean());
    }

    /** Replaces the memory-pressure probe (tests simulate a system short of memory). */
    void setPressureProbe(BooleanSupplier probe) {
        this.pressure = java.util.Objects.requireNonNull(probe, "probe");
    }

    /** Purges everything free now, whatever its age, in the configured purge mode. */
    long purgeAll() {
        return run(true);
    }

    /** Unmaps the large blocks evicted for the trim thread ({@link LargeBlocks#releaseInBackground}). */
    long releaseEvicted() {
        return large.releasePending();
    }

    long passCount() {
        return passCount.get();
    }

    long lastPassNanos() {
        return lastPassNanos;
    }

    /**
     * For trim(): gives back the pages of every free block in partly used segments now, in the
     * configured purge mode.
     *
     * @return bytes given back
     */
    long purgeAllPartial() {
        long bytes = 0;
        for (ClassQueue queue : queues) {
            bytes += queue.purgeAllPartial().byteSize();
        }
        return bytes;
    }

    /** Counts a pass made elsewhere (trim() drains the caches itself, then calls {@link #purgeAll}). */
    void recordPass(long startNanos) {
        passCount.incrementAndGet();
        lastPassNanos = clock.getAsLong() - startNanos;
    }

    private synchronized long run(boolean everything) {
        long now = clock.getAsLong();
        large.observeClock(now);
        long cutoff = everything ? now : now - config.purgeDelayNanos();
        if (!everything) {
            trimCaches(now, cutoff);
        }
        retireIdleClasses(now, cutoff, everything);
        long bytes = purgePartial(now, cutoff, everything);
        long freeCommitted = ((long) arenas.spareCount() << SegmentLayout.SEGMENT_SHIFT) + large.cacheBytes();
        if (everything || freeCommitted > config.trimThresholdBytes()) {
            bytes += purgeArenas(cutoff) + large.releaseAged(cutoff);
        }
        bytes += large.releasePending();
        previousPassNanos = now;
        long wallNow = System.nanoTime();
        releaseArenas(everything ? wallNow : wallNow - config.purgeDelayNanos());
        return bytes + memory.retryDeferredReleases();
    }

    /**
     * Unmaps the arenas (but the first) that have had no occupied slot since
     * {@code emptyBeforeNanos} (System.nanoTime), in the steps {@link Arenas} describes: mark
     * them retiring, request a quiescence epoch, and unmap once every live thread cache has
     * passed it and no slow-path reader is active. An arena whose wait is not over is retried by
     * later passes.
     *
     * @return the reserved bytes unmapped now
     */
    synchronized long releaseArenas(long emptyBeforeNanos) {
        if (arenas.markRetiring(emptyBeforeNanos)) {
            arenas.assignEpoch(caches == null ? 0 : caches.requestQuiescence(Thread.currentThread()));
        }
        long epoch = arenas.retiringEpoch();
        if (epoch < 0 || (caches != null && !caches.isQuiescent(epoch)) || !slowReaders.isQuiet()) {
            return 0;
        }
        return arenas.releaseRetiring(epoch);
    }

    /**
     * Dead threads' caches back; a new epoch per delay; the ICC drained once no cache has refilled
     * or flushed for a whole pass interval (the heap's caches are idle: keeping their blocks
     * helps no one). Segments these drains empty are backdated to when the caches were last seen
     * active: a dead thread's blocks are free since before the previous pass at the latest.
     */
    private void trimCaches(long now, long cutoff) {
        if (caches == null) {
            return;
        }
        long sweptAt = clock.getAsLong();
        if (now - lastEpochNanos >= config.purgeDelayNanos()) {
            caches.trim(Thread.currentThread());
            lastEpochNanos = now;
        } else {
            caches.sweep();
        }
        arenas.backdate(sweptAt, previousPassNanos);
        long activity = icc.mallocCount() + icc.freeCount() + caches.missCount() + caches.overflowCount();
        if (activity != lastCacheActivity) {
            lastCacheActivity = activity;
            cacheActiveAtNanos = previousPassNanos;
        } else {
            long drainedAt = clock.getAsLong();
            icc.drain();
            arenas.backdate(drainedAt, cacheActiveAtNanos);
        }
    }

    private void retireIdleClasses(long now, long cutoff, boolean everything) {
        for (int c = 0; c < queues.length; c++) {
            long activity = queues[c].activityCount();
            if (activity != lastActivity[c]) {
                lastActivity[c] = activity;
                activeAtNanos[c] = previousPassNanos;
                if (!everything) {
                    continue;
                }
            }
            if ((everything || activeAtNanos[c] - cutoff <= 0) && queues[c].hasEmptySegments()) {
                queues[c].trim(everything ? now : activeAtNanos[c]);
            }
        }
    }

    /** Pages of free blocks in partly used segments, after {@link #retireIdleClasses} set the classes' idleness. */
    private long purgePartial(long now, long cutoff, boolean everything) {
        long bytes = 0;
        int budget = everything ? Integer.MAX_VALUE : MAX_PARTIAL_PURGES_PER_PASS;
        for (int c = 0; c < queues.length && budget > 0; c++) {
            boolean idle = everything || activeAtNanos[c] - cutoff <= 0;
            ClassQueue.Purged purged = everything ? queues[c].purgeAllPartial()
                    : queues[c].purgePartial(now, cutoff, idle, budget);
            bytes += purged.byteSize();
            budget -= purged.segmentCount();
        }
        return bytes;
    }

    private long purgeArenas(long cutoff) {
        long bytes = 0;
        long batchBytes = (long) SEGMENTS_PER_LOCK_HOLD << SegmentLayout.SEGMENT_SHIFT;
        for (int hold = 0; hold < MAX_SEGMENTS_PER_PASS / SEGMENTS_PER_LOCK_HOLD; hold++) {
            long purged = arenas.purgeAged(cutoff, SEGMENTS_PER_LOCK_HOLD);
            bytes += purged;
            if (purged < batchBytes) {
                break;
            }
        }
        return bytes;
    }
}
