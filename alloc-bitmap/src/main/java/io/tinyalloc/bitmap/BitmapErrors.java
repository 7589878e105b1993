package io.tinyalloc.bitmap;

/**
 * Every argument check and error of this package, with the offending values in the message
 * ({@code "index=70 bitCount=64"}). The checks are tiny so they inline into the fast paths; the
 * messages are built in separate methods that only run when something is wrong.
 */
final class BitmapErrors {

    private BitmapErrors() {
    }

    static void checkBitCount(int bitCount) {
        if (bitCount <= 0) {
            throw new IllegalArgumentException("bitCount must be > 0: bitCount=" + bitCount);
        }
    }

    /** The words are read with atomic and ordered accessors, which need natural alignment. */
    static void checkAddress(long address) {
        if (address == 0 || (address & (BitmapLayout.BYTE_ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("address must be non-zero and "
                    + BitmapLayout.BYTE_ALIGNMENT + "-byte aligned: address=0x" + Long.toHexString(address));
        }
    }

    static void checkIndex(int index, int bitCount) {
        if (Integer.compareUnsigned(index, bitCount) >= 0) {
            throw indexOutOfBounds(index, bitCount);
        }
    }

    /** A search start: {@code 0 <= fromIndex <= bitCount} (equal to bitCount finds nothing). */
    static void checkFromIndex(int fromIndex, int bitCount) {
        if (Integer.compareUnsigned(fromIndex, bitCount) > 0) {
            throw new IndexOutOfBoundsException("fromIndex=" + fromIndex + " bitCount=" + bitCount);
        }
    }

    /** A range of {@code count >= 0} bits starting at {@code fromIndex}, inside the bitmap. */
    static void checkRange(int fromIndex, int count, int bitCount) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: fromIndex=" + fromIndex + " count=" + count);
        }
        if (fromIndex < 0 || (long) fromIndex + count > bitCount) {
            throw new IndexOutOfBoundsException(
                    "fromIndex=" + fromIndex + " count=" + count + " bitCount=" + bitCount);
        }
    }

    /** The length of a run to find or claim: a run of no bits means nothing, so {@code count >= 1}. */
    static void checkRunCount(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0: count=" + count);
        }
    }

    static IndexOutOfBoundsException indexOutOfBounds(int index, int bitCount) {
        return new IndexOutOfBoundsException("index=" + index + " bitCount=" + bitCount);
    }

    static IllegalStateException notClaimed(int index, int bitCount) {
        return new IllegalStateException("bit is not claimed: index=" + index + " bitCount=" + bitCount);
    }

    static IllegalStateException runNotClaimed(int index, int fromIndex, int count, int bitCount) {
        return new IllegalStateException("bit is not claimed: index=" + index
                + " fromIndex=" + fromIndex + " count=" + count + " bitCount=" + bitCount);
    }
}
