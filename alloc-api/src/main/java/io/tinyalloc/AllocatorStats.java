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
 */
public record AllocatorStats(long liveCount, long liveBytes, long committedBytes, long reservedBytes,
                             long cachedBytes, long segmentCount, long largeCount, long mallocCount,
                             long freeCount) {
}
