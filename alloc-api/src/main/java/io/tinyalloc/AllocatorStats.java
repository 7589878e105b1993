package io.tinyalloc;

/**
 * A snapshot of an {@link Allocator}'s counters. The counters are read one after the other while
 * other threads may allocate, so under concurrency the values need not be consistent with each
 * other; taken while no thread allocates or frees, they are exact.
 *
 * @param liveCount blocks allocated and not yet freed
 * @param liveBytes the sum of the {@linkplain Allocator#usableSize usable sizes} of the live blocks
 * @param committedBytes memory mapped readable and writable (the most the process's RSS can owe
 *        to this allocator)
 * @param reservedBytes address space reserved, committed or not
 * @param cachedBytes free bytes held in committed memory, ready for reuse without a system call
 * @param segmentCount segments (1 MiB spans of small blocks) in use
 * @param largeCount large blocks (each with its own mapping) live
 * @param mallocCount blocks allocated since the allocator was created
 * @param freeCount blocks freed since the allocator was created
 * @param purgedBytes memory given back to the operating system with madvise since creation
 * @param releasedBytes address space unmapped since creation (committed or not)
 * @param trimPasses passes of the trim thread plus {@link Allocator#trim()} calls
 * @param lastPassNanos how long the last such pass took, in nanoseconds
 * @param failedKernelCalls madvise/munmap calls the kernel refused (the memory stays counted and
 *        is retried later)
 */
public record AllocatorStats(long liveCount, long liveBytes, long committedBytes, long reservedBytes,
                             long cachedBytes, long segmentCount, long largeCount, long mallocCount,
                             long freeCount, long purgedBytes, long releasedBytes, long trimPasses,
                             long lastPassNanos, long failedKernelCalls) {

    /** The counters before the trim policy existed; the trim counters are 0. */
    public AllocatorStats(long liveCount, long liveBytes, long committedBytes, long reservedBytes, long cachedBytes,
                          long segmentCount, long largeCount, long mallocCount, long freeCount) {
        this(liveCount, liveBytes, committedBytes, reservedBytes, cachedBytes, segmentCount, largeCount, mallocCount,
                freeCount, 0, 0, 0, 0, 0);
    }
}
