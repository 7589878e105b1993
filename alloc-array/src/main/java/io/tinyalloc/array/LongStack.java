package io.tinyalloc.array;

import java.util.function.LongConsumer;

/**
 * A {@link FixedLongStack} over an on-heap {@code long[]}: the shape of a thread-cache bin, a
 * bounded stack of block addresses that is filled and drained in batches.
 *
 * <p>Invariant: {@code 0 <= size <= elements.length}; slots {@code [0, size)} hold the stack,
 * slots above it are garbage and never read.
 */
public final class LongStack implements FixedLongStack {

    private final long[] elements;
    private int size;

    /** An empty stack for up to {@code capacity >= 0} values. */
    public LongStack(int capacity) {
        ArrayErrors.checkCapacity(capacity);
        this.elements = new long[capacity];
    }

    @Override
    public int capacity() {
        return elements.length;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean isFull() {
        return size == elements.length;
    }

    /** Fast path (a cached free): one compare, one store, no allocation. */
    @Override
    public boolean tryPush(long value) {
        int size = this.size;
        if (size == elements.length) {
            return false;
        }
        elements[size] = value;
        this.size = size + 1;
        return true;
    }

    /** Fast path (a cached malloc): one compare, one load, no allocation. */
    @Override
    public long popOrZero() {
        int size = this.size;
        if (size == 0) {
            return 0;
        }
        this.size = --size;
        return elements[size];
    }

    @Override
    public void push(long value) {
        if (!tryPush(value)) {
            throw ArrayErrors.insufficientCapacity(1, size, elements.length);
        }
    }

    @Override
    public long pop() {
        if (size == 0) {
            throw ArrayErrors.notEnoughElements(1, 0, elements.length);
        }
        return elements[--size];
    }

    @Override
    public long peek() {
        if (size == 0) {
            throw ArrayErrors.notEnoughElements(1, 0, elements.length);
        }
        return elements[size - 1];
    }

    @Override
    public long get(int index) {
        ArrayErrors.checkIndex(index, size, elements.length);
        return elements[index];
    }

    @Override
    public void set(int index, long value) {
        ArrayErrors.checkIndex(index, size, elements.length);
        elements[index] = value;
    }

    @Override
    public void clear() {
        size = 0;
    }

    @Override
    public void pushAll(long[] src, int fromIndex, int count) {
        ArrayErrors.checkArraySlice(src, fromIndex, count);
        if (count > elements.length - size) {
            throw ArrayErrors.insufficientCapacity(count, size, elements.length);
        }
        System.arraycopy(src, fromIndex, elements, size, count);
        size += count;
    }

    @Override
    public void popInto(long[] dst, int fromIndex, int count) {
        ArrayErrors.checkArraySlice(dst, fromIndex, count);
        if (count > size) {
            throw ArrayErrors.notEnoughElements(count, size, elements.length);
        }
        size -= count;
        System.arraycopy(elements, size, dst, fromIndex, count);
    }

    @Override
    public void forEach(LongConsumer action) {
        for (int index = 0; index < size; index++) {
            action.accept(elements[index]);
        }
    }

    @Override
    public String toString() {
        return LongStacks.describe(this);
    }
}
