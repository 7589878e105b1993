package io.tinyalloc.bitmap;

/**
 * A {@link Bitmap} over an on-heap {@code long[]}, in the word order of {@link BitmapLayout};
 * for bookkeeping that does not need to live off-heap. Single-threaded.
 */
public final class LongArrayBitmap extends WordBitmap {

    private final long[] words;

    /** A bitmap of {@code bitCount > 0} bits, all clear. */
    public LongArrayBitmap(int bitCount) {
        super(bitCount);
        this.words = new long[wordCount];
    }

    @Override
    long loadWord(int wordIndex) {
        return words[wordIndex];
    }

    @Override
    void storeWord(int wordIndex, long word) {
        words[wordIndex] = word;
    }
}
