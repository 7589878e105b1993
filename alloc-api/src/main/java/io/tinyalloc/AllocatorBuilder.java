package io.tinyalloc;

import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.core.SegmentLayout;
import io.tinyalloc.core.ThpMode;
import io.tinyalloc.core.TrimConfig;
import io.tinyalloc.sys.Mapper;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and builds an independent {@link Allocator}: its own memory, its own limits, closed
 * by its owner. Every setting starts at its default; each setter checks its value at once and
 * throws {@link IllegalArgumentException} naming the setting and the value, so a builder never
 * holds an invalid value. A builder may build several allocators.
 *
 * <pre>{@code
 * try (Allocator allocator = Allocator.builder().maxMemory(256L << 20).build()) {
 *     long address = allocator.malloc(100);
 *     ...
 * }
 * }</pre>
 */
public final class AllocatorBuilder {

    /** Memory is mapped in segments of this size (1 MiB): no limit can be smaller. */
    static final long SEGMENT_BYTE_SIZE = SegmentLayout.SEGMENT_SIZE;

    /** Nothing larger fits in a 47-bit address space. */
    static final long MAX_LIMIT_BYTES = 1L << 47;

    /** The largest arena: 1 TiB, a million segments. */
    static final long MAX_ARENA_BYTE_SIZE = HeapConfig.MAX_ARENA_BYTE_SIZE;

    private long maxMemoryBytes;
    private long maxReservationBytes;
    private long arenaByteSize;
    private boolean zeroOnFree;
    private boolean threadCache;
    private boolean trimThread = true;
    private Duration purgeDelay = Duration.ofNanos(TrimConfig.DEFAULT_PURGE_DELAY_NANOS);
    private PurgeMode purgeMode = PurgeMode.DONTNEED;
    private long trimThresholdBytes = TrimConfig.DEFAULT_TRIM_THRESHOLD_BYTES;
    private TransparentHugePages transparentHugePages = TransparentHugePages.DEFAULT;
    private Mapper mapper = Mapper.system();

    AllocatorBuilder() {
        HeapConfig defaults = HeapConfig.defaults();
        maxMemoryBytes = defaults.maxMemoryBytes();
        maxReservationBytes = defaults.maxReservationBytes();
        arenaByteSize = defaults.arenaByteSize();
        zeroOnFree = defaults.zeroOnFree();
        threadCache = defaults.threadCache();
    }

    /**
     * The most memory the allocator may commit (map readable and writable), in bytes; a request
     * that would go beyond throws {@link TinyAllocOutOfMemoryError} of kind
     * {@link TinyAllocOutOfMemoryError.Kind#MEMORY_LIMIT MEMORY_LIMIT}. At least 1 MiB; by
     * default {@link Long#MAX_VALUE}, that is unlimited.
     */
    public AllocatorBuilder maxMemory(long bytes) {
        maxMemoryBytes = atLeast("maxMemory", bytes, SEGMENT_BYTE_SIZE);
        return this;
    }

    /**
     * The most address space the allocator may reserve, in bytes (arenas and large blocks,
     * committed or not); beyond it requests throw {@link TinyAllocOutOfMemoryError} of kind
     * {@link TinyAllocOutOfMemoryError.Kind#RESERVATION_LIMIT RESERVATION_LIMIT}. From 1 MiB to
     * 2<sup>47</sup> (128 TiB); default 16 TiB. Under a cap smaller than {@link #arenaSize} the
     * allocator reserves smaller arenas.
     */
    public AllocatorBuilder maxReservation(long bytes) {
        maxReservationBytes = atMost("maxReservation", atLeast("maxReservation", bytes, SEGMENT_BYTE_SIZE),
                MAX_LIMIT_BYTES);
        return this;
    }

    /**
     * The size of each address-space reservation that small blocks are carved from, in bytes: a
     * multiple of 1 MiB, from 1 MiB to 1 TiB (default 1 GiB). Reserving costs no memory; a
     * smaller arena returns address space to the kernel in finer steps.
     */
    public AllocatorBuilder arenaSize(long bytes) {
        long checked = atMost("arenaSize", atLeast("arenaSize", bytes, SEGMENT_BYTE_SIZE),
                MAX_ARENA_BYTE_SIZE);
        if (checked % SEGMENT_BYTE_SIZE != 0) {
            throw Errors.notMultiple("arenaSize", bytes, SEGMENT_BYTE_SIZE);
        }
        arenaByteSize = checked;
        return this;
    }

    /** Whether freed blocks are overwritten with zeros, so that freed data cannot leak. */
    public AllocatorBuilder zeroOnFree(boolean enabled) {
        zeroOnFree = enabled;
        return this;
    }

    /**
     * Whether blocks up to 32 KiB go through per-thread caches and a per-CPU shared cache (on by
     * default): a malloc/free pair then takes no lock. Off, every small malloc and free takes its
     * size class's lock, and no free block is kept aside in a cache; errors are detected the same
     * way either way.
     */
    public AllocatorBuilder threadCache(boolean enabled) {
        threadCache = enabled;
        return this;
    }

    /**
     * Whether a background daemon thread ({@code tinyalloc-trim-<n>}, started when the allocator
     * first maps memory, stopped by {@link Allocator#close()}) gives free memory back to the
     * operating system after the {@linkplain #purgeDelay purge delay}, drains idle caches and the
     * caches of threads that ended, and gives everything free back at once when the system runs
     * short of memory. On by default; off, only {@link Allocator#trim()} gives memory back.
     */
    public AllocatorBuilder trimThread(boolean enabled) {
        trimThread = enabled;
        return this;
    }

    /** Configuration's {@code disableTrimThread}: the negation of {@link #trimThread}. */
    AllocatorBuilder disableTrimThread(boolean disabled) {
        return trimThread(!disabled);
    }

    /**
     * How long free memory is kept for reuse before the trim thread gives it back: from 0 to one
     * hour, default 100 ms. The memory is back within about 1.25 times the delay.
     */
    public AllocatorBuilder purgeDelay(Duration delay) {
        Objects.requireNonNull(delay, "purgeDelay");
        Duration maximum = Duration.ofNanos(TrimConfig.MAX_PURGE_DELAY_NANOS);
        if (delay.isNegative() || delay.compareTo(maximum) > 0) {
            throw new IllegalArgumentException("purgeDelay=" + delay + " is outside [PT0S, " + maximum + "]");
        }
        purgeDelay = delay;
        return this;
    }

    /** How free memory is given back: {@link PurgeMode#DONTNEED} (default) or {@link PurgeMode#FREE}. */
    public AllocatorBuilder purgeMode(PurgeMode mode) {
        purgeMode = Objects.requireNonNull(mode, "purgeMode");
        return this;
    }

    /**
     * Free memory up to this many bytes is kept however long it stays free (like glibc's
     * {@code M_TRIM_THRESHOLD}): at least 1 MiB, default 4 MiB. Memory pressure and
     * {@link Allocator#trim()} give it back anyway.
     */
    public AllocatorBuilder trimThreshold(long bytes) {
        trimThresholdBytes = atLeast("trimThreshold", bytes, TrimConfig.MIN_TRIM_THRESHOLD_BYTES);
        return this;
    }

    /** Transparent huge page advice for arenas and large blocks; default {@link TransparentHugePages#DEFAULT}. */
    public AllocatorBuilder transparentHugePages(TransparentHugePages mode) {
        transparentHugePages = Objects.requireNonNull(mode, "transparentHugePages");
        return this;
    }

    /** Configuration's {@code forceThp}; conflicts with {@code disableThp=true}. */
    AllocatorBuilder forceThp(boolean force) {
        return thpSwitch(force, TransparentHugePages.FORCE, TransparentHugePages.DISABLE);
    }

    /** Configuration's {@code disableThp}; conflicts with {@code forceThp=true}. */
    AllocatorBuilder disableThp(boolean disable) {
        return thpSwitch(disable, TransparentHugePages.DISABLE, TransparentHugePages.FORCE);
    }

    private AllocatorBuilder thpSwitch(boolean on, TransparentHugePages wanted, TransparentHugePages other) {
        if (on && transparentHugePages == other) {
            throw new IllegalArgumentException("forceThp and disableThp are both set: choose one");
        }
        if (on) {
            transparentHugePages = wanted;
        } else if (transparentHugePages == wanted) {
            transparentHugePages = TransparentHugePages.DEFAULT;
        }
        return this;
    }

    /**
     * For tests only: the source of kernel memory, for example a fault-injecting mapper. Not
     * public because a mapper belongs to an internal module.
     */
    AllocatorBuilder mapper(Mapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        return this;
    }

    /** Builds a new allocator with these settings. */
    public Allocator build() {
        return TinyAllocator.create(heapConfig(), mapper, false);
    }

    Allocator buildGlobal() {
        return TinyAllocator.create(heapConfig(), mapper, true);
    }

    HeapConfig heapConfig() {
        return new HeapConfig(maxMemoryBytes, maxReservationBytes, arenaByteSize, zeroOnFree, threadCache,
                trimConfig());
    }

    TrimConfig trimConfig() {
        return new TrimConfig(trimThread, purgeDelay.toNanos(), io.tinyalloc.core.PurgeMode.valueOf(purgeMode.name()),
                trimThresholdBytes, ThpMode.valueOf(transparentHugePages.name()));
    }

    private static long atLeast(String setting, long value, long minimum) {
        if (value < minimum) {
            throw Errors.belowMinimum(setting, value, minimum);
        }
        return value;
    }

    private static long atMost(String setting, long value, long maximum) {
        if (value > maximum) {
            throw Errors.aboveMaximum(setting, value, maximum);
        }
        return value;
    }
}
