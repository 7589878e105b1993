package io.tinyalloc.core;

/**
 * Settings of one {@link Heap}. The API layer validates user input first; the checks here guard
 * the heap's own assumptions and name the offending value.
 *
 * @param maxMemoryBytes      cap on committed bytes (segments + large blocks); {@code Long.MAX_VALUE}
 *                            means unlimited
 * @param maxReservationBytes cap on reserved address space (arenas + large reservations)
 * @param arenaByteSize       size of one arena reservation: a multiple of
 *                            {@link SegmentLayout#SEGMENT_SIZE}; an arena is made smaller when
 *                            the reservation cap leaves less room
 * @param zeroOnFree          clear blocks when they are freed (used by the hardening issue; kept
 *                            here so the configuration does not change shape)
 * @param threadCache         serve blocks up to 32 KiB
 *                            through per-thread caches and the InterConnect Cache; false sends
 *                            every malloc and free to the size-class locks (for comparison and
 *                            for programs that want no cached memory at all)
 * @param trim                the trim policy: trim thread, purge delay and mode, trim threshold,
 *                            transparent huge pages. The constructors without it and
 *                            {@link #defaults()} use {@link TrimConfig#manual()} (no background
 *                            thread: a bare heap in a test stays deterministic); the API layer
 *                            turns the thread on by default.
 */
public record HeapConfig(long maxMemoryBytes, long maxReservationBytes, long arenaByteSize, boolean zeroOnFree,
                         boolean threadCache, TrimConfig trim) {

    /** 1 GiB: 1024 segments per arena, one reservation for most programs. */
    public static final long DEFAULT_ARENA_BYTE_SIZE = 1L << 30;
    /**
     * 16 TiB: far above any realistic heap, far below the 128 TiB of a 47-bit user address space,
     * so a runaway program hits this limit with a clear message before the kernel says ENOMEM.
     */
    public static final long DEFAULT_MAX_RESERVATION_BYTES = 1L << 44;
    /** Largest arena: 2^20 segment slots keeps the arena's slot bitmaps at 128 KiB each. */
    public static final long MAX_ARENA_BYTE_SIZE = 1L << 40;

    public HeapConfig {
        java.util.Objects.requireNonNull(trim, "trim");
        if (maxMemoryBytes <= 0) {
            throw new IllegalArgumentException("maxMemoryBytes must be positive: maxMemoryBytes=" + maxMemoryBytes);
        }
        if (maxReservationBytes < SegmentLayout.SEGMENT_SIZE) {
            throw new IllegalArgumentException("maxReservationBytes must be at least one segment: maxReservationBytes="
                    + maxReservationBytes + " segmentSize=" + SegmentLayout.SEGMENT_SIZE);
        }
        if (arenaByteSize < SegmentLayout.SEGMENT_SIZE || arenaByteSize > MAX_ARENA_BYTE_SIZE
                || (arenaByteSize & SegmentLayout.SEGMENT_MASK) != 0) {
            throw new IllegalArgumentException("arenaByteSize must be a multiple of the segment size in ["
                    + SegmentLayout.SEGMENT_SIZE + ", " + MAX_ARENA_BYTE_SIZE + "]: arenaByteSize=" + arenaByteSize);
        }
    }

    /** The settings before the thread cache existed, with the thread cache on (the default). */
    public HeapConfig(long maxMemoryBytes, long maxReservationBytes, long arenaByteSize, boolean zeroOnFree) {
        this(maxMemoryBytes, maxReservationBytes, arenaByteSize, zeroOnFree, true);
    }

    /** The settings before the trim policy existed: no trim thread. */
    public HeapConfig(long maxMemoryBytes, long maxReservationBytes, long arenaByteSize, boolean zeroOnFree,
                      boolean threadCache) {
        this(maxMemoryBytes, maxReservationBytes, arenaByteSize, zeroOnFree, threadCache, TrimConfig.manual());
    }

    /** Unlimited memory, a 16 TiB reservation cap, 1 GiB arenas, no zeroing, thread cache on. */
    public static HeapConfig defaults() {
        return new HeapConfig(Long.MAX_VALUE, DEFAULT_MAX_RESERVATION_BYTES, DEFAULT_ARENA_BYTE_SIZE, false, true,
                TrimConfig.manual());
    }

    public HeapConfig withMaxMemoryBytes(long bytes) {
        return new HeapConfig(bytes, maxReservationBytes, arenaByteSize, zeroOnFree, threadCache, trim);
    }

    public HeapConfig withMaxReservationBytes(long bytes) {
        return new HeapConfig(maxMemoryBytes, bytes, arenaByteSize, zeroOnFree, threadCache, trim);
    }

    public HeapConfig withArenaByteSize(long bytes) {
        return new HeapConfig(maxMemoryBytes, maxReservationBytes, bytes, zeroOnFree, threadCache, trim);
    }

    public HeapConfig withZeroOnFree(boolean zero) {
        return new HeapConfig(maxMemoryBytes, maxReservationBytes, arenaByteSize, zero, threadCache, trim);
    }

    public HeapConfig withThreadCache(boolean enabled) {
        return new HeapConfig(maxMemoryBytes, maxReservationBytes, arenaByteSize, zeroOnFree, enabled, trim);
    }

    public HeapConfig withTrim(TrimConfig trimConfig) {
        return new HeapConfig(maxMemoryBytes, maxReservationBytes, arenaByteSize, zeroOnFree, threadCache, trimConfig);
    }
}
