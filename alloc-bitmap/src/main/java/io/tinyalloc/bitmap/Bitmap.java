package io.tinyalloc.bitmap;

/**
 * A fixed number of bits, indexed from 0 to {@code bitCount() - 1}, for single-threaded use.
 *
 * <p>Searches return the index they found or -1 when there is none. A search may start at any
 * {@code fromIndex} in {@code [0, bitCount()]}; starting at {@code bitCount()} finds nothing, so
 * {@code for (int i = b.findFirstSet(); i >= 0; i = b.findNextSet(i + 1))} visits every set bit.
 *
 * <p>Errors: an index outside {@code [0, bitCount())} or a range outside the bitmap throws
 * {@link IndexOutOfBoundsException}; a negative count (or a run length below 1) throws
 * {@link IllegalArgumentException}. The messages name the values ({@code "index=70 bitCount=64"})
 * and the bitmap is unchanged after any error.
 *
 * <p>For bits shared between threads, see {@link AtomicBitmap}.
 */
public interface Bitmap {

    /** Number of bits, fixed at construction; always {@code > 0}. */
    int bitCount();

    boolean get(int index);

    void set(int index);

    void clear(int index);

    void flip(int index);

    void setAll();

    void clearAll();

    /** Sets {@code count >= 0} bits starting at {@code fromIndex}. */
    void setRange(int fromIndex, int count);

    /** Clears {@code count >= 0} bits starting at {@code fromIndex}. */
    void clearRange(int fromIndex, int count);

    int findFirstSet();

    int findFirstClear();

    /** The lowest set bit at or above {@code fromIndex}, or -1. */
    int findNextSet(int fromIndex);

    /** The lowest clear bit at or above {@code fromIndex}, or -1. */
    int findNextClear(int fromIndex);

    /** Index of the lowest run of {@code count >= 1} clear bits, or -1 if there is none. */
    int findClearRun(int count);

    /** Index of the lowest run of {@code count >= 1} clear bits that starts at or above {@code fromIndex}, or -1. */
    int findClearRun(int fromIndex, int count);

    /** Number of set bits. */
    int cardinality();

    /** True if no bit is set. */
    boolean isClear();

    /** True if every bit is set. */
    boolean isFull();
}
