package io.tinyalloc;

import java.io.Serial;

/**
 * An {@link Allocator} could not get the memory for a request. {@link #kind()} says why: a limit
 * configured on the allocator was reached, or the kernel refused to map memory (the cause is then
 * the failed system call, with its errno). The allocator keeps working: smaller requests, or the
 * same one after memory was freed, may succeed.
 */
public final class TinyAllocOutOfMemoryError extends OutOfMemoryError {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Which limit stopped the request. */
    public enum Kind {
        /** The committed memory would exceed {@link AllocatorBuilder#maxMemory(long)}. */
        MEMORY_LIMIT,
        /** The reserved address space would exceed {@link AllocatorBuilder#maxReservation(long)}. */
        RESERVATION_LIMIT,
        /** The kernel refused to reserve, commit or remap memory. */
        KERNEL
    }

    private final Kind kind;
    private final long requestedBytes;

    TinyAllocOutOfMemoryError(String message, Kind kind, long requestedBytes, Throwable cause) {
        super(message);
        this.kind = kind;
        this.requestedBytes = requestedBytes;
        initCause(cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The number of bytes the allocator was trying to get when it failed. */
    public long requestedBytes() {
        return requestedBytes;
    }
}
