package io.tinyalloc.array;

import java.io.Serial;

/**
 * A push that does not fit: {@code requested} more elements do not fit next to the {@code size}
 * already held within {@code capacity}. Nothing was pushed. Message:
 * {@code "insufficient capacity: requested=3 size=7 capacity=8"}.
 */
public final class InsufficientCapacityException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int requested;
    private final int size;
    private final int capacity;

    public InsufficientCapacityException(int requested, int size, int capacity) {
        super("insufficient capacity: requested=" + requested + " size=" + size + " capacity=" + capacity);
        this.requested = requested;
        this.size = size;
        this.capacity = capacity;
    }

    public int requested() {
        return requested;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }
}
