package io.tinyalloc.core;

/** Mutable sums while a {@link HeapStats} snapshot is collected; confined to one thread. */
final class StatsTotals {
    long liveCount;
    long liveBytes;
    long cachedBytes;
    long segmentCount;
    long largeCount;
    long mallocCount;
    long freeCount;
}
