package io.tinyalloc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * An off-heap memory allocator: malloc and free for the JVM, plus {@link MemorySegment}s and
 * {@link Arena}s backed by the same memory.
 *
 * <p>Blocks are identified by their absolute native {@code address} (a {@code long}); read and
 * write them through {@link #segment(long)} or any other absolute-address API. Every block is
 * aligned to at least 16 bytes, and {@link #usableSize(long)} of a block is at least the size
 * that was asked for.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>A negative size or count, an alignment that is not a power of two (or above 1 GiB), or
 *       a product {@code count * byteSize} that does not fit in a {@code long} throws
 *       {@link IllegalArgumentException} naming the values.</li>
 *   <li>An address this allocator did not hand out, an address inside a block, or a block that
 *       was already freed throws {@link InvalidAddressException} (an
 *       {@code IllegalArgumentException}) naming the call, the address and what was wrong. The
 *       address is checked before anything is read from it: a bad free never corrupts memory.</li>
 *   <li>When memory cannot be had, {@link TinyAllocOutOfMemoryError} says which limit was reached
 *       or that the kernel refused. A size no address space can hold (above 2<sup>47</sup>
 *       bytes) is such a case too, as for {@code new long[Integer.MAX_VALUE]}.</li>
 *   <li>Any call on a closed allocator throws {@link IllegalStateException}.</li>
 * </ul>
 * After any of these errors the allocator keeps working and every live block keeps its contents.
 *
 * <p>All methods are thread-safe. A block may be freed by a thread other than the one that
 * allocated it.
 */
public interface Allocator extends SegmentAllocator, AutoCloseable {

    /**
     * The process-wide allocator, created on first use and configured from system properties
     * {@code tinyalloc.*} and environment variables {@code TINYALLOC_*} (a system property wins
     * over the environment variable of the same setting):
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>System property</th><th>Environment</th><th>Builder method</th></tr>
     *   <tr><td>{@code tinyalloc.maxMemory}</td><td>{@code TINYALLOC_MAX_MEMORY}</td>
     *       <td>{@link AllocatorBuilder#maxMemory(long)}</td></tr>
     *   <tr><td>{@code tinyalloc.maxReservation}</td><td>{@code TINYALLOC_MAX_RESERVATION}</td>
     *       <td>{@link AllocatorBuilder#maxReservation(long)}</td></tr>
     *   <tr><td>{@code tinyalloc.arenaSize}</td><td>{@code TINYALLOC_ARENA_SIZE}</td>
     *       <td>{@link AllocatorBuilder#arenaSize(long)}</td></tr>
     *   <tr><td>{@code tinyalloc.zeroOnFree}</td><td>{@code TINYALLOC_ZERO_ON_FREE}</td>
     *       <td>{@link AllocatorBuilder#zeroOnFree(boolean)}</td></tr>
     *   <tr><td>{@code tinyalloc.threadCache}</td><td>{@code TINYALLOC_THREAD_CACHE}</td>
     *       <td>{@link AllocatorBuilder#threadCache(boolean)}</td></tr>
     *   <tr><td>{@code tinyalloc.disableTrimThread}</td><td>{@code TINYALLOC_DISABLE_TRIM_THREAD}</td>
     *       <td>{@link AllocatorBuilder#trimThread(boolean)}, negated</td></tr>
     *   <tr><td>{@code tinyalloc.purgeDelay}</td><td>{@code TINYALLOC_PURGE_DELAY}</td>
     *       <td>{@link AllocatorBuilder#purgeDelay(java.time.Duration)}</td></tr>
     *   <tr><td>{@code tinyalloc.purgeMode}</td><td>{@code TINYALLOC_PURGE_MODE}</td>
     *       <td>{@link AllocatorBuilder#purgeMode(PurgeMode)}</td></tr>
     *   <tr><td>{@code tinyalloc.trimThreshold}</td><td>{@code TINYALLOC_TRIM_THRESHOLD}</td>
     *       <td>{@link AllocatorBuilder#trimThreshold(long)}</td></tr>
     *   <tr><td>{@code tinyalloc.forceThp}</td><td>{@code TINYALLOC_FORCE_THP}</td>
     *       <td>{@link AllocatorBuilder#transparentHugePages} {@code FORCE}</td></tr>
     *   <tr><td>{@code tinyalloc.disableThp}</td><td>{@code TINYALLOC_DISABLE_THP}</td>
     *       <td>{@link AllocatorBuilder#transparentHugePages} {@code DISABLE}</td></tr>
     * </table>
     * Sizes are plain bytes or a number with a suffix {@code k}, {@code m}, {@code g}, {@code t}
     * or {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} (all powers of 1024, any case);
     * booleans are {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}; durations
     * are a number with {@code ns}, {@code us}, {@code ms}, {@code s} or {@code m} (plain: milliseconds);
     * purge modes are {@code free} or {@code dontneed} (any case).
     *
     * <p>Its {@link #close()} throws {@link UnsupportedOperationException}.
     *
     * @throws IllegalStateException if the configuration is invalid; the message names the
     *         setting, where it came from and the bad value (the cause is the
     *         {@code IllegalArgumentException} of the parser). The next call tries again.
     */
    static Allocator global() {
        return GlobalAllocator.instance();
    }

    /** A builder of independent allocators: own memory, own limits, closed by their owner. */
    static AllocatorBuilder builder() {
        return new AllocatorBuilder();
    }

    /**
     * Allocates a block of at least {@code byteSize} bytes, 16-byte aligned, contents undefined.
     * {@code malloc(0)} returns a unique block that must be freed like any other.
     *
     * @return the block's address, never 0
     */
    long malloc(long byteSize);

    /**
     * Allocates a zeroed block for {@code count} elements of {@code byteSize} bytes each.
     *
     * @throws IllegalArgumentException if {@code count * byteSize} overflows
     */
    long calloc(long count, long byteSize);

    /**
     * Resizes a block, keeping its contents up to the smaller of the old and new sizes; the block
     * may move. {@code realloc(0, n)} is {@code malloc(n)}; {@code realloc(address, 0)} frees the
     * block and returns 0. If the call fails, the old block is unchanged and still live.
     *
     * @return the address of the resized block (the old address is invalid unless equal to it)
     */
    long realloc(long address, long newByteSize);

    /** {@link #realloc} to {@code count * byteSize} bytes, rejecting an overflowing product. */
    long reallocArray(long address, long count, long byteSize);

    /**
     * {@link #reallocArray} that zeroes every byte past the first {@code oldCount * byteSize}
     * bytes of the new block (OpenBSD's {@code recallocarray}). {@code oldCount * byteSize} must
     * fit in the block's {@link #usableSize}; with address 0, {@code oldCount} must be 0.
     */
    long recallocArray(long address, long oldCount, long newCount, long byteSize);

    /**
     * Allocates a block whose address is a multiple of {@code byteAlignment}: any power of two
     * up to 1 GiB (memalign, aligned_alloc, posix_memalign). {@code byteSize} need not be a
     * multiple of the alignment.
     */
    long alignedAlloc(long byteAlignment, long byteSize);

    /** Allocates a block aligned to the platform's page size (valloc). */
    long pageAlloc(long byteSize);

    /** Frees a block. {@code free(0)} does nothing. */
    void free(long address);

    /**
     * The number of bytes of the block that may be used: at least what was asked for
     * (malloc_usable_size). {@code usableSize(0)} is 0.
     */
    long usableSize(long address);

    /**
     * Allocates a block and returns it as a segment of exactly {@code byteSize} bytes, aligned to
     * {@code byteAlignment} (a power of two). Contents are undefined, like {@link #malloc}'s.
     * Free it with {@link #free(MemorySegment)} (or {@link #free(long)} of its address).
     *
     * <p>The segment is usable from any thread. For an allocator made by {@link #builder()} it
     * belongs to the allocator's lifetime: once the allocator is closed, accessing it throws
     * {@link IllegalStateException} instead of touching unmapped memory. Segments of
     * {@link #global()} live in the global scope.
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /**
     * Frees the block that {@code segment} starts at. {@link MemorySegment#NULL} does nothing.
     *
     * @throws InvalidAddressException if the segment does not start at a live block of this
     *         allocator, is a heap segment, belongs to an arena from {@link #newArena()} (whose
     *         blocks are freed by closing the arena), or its scope is closed (reason
     *         {@link InvalidAddressException.Reason#CLOSED_SCOPE}: its arena freed it already)
     */
    void free(MemorySegment segment);

    /**
     * A segment over the whole usable size of the live block at {@code address}, with the same
     * lifetime as the segments of {@link #allocate}.
     */
    MemorySegment segment(long address);

    /**
     * A new shared {@link Arena} backed by this allocator: {@code allocate} takes zeroed blocks
     * from this allocator (like the JDK's arenas, segments are zero-initialized), the segments can
     * be accessed by any thread while the arena is open, and {@code close()} (from any thread)
     * makes them inaccessible and frees every block the arena handed out. Closing this allocator
     * closes its open arenas.
     *
     * <p>Shared, not confined, because that is what lets one arena serve a pool of threads. The
     * price is the JDK's: closing a shared arena makes the JVM handshake with every thread (tens
     * of microseconds, as for {@link Arena#ofShared()}), so an arena should serve many
     * allocations, not one.
     */
    Arena newArena();

    /** Returns free memory to the kernel now (malloc_trim). @return the number of bytes returned */
    long trim();

    /** A snapshot of this allocator's counters. */
    AllocatorStats stats();

    /**
     * Closes every arena made by {@link #newArena()}, makes every segment of this allocator
     * inaccessible and gives all of its memory back to the kernel. Every later call throws
     * {@link IllegalStateException}. Closing again does nothing. The address space stays reserved,
     * reading as zeros, until the allocator is unreachable; then it is unmapped.
     *
     * <p>Close an allocator only once no other thread is inside one of its calls. A call that races
     * with close() anyway may throw {@link IllegalStateException} or {@link IllegalArgumentException},
     * or even succeed and hand out a block of the closed allocator (its memory counts nowhere and
     * goes with the rest), but it never touches unmapped memory. Segments are protected by their
     * scope; a raw address used after close() reads zeros, and must not be used once the
     * allocator may have been collected.
     *
     * @throws UnsupportedOperationException on {@link #global()}
     * @throws IllegalStateException if one of its segments is in use by a native call right now
     *         (nothing is unmapped then and the allocator stays open; close again later)
     */
    @Override
    void close();
}
