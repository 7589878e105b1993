package io.tinyalloc.bitmap;

import static io.tinyalloc.bitmap.BitmapLayout.bitMask;
import static io.tinyalloc.bitmap.BitmapLayout.fromMask;
import static io.tinyalloc.bitmap.BitmapLayout.indexOf;
import static io.tinyalloc.bitmap.BitmapLayout.rangeMask;
import static io.tinyalloc.bitmap.BitmapLayout.wordIndex;

/**
 * The algorithms of a plain {@link Bitmap}, written once over two primitive word accessors that
 * each storage implements ({@link OffHeapBitmap}: native memory; {@link LongArrayBitmap}: a
 * {@code long[]}). Everything works a word at a time: scans skip full or empty words with one
 * comparison and locate bits with {@link Long#numberOfTrailingZeros}.
 *
 * <p>Invariants (see {@link BitmapLayout}):
 * <ul>
 *   <li>{@code wordCount == ceil(bitCount / 64)}, {@code lastWordMask == -1L >>> -bitCount}</li>
 *   <li>{@code (loadWord(wordCount - 1) & ~lastWordMask) == 0}: tail bits are never set</li>
 * </ul>
 * The class is sealed to these two storages so that word access stays at most bimorphic and the
 * JIT can inline it into the scan loops.
 */
abstract sealed class WordBitmap implements Bitmap permits OffHeapBitmap, LongArrayBitmap {

    final int bitCount;
    final int wordCount;
    final long lastWordMask;

    WordBitmap(int bitCount) {
        BitmapErrors.checkBitCount(bitCount);
        this.bitCount = bitCount;
        this.wordCount = BitmapLayout.wordCount(bitCount);
        this.lastWordMask = BitmapLayout.lastWordMask(bitCount);
    }

    abstract long loadWord(int wordIndex);

    abstract void storeWord(int wordIndex, long word);

    @Override
    public final int bitCount() {
        return bitCount;
    }

    @Override
    public final boolean get(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        return (loadWord(wordIndex(index)) & bitMask(index)) != 0;
    }

    @Override
    public final void set(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        int wordIndex = wordIndex(index);
        storeWord(wordIndex, loadWord(wordIndex) | bitMask(index));
    }

    @Override
    public final void clear(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        int wordIndex = wordIndex(index);
        storeWord(wordIndex, loadWord(wordIndex) & ~bitMask(index));
    }

    @Override
    public final void flip(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        int wordIndex = wordIndex(index);
        storeWord(wordIndex, loadWord(wordIndex) ^ bitMask(index));
    }

    @Override
    public final void setAll() {
        for (int wordIndex = 0; wordIndex < wordCount - 1; wordIndex++) {
            storeWord(wordIndex, -1L);
        }
        storeWord(wordCount - 1, lastWordMask);
    }

    @Override
    public final void clearAll() {
        for (int wordIndex = 0; wordIndex < wordCount; wordIndex++) {
            storeWord(wordIndex, 0L);
        }
    }

    @Override
    public final void setRange(int fromIndex, int count) {
        BitmapErrors.checkRange(fromIndex, count, bitCount);
        int toIndex = fromIndex + count;
        for (int wordIndex = wordIndex(fromIndex); wordIndex < wordEnd(toIndex, count); wordIndex++) {
            storeWord(wordIndex, loadWord(wordIndex) | rangeMask(wordIndex, fromIndex, toIndex));
        }
    }

    @Override
    public final void clearRange(int fromIndex, int count) {
        BitmapErrors.checkRange(fromIndex, count, bitCount);
        int toIndex = fromIndex + count;
        for (int wordIndex = wordIndex(fromIndex); wordIndex < wordEnd(toIndex, count); wordIndex++) {
            storeWord(wordIndex, loadWord(wordIndex) & ~rangeMask(wordIndex, fromIndex, toIndex));
        }
    }

    @Override
    public final int findFirstSet() {
        return nextSet(0);
    }

    @Override
    public final int findFirstClear() {
        return nextClear(0);
    }

    @Override
    public final int findNextSet(int fromIndex) {
        BitmapErrors.checkFromIndex(fromIndex, bitCount);
        return nextSet(fromIndex);
    }

    @Override
    public final int findNextClear(int fromIndex) {
        BitmapErrors.checkFromIndex(fromIndex, bitCount);
        return nextClear(fromIndex);
    }

    @Override
    public final int findClearRun(int count) {
        BitmapErrors.checkRunCount(count);
        return clearRun(0, count);
    }

    @Override
    public final int findClearRun(int fromIndex, int count) {
        BitmapErrors.checkFromIndex(fromIndex, bitCount);
        BitmapErrors.checkRunCount(count);
        return clearRun(fromIndex, count);
    }

    @Override
    public final int cardinality() {
        int count = 0;
        for (int wordIndex = 0; wordIndex < wordCount; wordIndex++) {
            count += Long.bitCount(loadWord(wordIndex));
        }
        return count;
    }

    @Override
    public final boolean isClear() {
        return firstWordOtherThan(0L, 0) < 0;
    }

    @Override
    public final boolean isFull() {
        for (int wordIndex = 0; wordIndex < wordCount - 1; wordIndex++) {
            if (loadWord(wordIndex) != -1L) {
                return false;
            }
        }
        return loadWord(wordCount - 1) == lastWordMask;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[bitCount=" + bitCount + " cardinality=" + cardinality() + "]";
    }

    /** Cheap executable invariant, for {@code assert}: no tail bit is set. */
    final boolean tailIsClear() {
        return (loadWord(wordCount - 1) & ~lastWordMask) == 0;
    }

    // ---- scans without argument checks: 0 <= fromIndex <= bitCount ----------------------------

    final int nextSet(int fromIndex) {
        if (fromIndex >= bitCount) {
            return -1;
        }
        int wordIndex = wordIndex(fromIndex);
        long word = loadWord(wordIndex) & fromMask(fromIndex);
        if (word == 0) {
            wordIndex = firstWordOtherThan(0L, wordIndex + 1);
            if (wordIndex < 0) {
                return -1;
            }
            word = loadWord(wordIndex);
        }
        return indexOf(wordIndex, word);
    }

    final int nextClear(int fromIndex) {
        if (fromIndex >= bitCount) {
            return -1;
        }
        int wordIndex = wordIndex(fromIndex);
        long free = ~loadWord(wordIndex) & fromMask(fromIndex);
        if (free == 0) {
            wordIndex = firstWordOtherThan(-1L, wordIndex + 1);
            if (wordIndex < 0) {
                return -1;
            }
            free = ~loadWord(wordIndex);
        }
        int index = indexOf(wordIndex, free);
        return index < bitCount ? index : -1;
    }

    /**
     * The first word at or after {@code wordIndex} that is not {@code skipped}, or -1: how scans
     * pass over empty or full words. A plain counted loop, so that the JIT drops the array bounds
     * check of {@link LongArrayBitmap} and unrolls it (a loop ending on {@code ++i == n} keeps both).
     */
    private int firstWordOtherThan(long skipped, int wordIndex) {
        for (; wordIndex < wordCount; wordIndex++) {
            if (loadWord(wordIndex) != skipped) {
                return wordIndex;
            }
        }
        return -1;
    }

    /**
     * One pass over the words. Per word: first a run continuing from the words before (the clear
     * bits carried over from their top plus this word's clear bits at the bottom), then runs
     * inside the word ({@link BitmapLayout#runStarts}, O(log count)), then the clear bits at the
     * top are carried on. A word with no clear bit costs one load and one compare.
     */
    final int clearRun(int fromIndex, int count) {
        if (count > bitCount - fromIndex) {
            return -1;
        }
        int wordIndex = wordIndex(fromIndex);
        long free = ~loadWord(wordIndex) & fromMask(fromIndex);
        int carriedCount = 0;
        while (true) {
            if (wordIndex == wordCount - 1) {
                free &= lastWordMask;
            }
            if (free == 0) {
                carriedCount = 0;
            } else {
                if (carriedCount + Long.numberOfTrailingZeros(~free) >= count) {
                    return (wordIndex << BitmapLayout.WORD_INDEX_SHIFT) - carriedCount;
                }
                long starts = count <= BitmapLayout.BITS_PER_WORD ? BitmapLayout.runStarts(free, count) : 0;
                if (starts != 0) {
                    return indexOf(wordIndex, starts);
                }
                carriedCount = free == -1L ? carriedCount + BitmapLayout.BITS_PER_WORD : Long.numberOfLeadingZeros(~free);
            }
            if (++wordIndex == wordCount) {
                return -1;
            }
            free = ~loadWord(wordIndex);
            if (free == 0) {
                carriedCount = 0;
                wordIndex = firstWordOtherThan(-1L, wordIndex + 1);
                if (wordIndex < 0) {
                    return -1;
                }
                free = ~loadWord(wordIndex);
            }
        }
    }

    /** One past the last word of a range; for an empty range the range loops run zero times. */
    private static int wordEnd(int toIndex, int count) {
        return count == 0 ? 0 : wordIndex(toIndex - 1) + 1;
    }
}
