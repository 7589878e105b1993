package io.tinyalloc.bitmap;

import static io.tinyalloc.bitmap.BitmapLayout.bitMask;
import static io.tinyalloc.bitmap.BitmapLayout.fromMask;
import static io.tinyalloc.bitmap.BitmapLayout.indexOf;
import static io.tinyalloc.bitmap.BitmapLayout.rangeMask;
import static io.tinyalloc.bitmap.BitmapLayout.wordIndex;

/**
 * The algorithms of a plain {@link Bitmap}, written once over two primitive word accessors that
 * each storage implements ({@link OffHeapBitmap}: native memory; {@link LongArrayBitmap}: a
 * {@code long[]}). Everything works a word at a time; the searches and their invariants are
 * those of {@link WordSearch}, which {@link AtomicBitmap} shares. The class is sealed to these
 * two storages so that its own word accesses stay at most bimorphic and the JIT can inline them
 * into the loops.
 */
abstract sealed class WordBitmap extends WordSearch implements Bitmap permits OffHeapBitmap, LongArrayBitmap {

    WordBitmap(int bitCount) {
        super(bitCount);
    }

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
        return countSetBits();
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

    // ---- scans without argument checks: 0 <= fromIndex <= bitCount (more in WordSearch) ---------

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

    /** One past the last word of a range; for an empty range the range loops run zero times. */
    private static int wordEnd(int toIndex, int count) {
        return count == 0 ? 0 : wordIndex(toIndex - 1) + 1;
    }
}
