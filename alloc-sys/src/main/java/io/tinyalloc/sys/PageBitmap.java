package io.tinyalloc.sys;

/**
 * One bit per page of a {@link Region}: set = committed. Two levels, so that a huge reservation
 * of which little is ever committed costs little heap: the second-level word arrays (one per
 * {@code 2^18} pages, 1 GiB of 4 KiB pages) are allocated on the first set bit in their range.
 *
 * <p>Invariant: {@code setCount == number of set bits}. Not thread-safe (the region locks).
 */
final class PageBitmap {

    private static final int WORDS_PER_CHUNK_SHIFT = 12;
    private static final int PAGES_PER_CHUNK_SHIFT = WORDS_PER_CHUNK_SHIFT + 6;
    private static final long PAGES_PER_CHUNK = 1L << PAGES_PER_CHUNK_SHIFT;

    private final long pageCount;
    private final long[][] chunks;
    private long setCount;

    PageBitmap(long pageCount) {
        this.pageCount = pageCount;
        this.chunks = new long[Math.toIntExact((pageCount + PAGES_PER_CHUNK - 1) >>> PAGES_PER_CHUNK_SHIFT)][];
    }

    long setCount() {
        return setCount;
    }

    boolean get(long pageIndex) {
        long[] chunk = chunks[(int) (pageIndex >>> PAGES_PER_CHUNK_SHIFT)];
        if (chunk == null) {
            return false;
        }
        int bit = (int) (pageIndex & (PAGES_PER_CHUNK - 1));
        return (chunk[bit >>> 6] & (1L << bit)) != 0;
    }

    /** Sets or clears the pages {@code [fromIndex, fromIndex + count)}. */
    void setRange(long fromIndex, long count, boolean value) {
        long end = fromIndex + count;
        for (long index = fromIndex; index < end; ) {
            long wordEnd = Math.min(end, (index | 63) + 1);
            updateWord(index, (int) (wordEnd - index), value);
            index = wordEnd;
        }
    }

    /** Updates {@code bitCount} bits of one word starting at {@code pageIndex}. */
    private void updateWord(long pageIndex, int bitCount, boolean value) {
        int chunkIndex = (int) (pageIndex >>> PAGES_PER_CHUNK_SHIFT);
        long[] chunk = chunks[chunkIndex];
        if (chunk == null) {
            if (!value) {
                return;
            }
            chunk = chunks[chunkIndex] = new long[1 << WORDS_PER_CHUNK_SHIFT];
        }
        int bit = (int) (pageIndex & (PAGES_PER_CHUNK - 1));
        long mask = (bitCount == 64 ? -1L : (1L << bitCount) - 1) << (bit & 63);
        long old = chunk[bit >>> 6];
        long updated = value ? old | mask : old & ~mask;
        chunk[bit >>> 6] = updated;
        setCount += Long.bitCount(updated) - Long.bitCount(old);
    }

    long pageCount() {
        return pageCount;
    }
}
