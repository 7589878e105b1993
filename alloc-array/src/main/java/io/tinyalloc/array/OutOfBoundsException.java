package io.tinyalloc.array;

import java.io.Serial;

/**
 * An index outside the elements a fixed-capacity array holds: {@code index < 0} or
 * {@code index >= length}, where {@code length} is the current size and {@code capacity} the
 * fixed maximum. Message: {@code "index=5 length=3 capacity=8"}.
 */
public final class OutOfBoundsException extends IndexOutOfBoundsException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int length;
    private final int capacity;

    public OutOfBoundsException(int index, int length, int capacity) {
        super("index=" + index + " length=" + length + " capacity=" + capacity);
        this.index = index;
        this.length = length;
        this.capacity = capacity;
    }

    public int index() {
        return index;
    }

    /** The number of elements held when the index was rejected. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }
}
