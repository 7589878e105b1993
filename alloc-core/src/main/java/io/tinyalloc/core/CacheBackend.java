package io.tinyalloc.core;

/**
 * What stands behind the caches for one size class: where batches of free blocks come from and
 * go back to, as {@link CacheEntry} values. {@link ClassQueue} is the real one (the segments);
 * tests of the cache structures use an on-heap stand-in.
 */
interface CacheBackend {

    /**
     * Writes up to {@code count} free blocks, marked CACHED, to {@code entries[offset..]}, for a
     * cache of {@code lane} (its ICC shard): a backend may keep lanes' blocks apart.
     *
     * @return how many: at least 1
     * @throws HeapExhaustedException if not even one block could be had
     */
    int allocateCached(int lane, long[] entries, int offset, int count);

    /** {@link #allocateCached(int, long[], int, int)} for lane 0. */
    default int allocateCached(long[] entries, int offset, int count) {
        return allocateCached(0, entries, offset, count);
    }

    /**
     * Takes back the cached blocks {@code entries[offset .. offset+count)}.
     *
     * @return how many entries were refused as not being cached blocks (0 normally)
     */
    int freeCached(long[] entries, int offset, int count);
}
