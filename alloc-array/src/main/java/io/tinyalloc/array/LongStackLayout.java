package io.tinyalloc.array;

/**
 * Layout of an {@link OffHeapLongStack} in native memory: a header, then the elements.
 *
 * <pre>
 *   address + 0          + 4                  + 8                                 + 8 + 8 * capacity
 *   +--------------------+--------------------+-----------------------------------+
 *   | size (int)         | capacity (int)     | element 0 | element 1 | ...       |
 *   +--------------------+--------------------+-----------------------------------+
 *                                               bottom                  top = size - 1
 * </pre>
 *
 * <p>The header keeps the stack self-describing, so a view over it can be re-created from the
 * address alone ({@link OffHeapLongStack#wrap(long)}) and checked ({@code 0 <= size <= capacity}).
 * Elements start 8 bytes in, so with an 8-byte aligned address every element is aligned.
 */
public final class LongStackLayout {

    public static final long SIZE_OFFSET = 0;
    public static final long CAPACITY_OFFSET = 4;
    public static final long ELEMENTS_OFFSET = 8;
    public static final int ELEMENT_BYTE_SIZE = Long.BYTES;

    private LongStackLayout() {
    }

    /** Bytes a stack of {@code capacity >= 0} elements needs: header plus elements. */
    public static long byteSizeFor(int capacity) {
        ArrayErrors.checkCapacity(capacity);
        return ELEMENTS_OFFSET + (long) capacity * ELEMENT_BYTE_SIZE;
    }

    /** Byte offset of element {@code index} from the stack's address. */
    public static long elementOffset(int index) {
        return ELEMENTS_OFFSET + ((long) index << 3);
    }
}
