package io.tinyalloc.core;

/**
 * How free committed memory is given back to the kernel once its purge delay has passed.
 *
 * <p>{@link #DONTNEED} ({@code MADV_DONTNEED}) drops the pages at once: RSS falls now, and the
 * next touch takes a page fault and a zeroed page. {@link #FREE} ({@code MADV_FREE}) lets the
 * kernel take the pages only when it needs memory: cheaper when the memory is soon reused, but RSS
 * stays high until there is pressure, or until {@link Heap#trim()} or {@link Heap#close()}, which
 * drop such pages at once ({@code MADV_DONTNEED}). Either way the range stays mapped read-write, so reusing it
 * needs no system call, and the heap counts it as no longer committed.
 */
public enum PurgeMode {
    DONTNEED,
    FREE
}
