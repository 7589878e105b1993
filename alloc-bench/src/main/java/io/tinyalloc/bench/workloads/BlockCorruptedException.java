package io.tinyalloc.bench.workloads;

/** A block whose contents are not what its owner wrote: the allocator handed out memory twice. */
public final class BlockCorruptedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    BlockCorruptedException(String message) {
        super(message);
    }
}
