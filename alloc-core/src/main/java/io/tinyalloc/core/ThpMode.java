package io.tinyalloc.core;

/**
 * What the heap asks of transparent huge pages for its arenas and large blocks.
 *
 * <ul>
 *   <li>{@link #DEFAULT}: no advice; the system setting decides;</li>
 *   <li>{@link #FORCE}: arenas and large reservations of at least a huge page are aligned to the
 *       huge page size and advised {@code MADV_HUGEPAGE} (fewer TLB misses, coarser RSS);</li>
 *   <li>{@link #DISABLE}: the same ranges are advised {@code MADV_NOHUGEPAGE}, so a purge of
 *       1 MiB never has to split a huge page and RSS follows frees closely.</li>
 * </ul>
 * The advice is a hint: a kernel that refuses it (or has no THP) is counted as a failed kernel
 * call and otherwise ignored.
 */
public enum ThpMode {
    DEFAULT,
    FORCE,
    DISABLE
}
