package io.tinyalloc.bitmap;

/**
 * Layout of a bitmap in memory: an array of 64-bit words, least significant bit first.
 *
 * <pre>
 *   address + 0          address + 8          address + 8 * (wordCount - 1)
 *   +--------------------+--------------------+-----+----------------------------+
 *   | word 0             | word 1             | ... | word wordCount - 1         |
 *   | bit 63 ...... bit 0| bit 127 ... bit 64 |     | 0 0 0 (tail) | last bits   |
 *   +--------------------+--------------------+-----+----------------------------+
 *
 *   bit index i  ->  word i >>> 6, bit position i & 63      (java.util.BitSet#toLongArray order)
 *   wordCount    =   ceil(bitCount / 64)
 *   byteSize     =   8 * wordCount
 * </pre>
 *
 * <p>Invariant: the tail bits of the last word (positions {@code >= bitCount & 63} when
 * {@code bitCount} is not a multiple of 64) are always 0. Queries rely on it: cardinality sums
 * whole words, and a set bit found by a word scan is always a real bit. Zeroed memory is
 * therefore a valid, empty bitmap of any size that fits.
 *
 * <p>The same layout serves {@link OffHeapBitmap}, {@link AtomicBitmap} and, on the heap,
 * {@link LongArrayBitmap}: the words written by one can be read by another.
 */
public final class BitmapLayout {

    /** Bytes per word; word {@code w} starts at byte offset {@code w * WORD_BYTE_SIZE}. */
    public static final int WORD_BYTE_SIZE = Long.BYTES;
    /** Bits per word. */
    public static final int BITS_PER_WORD = Long.SIZE;
    /** Byte alignment the word array needs (atomic access requires natural alignment). */
    public static final int BYTE_ALIGNMENT = Long.BYTES;

    static final int WORD_INDEX_SHIFT = 6;

    private BitmapLayout() {
    }

    /** Number of 64-bit words holding {@code bitCount} bits; rejects {@code bitCount <= 0}. */
    public static int wordCountFor(int bitCount) {
        BitmapErrors.checkBitCount(bitCount);
        return wordCount(bitCount);
    }

    /** Bytes of memory a bitmap of {@code bitCount} bits needs; rejects {@code bitCount <= 0}. */
    public static long byteSizeFor(int bitCount) {
        return (long) wordCountFor(bitCount) * WORD_BYTE_SIZE;
    }

    /** Byte offset of word {@code wordIndex} from the start of the bitmap. */
    public static long wordOffset(int wordIndex) {
        return (long) wordIndex << 3;
    }

    static int wordCount(int bitCount) {
        return (int) (((long) bitCount + BITS_PER_WORD - 1) >>> WORD_INDEX_SHIFT);
    }

    static int wordIndex(int bitIndex) {
        return bitIndex >>> WORD_INDEX_SHIFT;
    }

    /** The single bit of {@code bitIndex} within its word (Java shifts by {@code bitIndex & 63}). */
    static long bitMask(int bitIndex) {
        return 1L << bitIndex;
    }

    /** Bits of the last word that belong to the bitmap: all 64 when bitCount is a multiple of 64. */
    static long lastWordMask(int bitCount) {
        return -1L >>> -bitCount;
    }

    /** Bits at or above {@code fromIndex} within the word that holds it. */
    static long fromMask(int fromIndex) {
        return -1L << fromIndex;
    }

    /** Bits below {@code toIndex} (exclusive, > 0) within the word that holds {@code toIndex - 1}. */
    static long toMask(int toIndex) {
        return -1L >>> -toIndex;
    }

    /** Bits of [fromIndex, toIndex) that fall into word {@code wordIndex}; the range must touch it. */
    static long rangeMask(int wordIndex, int fromIndex, int toIndex) {
        long mask = -1L;
        if (wordIndex == wordIndex(fromIndex)) {
            mask &= fromMask(fromIndex);
        }
        if (wordIndex == wordIndex(toIndex - 1)) {
            mask &= toMask(toIndex);
        }
        return mask;
    }

    /**
     * Positions {@code p} of {@code free} where bits {@code p .. p + count - 1} are all set, for
     * {@code 1 <= count <= 64}: runs of free bits that lie inside the word. Each step doubles the
     * length checked so far ({@code x &= x >>> step}), so this costs O(log count).
     */
    static long runStarts(long free, int count) {
        long starts = free;
        int covered = 1;
        while (covered < count && starts != 0) {
            int step = Math.min(covered, count - covered);
            starts &= starts >>> step;
            covered += step;
        }
        return starts;
    }

    /** {@code count} bits (1..64) from bit position {@code position}, inside one word. */
    static long runMask(int position, int count) {
        return (-1L >>> (BITS_PER_WORD - count)) << position;
    }

    /** Index of the lowest set bit of a non-zero {@code word} at {@code wordIndex}. */
    static int indexOf(int wordIndex, long word) {
        return (wordIndex << WORD_INDEX_SHIFT) + Long.numberOfTrailingZeros(word);
    }
}
