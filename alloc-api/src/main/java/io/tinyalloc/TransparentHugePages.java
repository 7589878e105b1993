package io.tinyalloc;

/** What the allocator asks of transparent huge pages for its arenas and large blocks (2 MiB and up). */
public enum TransparentHugePages {
    /** No advice: the system's setting decides (the default). */
    DEFAULT,
    /** Align to the huge page size and advise {@code MADV_HUGEPAGE}: fewer TLB misses, coarser RSS. */
    FORCE,
    /** Advise {@code MADV_NOHUGEPAGE}: RSS follows frees closely. */
    DISABLE
}
