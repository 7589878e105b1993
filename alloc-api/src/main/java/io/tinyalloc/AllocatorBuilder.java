package io.tinyalloc;

import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.core.SegmentLayout;
import io.tinyalloc.sys.Mapper;
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
     * For tests only: the source of kernel memory, for example a fault-injecting mapper. Not
     * public because a mapper belongs to an internal module.
     */
    AllocatorBuilder mapper(Mapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        return this;
    }

    /** Builds a new allocator with these settings. */
    public Allocator build() {
        return new TinyAllocator(heapConfig(), mapper, false);
    }

    Allocator buildGlobal() {
        return new TinyAllocator(heapConfig(), mapper, true);
    }

    HeapConfig heapConfig() {
        return new HeapConfig(maxMemoryBytes, maxReservationBytes, arenaByteSize, zeroOnFree, threadCache);
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
