package io.tinyalloc;

import io.tinyalloc.core.Heap;

/**
 * Argument checks of the public calls. The core trusts its arguments, so everything a caller can
 * get wrong is rejected here, before the heap is touched: a rejected call changes nothing.
 */
final class Arguments {

    /** The largest alignment the heap serves (1 GiB). */
    static final long MAX_BYTE_ALIGNMENT = Heap.MAX_ALIGNMENT;

    /** Every block is at least this aligned, so smaller alignments need no special path. */
    static final long NATURAL_BYTE_ALIGNMENT = 16;

    private Arguments() {
    }

    /**
     * A size must not be negative. A size no address space can hold is not an argument error but
     * exhaustion, as for {@code new long[Integer.MAX_VALUE]}: the heap reports it.
     */
    static long byteSize(String call, String name, long byteSize) {
        if (byteSize < 0) {
            throw Errors.negative(call, name, byteSize);
        }
        return byteSize;
    }

    static long count(String call, String name, long count) {
        if (count < 0) {
            throw Errors.negative(call, name, count);
        }
        return count;
    }

    /** {@code count * byteSize} as a checked block size. */
    static long product(String call, String countName, long count, long byteSize) {
        count(call, countName, count);
        byteSize(call, "byteSize", byteSize);
        long high = Math.multiplyHigh(count, byteSize);
        long product = count * byteSize;
        if (high != 0 || product < 0) {
            throw Errors.overflow(call, countName, count, "byteSize", byteSize);
        }
        return product;
    }

    static long byteAlignment(String call, long byteAlignment) {
        if (byteAlignment <= 0 || (byteAlignment & (byteAlignment - 1)) != 0) {
            throw Errors.notPowerOfTwo(call, byteAlignment);
        }
        if (byteAlignment > MAX_BYTE_ALIGNMENT) {
            throw Errors.alignmentTooLarge(call, byteAlignment, MAX_BYTE_ALIGNMENT);
        }
        return byteAlignment;
    }
}
