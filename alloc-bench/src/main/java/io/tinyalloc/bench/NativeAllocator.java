package io.tinyalloc.bench;

/**
 * The malloc family as the comparison benchmarks and workloads see it: absolute addresses as
 * {@code long}, the C semantics of glibc ({@code free(0)} is a no-op, {@code realloc(0, n)}
 * allocates, blocks of 16 bytes or more are 16-byte aligned; smaller ones may be only 8-byte
 * aligned, as in mimalloc).
 *
 * <p>Implementations are peers (glibc, mimalloc, jemalloc through FFM downcalls) and TinyAlloc.
 * A failed allocation throws {@link OutOfMemoryError} instead of returning 0, so that a workload
 * never writes through a null address. All methods may be called from any thread, and a block may
 * be freed by a thread other than the one that allocated it.
 */
public interface NativeAllocator extends AutoCloseable {

    long malloc(long byteSize);

    void free(long address);

    long realloc(long address, long newByteSize);

    long calloc(long count, long byteSize);

    /** The peer's name as it appears in benchmark parameters and reports, e.g. {@code "glibc"}. */
    String name();

    /** Releases what the allocator itself holds (not the blocks): a no-op for the C libraries. */
    @Override
    default void close() {
    }
}
