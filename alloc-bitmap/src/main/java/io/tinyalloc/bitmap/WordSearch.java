package io.tinyalloc.bitmap;

import static io.tinyalloc.bitmap.BitmapLayout.fromMask;
import static io.tinyalloc.bitmap.BitmapLayout.indexOf;
import static io.tinyalloc.bitmap.BitmapLayout.wordIndex;

/**
 * The searches every bitmap of this package shares, written once over one word accessor,
 * {@link #loadWord}, that each bitmap implements: plain loads ({@link OffHeapBitmap}), a
 * {@code long[]} ({@link LongArrayBitmap}) or acquire loads ({@link AtomicBitmap}, whose searches
 * are therefore hints under concurrent change). Scans skip full or empty words with one
 * comparison and locate bits with {@link Long#numberOfTrailingZeros}.
 *
 * <p>Invariants (see {@link BitmapLayout}):
 * <ul>
 *   <li>{@code wordCount == ceil(bitCount / 64)}, {@code lastWordMask == -1L >>> -bitCount}</li>
 *   <li>{@code (loadWord(wordCount - 1) & ~lastWordMask) == 0}: tail bits are never set</li>
 * </ul>
 * The class is sealed and every bitmap class final, so that wherever the JIT knows which bitmap it
 * has, {@link #loadWord} binds statically and inlines into the scan loops; where it does not, the
 * call follows the type profile, which stays monomorphic while a program scans one kind of bitmap
 * (the allocator scans only {@link LongArrayBitmap}).
 */
abstract sealed class WordSearch permits WordBitmap, AtomicBitmap {

    final int bitCount;
    final int wordCount;
    final long lastWordMask;

    WordSearch(int bitCount) {
        BitmapErrors.checkBitCount(bitCount);
        this.bitCount = bitCount;
        this.wordCount = BitmapLayout.wordCount(bitCount);
        this.lastWordMask = BitmapLayout.lastWordMask(bitCount);
    }

    abstract long loadWord(int wordIndex);

    final int countSetBits() {
        int count = 0;
        for (int wordIndex = 0; wordIndex < wordCount; wordIndex++) {
            count += Long.bitCount(loadWord(wordIndex));
        }
        return count;
    }

    // ---- scans without argument checks: 0 <= fromIndex <= bitCount ----------------------------

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
    final int firstWordOtherThan(long skipped, int wordIndex) {
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
}
