package io.tinyalloc.array;

import java.util.function.LongConsumer;

/**
 * A stack of {@code long} values (typically block addresses) with a capacity fixed at creation,
 * for single-threaded use. Index 0 is the bottom, {@code size() - 1} the top.
 *
 * <p>Two kinds of operation: the fast path ({@link #tryPush(long)}, {@link #popOrZero()}) reports
 * a full or empty stack in its result and never throws or allocates; everything else throws
 * with the values in the message, and nothing changes after an error:
 * <ul>
 *   <li>{@link InsufficientCapacityException} when a push does not fit,</li>
 *   <li>{@link java.util.NoSuchElementException} when a pop or peek finds too few elements,</li>
 *   <li>{@link OutOfBoundsException} for an index outside {@code [0, size())},</li>
 *   <li>{@link IndexOutOfBoundsException} / {@link IllegalArgumentException} for a bad array
 *       slice or a negative count in a batch move.</li>
 * </ul>
 */
public interface FixedLongStack {

    int capacity();

    int size();

    boolean isEmpty();

    boolean isFull();

    /** Pushes {@code value}, or throws {@link InsufficientCapacityException} if the stack is full. */
    void push(long value);

    /** Pushes {@code value} if there is room: true if it was pushed. */
    boolean tryPush(long value);

    /** Removes and returns the top, or throws {@link java.util.NoSuchElementException} if empty. */
    long pop();

    /**
     * Removes and returns the top, or returns 0 if the stack is empty; meant for stacks of
     * addresses, where 0 is never a value.
     */
    long popOrZero();

    /** The top, left in place; {@link java.util.NoSuchElementException} if empty. */
    long peek();

    long get(int index);

    void set(int index, long value);

    void clear();

    /**
     * Pushes {@code src[fromIndex] .. src[fromIndex + count - 1]} in that order (the last one
     * ends on top), all or nothing.
     */
    void pushAll(long[] src, int fromIndex, int count);

    /**
     * Removes the top {@code count} elements and copies them to {@code dst[fromIndex ..]} in
     * stack order, deepest first, so {@code pushAll(dst, fromIndex, count)} puts them back as they
     * were. All or nothing.
     */
    void popInto(long[] dst, int fromIndex, int count);

    /** Visits the elements from bottom to top. */
    void forEach(LongConsumer action);
}
