/**
 * The allocator's engine, used by the public API in {@code io.tinyalloc} (the only module this
 * package is exported to).
 *
 * <p>Map of the package: {@link io.tinyalloc.core.Heap} is the facade. Small requests go through
 * {@link io.tinyalloc.core.SizeClasses} to a per-class {@code ClassQueue} (lock, segment lists),
 * whose segments ({@code Segment}, laid out by {@link io.tinyalloc.core.SegmentLayout}) are carved
 * from {@code Arenas}; large requests become {@code LargeBlocks} with on-heap metadata, resized by
 * {@code LargeResizer}. The {@code PageMap} maps every address to its owner for validation, and
 * {@code VirtualMemory} is the only door to the kernel, with the memory and reservation limits.
 *
 * <p>In front of the size classes sit the caches: a {@code ThreadCache} per platform thread (its
 * bins laid out by {@code ThreadCacheLayout}, found through the {@code ThreadCaches} thread
 * table), and behind them the per-CPU {@code InterConnectCache} of {@code CacheShard}s, which
 * virtual threads use directly. Cached blocks travel as {@code CacheEntry} values and are marked
 * CACHED in their segments, so every fault is still detected while a block sits in a cache;
 * {@link io.tinyalloc.core.CacheStats} reports on them.
 */
package io.tinyalloc.core;
