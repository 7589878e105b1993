package io.tinyalloc.array;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongConsumer;

/**
 * A {@link FixedLongStack} stored entirely in native memory ({@link LongStackLayout}), for
 * structures that live off-heap, such as a bin inside a segment or arena header. Single-threaded.
 *
 * <p>This object is a view: the caller owns {@link #byteSizeFor(int)} bytes at an 8-byte aligned
 * address. {@link #format(long, int)} writes an empty stack there; {@link #wrap(long)} attaches
 * to one formatted earlier. All state, including the size, is in the memory, so two views of the same
 * address see the same stack (only one may be used at a time).
 *
 * <p>Invariant: {@code 0 <= size <= capacity} in the header, {@code capacity} equal to the
 * cached {@link #capacity()}.
 */
public final class OffHeapLongStack implements FixedLongStack {

    private final long address;
    private final int capacity;

    private OffHeapLongStack(long address, int capacity) {
        this.address = address;
        this.capacity = capacity;
    }

    /** Writes an empty stack for {@code capacity >= 0} elements at {@code address} and returns a view of it. */
    public static OffHeapLongStack format(long address, int capacity) {
        ArrayErrors.checkAddress(address);
        ArrayErrors.checkCapacity(capacity);
        OffHeapLongStack stack = new OffHeapLongStack(address, capacity);
        Memory.putInt(address + LongStackLayout.CAPACITY_OFFSET, capacity);
        stack.storeSize(0);
        return stack;
    }

    /**
     * A view of the stack formatted earlier at {@code address}; its header is checked, so
     * memory that does not hold a stack is rejected unless it happens to look like one.
     */
    public static OffHeapLongStack wrap(long address) {
        ArrayErrors.checkAddress(address);
        int capacity = Memory.getInt(address + LongStackLayout.CAPACITY_OFFSET);
        int size = Memory.getInt(address + LongStackLayout.SIZE_OFFSET);
        if (capacity < 0 || size < 0 || size > capacity) {
            throw ArrayErrors.notAStack(address, size, capacity);
        }
        return new OffHeapLongStack(address, capacity);
    }

    /** Bytes a stack of {@code capacity >= 0} elements needs: {@code 8 + 8 * capacity}. */
    public static long byteSizeFor(int capacity) {
        return LongStackLayout.byteSizeFor(capacity);
    }

    public long address() {
        return address;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int size() {
        return Memory.getInt(address + LongStackLayout.SIZE_OFFSET);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean isFull() {
        return size() == capacity;
    }

    /** Fast path: one compare, two stores, no allocation. */
    @Override
    public boolean tryPush(long value) {
        int size = size();
        if (size == capacity) {
            return false;
        }
        Memory.putLong(elementAddress(size), value);
        storeSize(size + 1);
        return true;
    }

    /** Fast path: one compare, one load, one store, no allocation. */
    @Override
    public long popOrZero() {
        int size = size();
        if (size == 0) {
            return 0;
        }
        storeSize(--size);
        return Memory.getLong(elementAddress(size));
    }

    @Override
    public void push(long value) {
        if (!tryPush(value)) {
            throw ArrayErrors.insufficientCapacity(1, size(), capacity);
        }
    }

    @Override
    public long pop() {
        int size = size();
        if (size == 0) {
            throw ArrayErrors.notEnoughElements(1, 0, capacity);
        }
        storeSize(--size);
        return Memory.getLong(elementAddress(size));
    }

    @Override
    public long peek() {
        int size = size();
        if (size == 0) {
            throw ArrayErrors.notEnoughElements(1, 0, capacity);
        }
        return Memory.getLong(elementAddress(size - 1));
    }

    @Override
    public long get(int index) {
        ArrayErrors.checkIndex(index, size(), capacity);
        return Memory.getLong(elementAddress(index));
    }

    @Override
    public void set(int index, long value) {
        ArrayErrors.checkIndex(index, size(), capacity);
        Memory.putLong(elementAddress(index), value);
    }

    @Override
    public void clear() {
        storeSize(0);
    }

    @Override
    public void pushAll(long[] src, int fromIndex, int count) {
        ArrayErrors.checkArraySlice(src, fromIndex, count);
        int size = size();
        if (count > capacity - size) {
            throw ArrayErrors.insufficientCapacity(count, size, capacity);
        }
        MemorySegment.copy(src, fromIndex, Memory.EVERYTHING,
                ValueLayout.JAVA_LONG_UNALIGNED, elementAddress(size), count);
        storeSize(size + count);
    }

    @Override
    public void popInto(long[] dst, int fromIndex, int count) {
        ArrayErrors.checkArraySlice(dst, fromIndex, count);
        int size = size();
        if (count > size) {
            throw ArrayErrors.notEnoughElements(count, size, capacity);
        }
        int newSize = size - count;
        MemorySegment.copy(Memory.EVERYTHING, ValueLayout.JAVA_LONG_UNALIGNED,
                elementAddress(newSize), dst, fromIndex, count);
        storeSize(newSize);
    }

    @Override
    public void forEach(LongConsumer action) {
        int size = size();
        for (int index = 0; index < size; index++) {
            action.accept(Memory.getLong(elementAddress(index)));
        }
    }

    @Override
    public String toString() {
        return LongStacks.describe(this);
    }

    private void storeSize(int size) {
        Memory.putInt(address + LongStackLayout.SIZE_OFFSET, size);
    }

    private long elementAddress(int index) {
        return address + LongStackLayout.elementOffset(index);
    }
}
