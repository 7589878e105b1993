package io.tinyalloc.array;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.StringJoiner;

/**
 * An array of up to {@code capacity} objects, fixed at construction, used as a stack (push/pop
 * at the end) with indexed access; it never grows. Single-threaded. Null elements are allowed.
 *
 * <p>Errors: a push that does not fit throws {@link InsufficientCapacityException}; a pop on an
 * empty array {@link NoSuchElementException}; an index outside {@code [0, size())}
 * {@link OutOfBoundsException}. Nothing changes after an error.
 *
 * <p>Invariant: {@code 0 <= size <= elements.length}, and every slot at or above {@code size} is
 * null, so removed elements can be collected.
 *
 * @param <E> the element type
 */
public final class FixedArray<E> implements Iterable<E> {

    private final Object[] elements;
    private int size;

    /** An empty array for up to {@code capacity >= 0} elements. */
    public FixedArray(int capacity) {
        ArrayErrors.checkCapacity(capacity);
        this.elements = new Object[capacity];
    }

    public int capacity() {
        return elements.length;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == elements.length;
    }

    /** Appends {@code element} at index {@code size()}. */
    public void push(E element) {
        if (size == elements.length) {
            throw ArrayErrors.insufficientCapacity(1, size, elements.length);
        }
        elements[size++] = element;
    }

    /** Removes and returns the last element. */
    public E pop() {
        if (size == 0) {
            throw ArrayErrors.notEnoughElements(1, 0, elements.length);
        }
        E element = elementAt(--size);
        elements[size] = null;
        return element;
    }

    public E get(int index) {
        ArrayErrors.checkIndex(index, size, elements.length);
        return elementAt(index);
    }

    /** Replaces the element at {@code index} and returns the one it held. */
    public E set(int index, E element) {
        ArrayErrors.checkIndex(index, size, elements.length);
        E previous = elementAt(index);
        elements[index] = element;
        return previous;
    }

    public void clear() {
        for (int index = 0; index < size; index++) {
            elements[index] = null;
        }
        size = 0;
    }

    /** Iterates from index 0 up; not fail-fast: changes made meanwhile may or may not be seen. */
    @Override
    public Iterator<E> iterator() {
        return new Iterator<>() {
            private int nextIndex;

            @Override
            public boolean hasNext() {
                return nextIndex < size;
            }

            @Override
            public E next() {
                if (nextIndex >= size) {
                    throw new NoSuchElementException("no element after index=" + (nextIndex - 1) + " size=" + size);
                }
                return elementAt(nextIndex++);
            }
        };
    }

    /** {@code "[a, b, c]"}, like the JDK collections. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "[", "]");
        for (int index = 0; index < size; index++) {
            text.add(String.valueOf(elements[index]));
        }
        return text.toString();
    }

    @SuppressWarnings("unchecked")
    private E elementAt(int index) {
        return (E) elements[index];
    }
}
