package io.tinyalloc.core;

/**
 * A snapshot of a {@link Heap}'s caches ({@link Heap#cacheStats()}): the thread caches and the
 * InterConnect Cache. Other threads' counters are read without stopping them, so while they run
 * the values are a little stale; with no thread allocating they are exact.
 *
 * @param threadCacheCount   thread caches registered (live threads, and dead ones not yet reclaimed)
 * @param reclaimedCount     caches of dead threads reclaimed since the heap was created
 * @param threadCachedBytes  bytes of free blocks held by thread caches
 * @param sharedCachedBytes  bytes of free blocks held by the InterConnect Cache's shards
 * @param hitCount           cached mallocs served from the thread's own bin
 * @param missCount          cached mallocs that found the bin empty and refilled it
 * @param overflowCount      cached frees that found the bin full and flushed half of it
 * @param sharedMallocCount  mallocs of threads without a thread cache (virtual threads), served by a shard
 * @param sharedFreeCount    frees of threads without a thread cache, into a shard
 * @param refusedCount       cache entries the segments refused on their way back (not CACHED:
 *                           only a racing double free in the program can cause one)
 */
public record CacheStats(long threadCacheCount, long reclaimedCount, long threadCachedBytes, long sharedCachedBytes,
                         long hitCount, long missCount, long overflowCount, long sharedMallocCount,
                         long sharedFreeCount, long refusedCount) {
}
