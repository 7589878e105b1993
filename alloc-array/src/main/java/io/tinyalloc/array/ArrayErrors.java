package io.tinyalloc.array;

import java.util.NoSuchElementException;

/**
 * Every argument check and error of this package, with the values in the message. The checks
 * are tiny so they inline into the callers; messages are only built when something is wrong.
 */
final class ArrayErrors {

    private ArrayErrors() {
    }

    static void checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: capacity=" + capacity);
        }
    }

    /** An element index: {@code 0 <= index < size}. */
    static void checkIndex(int index, int size, int capacity) {
        if (Integer.compareUnsigned(index, size) >= 0) {
            throw new OutOfBoundsException(index, size, capacity);
        }
    }

    /** A caller's array slice for a batch move: {@code count >= 0} elements from {@code fromIndex}. */
    static void checkArraySlice(long[] array, int fromIndex, int count) {
        if (array == null) {
            throw new NullPointerException("array is null: fromIndex=" + fromIndex + " count=" + count);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: fromIndex=" + fromIndex + " count=" + count);
        }
        if (fromIndex < 0 || (long) fromIndex + count > array.length) {
            throw new IndexOutOfBoundsException(
                    "fromIndex=" + fromIndex + " count=" + count + " arrayLength=" + array.length);
        }
    }

    /** The words of off-heap stacks are read with aligned accessors. */
    static void checkAddress(long address) {
        if (address == 0 || (address & (Long.BYTES - 1)) != 0) {
            throw new IllegalArgumentException(
                    "address must be non-zero and 8-byte aligned: address=0x" + Long.toHexString(address));
        }
    }

    static InsufficientCapacityException insufficientCapacity(int requested, int size, int capacity) {
        return new InsufficientCapacityException(requested, size, capacity);
    }

    static NoSuchElementException notEnoughElements(int requested, int size, int capacity) {
        return new NoSuchElementException(
                "not enough elements: requested=" + requested + " size=" + size + " capacity=" + capacity);
    }

    static IllegalArgumentException notAStack(long address, int size, int capacity) {
        return new IllegalArgumentException("no stack header at address=0x" + Long.toHexString(address)
                + ": size=" + size + " capacity=" + capacity + " (need 0 <= size <= capacity)");
    }
}
