package io.tinyalloc;

/**
 * How the allocator gives free memory back to the operating system once it has stayed free for
 * the {@linkplain AllocatorBuilder#purgeDelay purge delay}.
 */
public enum PurgeMode {
    /** {@code MADV_DONTNEED}: the memory leaves the process at once; RSS falls now (the default). */
    DONTNEED,
    /**
     * {@code MADV_FREE}: the kernel takes the memory only when it needs it; cheaper when the
     * memory is soon reused, but RSS stays high until there is memory pressure, or until
     * {@link Allocator#trim()} or {@link Allocator#close()}, which drop such memory at once.
     */
    FREE
}
