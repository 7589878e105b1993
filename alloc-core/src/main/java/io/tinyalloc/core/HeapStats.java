package io.tinyalloc.core;

/**
 * A snapshot of a {@link Heap}'s counters. Each counter is read under the lock that guards it,
 * but different counters are read at slightly different moments, so a snapshot taken while other
 * threads allocate is consistent per counter, not across counters.
 *
 * @param liveCount      blocks allocated and not yet freed
 * @param liveBytes      usable bytes of the live blocks (block sizes, not requested sizes)
 * @param committedBytes bytes committed for segments and large blocks (what the memory limit counts)
 * @param reservedBytes  address space reserved for arenas and large blocks
 * @param cachedBytes    committed bytes that hold no live block: free blocks of formatted
 *                       segments, spare segments, freed large blocks kept for reuse
 * @param segmentCount   segments currently formatted for a size class
 * @param largeCount     live large blocks
 * @param mallocCount    blocks handed out since the heap was created
 * @param freeCount      blocks given back since the heap was created
 * @param purgedBytes    committed bytes given back with madvise (decommit or purge) since creation
 * @param releasedBytes  reserved bytes unmapped (munmap) since creation, committed or not
 * @param trimPasses     passes of the trim thread plus calls of {@link Heap#trim()}
 * @param lastPassNanos  how long the last such pass took
 * @param failedKernelCalls madvise/munmap calls the kernel refused; the memory stays counted and
 *                       is retried by later passes
 */
public record HeapStats(long liveCount, long liveBytes, long committedBytes, long reservedBytes,
                        long cachedBytes, long segmentCount, long largeCount,
                        long mallocCount, long freeCount, long purgedBytes, long releasedBytes,
                        long trimPasses, long lastPassNanos, long failedKernelCalls) {

    /** The counters before the trim policy existed; the trim counters are 0. */
    public HeapStats(long liveCount, long liveBytes, long committedBytes, long reservedBytes, long cachedBytes,
                     long segmentCount, long largeCount, long mallocCount, long freeCount) {
        this(liveCount, liveBytes, committedBytes, reservedBytes, cachedBytes, segmentCount, largeCount, mallocCount,
                freeCount, 0, 0, 0, 0, 0);
    }
}
