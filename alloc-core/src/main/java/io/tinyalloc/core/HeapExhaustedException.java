package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;

/**
 * The heap could not get the memory a request needs. The API layer rethrows it as its public
 * {@code OutOfMemoryError}. When it is thrown the heap is unchanged: every live block is intact
 * and the heap keeps working.
 */
public final class HeapExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Which limit was hit. */
    public enum Kind {
        /** Committing would exceed {@link HeapConfig#maxMemoryBytes()}. */
        MEMORY_LIMIT,
        /** Reserving would exceed {@link HeapConfig#maxReservationBytes()}. */
        RESERVATION_LIMIT,
        /** The kernel refused a mapping call; the cause is the {@link MapException}. */
        KERNEL
    }

    private final Kind kind;
    private final long requestedBytes;

    public HeapExhaustedException(Kind kind, long requestedBytes, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.requestedBytes = requestedBytes;
    }

    public Kind kind() {
        return kind;
    }

    /** The bytes the failed step asked for (a block, a segment or a reservation). */
    public long requestedBytes() {
        return requestedBytes;
    }

    static HeapExhaustedException memoryLimit(long requestedBytes, long committedBytes, long maxMemoryBytes) {
        return new HeapExhaustedException(Kind.MEMORY_LIMIT, requestedBytes,
                "memory limit reached: requestedBytes=" + requestedBytes + " committedBytes="
                        + committedBytes + " maxMemoryBytes=" + maxMemoryBytes, null);
    }

    static HeapExhaustedException reservationLimit(long requestedBytes, long reservedBytes, long maxReservationBytes) {
        return new HeapExhaustedException(Kind.RESERVATION_LIMIT, requestedBytes,
                "reservation limit reached: requestedBytes=" + requestedBytes + " reservedBytes="
                        + reservedBytes + " maxReservationBytes=" + maxReservationBytes, null);
    }

    static HeapExhaustedException kernel(long requestedBytes, MapException cause) {
        return new HeapExhaustedException(Kind.KERNEL, requestedBytes,
                "the kernel refused memory: requestedBytes=" + requestedBytes + ": " + cause.getMessage(), cause);
    }
}
