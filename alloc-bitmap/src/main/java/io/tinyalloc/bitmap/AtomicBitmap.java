package io.tinyalloc.bitmap;

import static io.tinyalloc.bitmap.BitmapLayout.bitMask;
import static io.tinyalloc.bitmap.BitmapLayout.fromMask;
import static io.tinyalloc.bitmap.BitmapLayout.indexOf;
import static io.tinyalloc.bitmap.BitmapLayout.rangeMask;
import static io.tinyalloc.bitmap.BitmapLayout.wordIndex;

import io.tinyalloc.sys.Memory;

/**
 * Slots claimed and released by many threads at once: a bitmap over 64-bit words in native
 * memory ({@link BitmapLayout}) where a set bit means "owned". Every change is one atomic
 * read-modify-write of one word (CAS, atomic AND/OR), so there is no lock and no thread ever
 * waits for another; a CAS that loses a race retries on the word value it got back.
 *
 * <p>The object is a view: the caller owns {@link #byteSizeFor(int)} bytes at an 8-byte aligned
 * {@code address}. Zeroed memory is an empty bitmap; {@link #clearAll()} resets one before use.
 *
 * <p><b>Invariants</b>
 * <ul>
 *   <li>a bit is set exactly while one caller owns it: between a claim that returned it (or a
 *       {@code tryClaim} that returned true) and its release; no bit is ever owned twice</li>
 *   <li>tail bits of the last word are never set (claims mask them out)</li>
 *   <li>a failed {@link #claimRun(int)} leaves no bit of its attempt set when it returns</li>
 * </ul>
 *
 * <p><b>Consistency</b> (checked with Lincheck against a sequential {@code BitSet} model)
 * <ul>
 *   <li>Linearizable always: {@link #tryClaim(int)}, {@link #release(int)} and {@link #get(int)},
 *       each at its single atomic access, and {@link #releaseRun(int, int)} within one word.</li>
 *   <li>Linearizable in a one-word bitmap ({@code bitCount <= 64}): every operation, with
 *       {@link #claim()} returning the lowest clear bit and {@link #claimRun(int)} the lowest run
 *       (or -1 when there is none).</li>
 *   <li>Across several words, {@link #claim()} scans word by word: a bit it returns was clear and
 *       is now the caller's (it takes effect at the winning CAS), but a bit released behind the
 *       scan in a word already passed is missed, so it may return a higher bit than the lowest
 *       clear one, or -1 although a bit became free during the call. Reads of several words
 *       ({@link #cardinality()}, {@link #isClear()}, {@link #findFirstClear()},
 *       {@link #findClearRun(int)}) read each word atomically but not all at one instant: exact
 *       when nothing changes meanwhile, estimates otherwise. A linearizable answer would need an
 *       atomic snapshot of all words, which would cost every claim and release a shared counter.</li>
 *   <li>{@link #claimRun(int)} across words sets one word after another, so other threads may
 *       briefly see part of a run that is being claimed (it is never handed out twice), and it
 *       does not promise the lowest run.</li>
 * </ul>
 *
 * <p>Memory ordering: claims and releases are volatile read-modify-writes, so whatever the owner
 * of a slot wrote before {@code release} happens-before the reads of the next owner after its
 * claim. Reads use acquire loads.
 */
public final class AtomicBitmap extends WordSearch {

    private final long address;

    public AtomicBitmap(long address, int bitCount) {
        super(bitCount);
        BitmapErrors.checkAddress(address);
        this.address = address;
    }

    /** Bytes of memory a bitmap of {@code bitCount} bits needs: {@code 8 * ceil(bitCount / 64)}. */
    public static long byteSizeFor(int bitCount) {
        return BitmapLayout.byteSizeFor(bitCount);
    }

    public long address() {
        return address;
    }

    public int bitCount() {
        return bitCount;
    }

    /**
     * Atomically finds a clear bit, sets it and returns its index (the lowest clear bit of the
     * first word found with one); -1 if every word was full when scanned.
     */
    public int claim() {
        for (int wordIndex = 0; wordIndex < wordCount; wordIndex++) {
            int index = claimInWord(wordIndex);
            if (index >= 0) {
                return index;
            }
        }
        return -1;
    }

    /** Sets bit {@code index} if it is clear; true if this call set it. */
    public boolean tryClaim(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        long wordAddress = wordAddress(wordIndex(index));
        long bit = bitMask(index);
        // Reading first keeps a taken bit from costing a write to a contended cache line.
        return (Memory.getLongAcquire(wordAddress) & bit) == 0
                && (Memory.getAndBitwiseOrLong(wordAddress, bit) & bit) == 0;
    }

    /**
     * Atomically claims {@code count >= 1} consecutive clear bits and returns the first index, or
     * -1 if no such run was found.
     *
     * <p>A run inside one word is chosen from the very word value its CAS expects (the lowest
     * run of that value), so what it claims was the lowest run of that word at the CAS; if the
     * word changed meanwhile, the search runs again. A run across words is claimed word by word,
     * lowest first; if another thread takes one of its bits first, the words already set are
     * cleared again and the search goes on past that bit. Lock-free: every retry means another
     * thread changed the bitmap.
     */
    public int claimRun(int count) {
        BitmapErrors.checkRunCount(count);
        int fromIndex = 0;
        while (true) {
            int start = clearRun(fromIndex, count);
            if (start < 0) {
                return -1;
            }
            int wordIndex = wordIndex(start);
            if (wordIndex == wordIndex(start + count - 1)) {
                int claimed = claimRunInWord(wordIndex, fromIndex, count);
                if (claimed >= 0) {
                    return claimed;
                }
            } else {
                int blocker = claimRunAcrossWords(start, start + count);
                if (blocker < 0) {
                    return start;
                }
                fromIndex = blocker + 1;
            }
        }
    }

    /**
     * Clears bit {@code index}, which the caller owns.
     *
     * @throws IllegalStateException if the bit is clear (a double release); nothing changes
     */
    public void release(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        long bit = bitMask(index);
        long previous = Memory.getAndBitwiseAndLong(wordAddress(wordIndex(index)), ~bit);
        if ((previous & bit) == 0) {
            throw BitmapErrors.notClaimed(index, bitCount);
        }
    }

    /**
     * Clears {@code count >= 0} bits from {@code fromIndex}, a run the caller owns.
     *
     * @throws IllegalStateException naming the first clear bit if any bit of the run is clear.
     *         Nothing changes: each word is checked and cleared in one CAS, and a run across
     *         words is checked whole before any word is cleared (only another thread releasing
     *         bits of the same run at the same moment, itself a bug, can get between the two)
     */
    public void releaseRun(int fromIndex, int count) {
        BitmapErrors.checkRange(fromIndex, count, bitCount);
        if (count == 0) {
            return;
        }
        int toIndex = fromIndex + count;
        int firstWordIndex = wordIndex(fromIndex);
        int lastWordIndex = wordIndex(toIndex - 1);
        if (firstWordIndex != lastWordIndex) {
            for (int wordIndex = firstWordIndex; wordIndex <= lastWordIndex; wordIndex++) {
                long missing = rangeMask(wordIndex, fromIndex, toIndex) & ~loadWord(wordIndex);
                if (missing != 0) {
                    throw BitmapErrors.runNotClaimed(indexOf(wordIndex, missing), fromIndex, count, bitCount);
                }
            }
        }
        for (int wordIndex = firstWordIndex; wordIndex <= lastWordIndex; wordIndex++) {
            long missing = releaseMask(wordAddress(wordIndex), rangeMask(wordIndex, fromIndex, toIndex));
            if (missing != 0) {
                throw BitmapErrors.runNotClaimed(indexOf(wordIndex, missing), fromIndex, count, bitCount);
            }
        }
    }

    public boolean get(int index) {
        BitmapErrors.checkIndex(index, bitCount);
        return (loadWord(wordIndex(index)) & bitMask(index)) != 0;
    }

    /** Number of set bits (see the class comment for what it means under concurrent change). */
    public int cardinality() {
        return countSetBits();
    }

    public boolean isClear() {
        return firstWordOtherThan(0L, 0) < 0;
    }

    /** The lowest clear bit seen, or -1; a hint under concurrent change, not a claim. */
    public int findFirstClear() {
        return nextClear(0);
    }

    /** The lowest run of {@code count >= 1} clear bits seen, or -1; a hint, not a claim. */
    public int findClearRun(int count) {
        BitmapErrors.checkRunCount(count);
        return clearRun(0, count);
    }

    /** Clears every bit; only for (re)initialization, while no other thread uses the bitmap. */
    public void clearAll() {
        for (int wordIndex = 0; wordIndex < wordCount; wordIndex++) {
            Memory.putLongRelease(wordAddress(wordIndex), 0L);
        }
    }

    @Override
    public String toString() {
        return "AtomicBitmap[address=0x" + Long.toHexString(address) + " bitCount=" + bitCount
                + " cardinality=" + cardinality() + "]";
    }

    // ---- claims -------------------------------------------------------------------------------

    private int claimInWord(int wordIndex) {
        long wordAddress = wordAddress(wordIndex);
        long validMask = validMask(wordIndex);
        long word = Memory.getLongAcquire(wordAddress);
        long free;
        while ((free = ~word & validMask) != 0) {
            long bit = free & -free;
            long witness = Memory.compareAndExchangeLong(wordAddress, word, word | bit);
            if (witness == word) {
                return indexOf(wordIndex, bit); // linearization point
            }
            word = witness;
        }
        return -1;
    }

    /**
     * One attempt at the lowest run of {@code count} clear bits inside word {@code wordIndex}
     * (at or above {@code fromIndex}): its index, or -1 if the word changed since it was read.
     */
    private int claimRunInWord(int wordIndex, int fromIndex, int count) {
        long wordAddress = wordAddress(wordIndex);
        long word = Memory.getLongAcquire(wordAddress);
        long free = ~word & validMask(wordIndex);
        if (wordIndex == wordIndex(fromIndex)) {
            free &= fromMask(fromIndex);
        }
        long starts = BitmapLayout.runStarts(free, count);
        if (starts == 0) {
            return -1;
        }
        long mask = BitmapLayout.runMask(Long.numberOfTrailingZeros(starts), count);
        if (!Memory.compareAndSetLong(wordAddress, word, word | mask)) { // linearization point
            return -1;
        }
        return indexOf(wordIndex, starts);
    }

    /**
     * Claims [fromIndex, toIndex), which spans words, one word at a time: -1 once all are set;
     * otherwise, after clearing the words it had already set, the index of a bit found taken.
     */
    private int claimRunAcrossWords(int fromIndex, int toIndex) {
        int firstWordIndex = wordIndex(fromIndex);
        int lastWordIndex = wordIndex(toIndex - 1);
        for (int wordIndex = firstWordIndex; wordIndex <= lastWordIndex; wordIndex++) {
            long taken = claimMask(wordAddress(wordIndex), rangeMask(wordIndex, fromIndex, toIndex));
            if (taken != 0) {
                undoClaim(firstWordIndex, wordIndex, fromIndex, toIndex);
                return indexOf(wordIndex, taken);
            }
        }
        return -1;
    }

    /** Sets all bits of {@code mask} in one CAS once all are clear: returns 0, or the bits found set. */
    private static long claimMask(long wordAddress, long mask) {
        long word = Memory.getLongAcquire(wordAddress);
        while ((word & mask) == 0) {
            long witness = Memory.compareAndExchangeLong(wordAddress, word, word | mask);
            if (witness == word) {
                return 0;
            }
            word = witness;
        }
        return word & mask;
    }

    /** Clears what {@link #claimRunAcrossWords} set in words [firstWordIndex, endWordIndex): bits this thread owns. */
    private void undoClaim(int firstWordIndex, int endWordIndex, int fromIndex, int toIndex) {
        for (int wordIndex = firstWordIndex; wordIndex < endWordIndex; wordIndex++) {
            Memory.getAndBitwiseAndLong(wordAddress(wordIndex), ~rangeMask(wordIndex, fromIndex, toIndex));
        }
    }

    /** Clears all bits of {@code mask} in one CAS if all are set: returns 0, or the bits found clear (nothing changed). */
    private static long releaseMask(long wordAddress, long mask) {
        long word = Memory.getLongAcquire(wordAddress);
        while ((word & mask) == mask) {
            long witness = Memory.compareAndExchangeLong(wordAddress, word, word & ~mask);
            if (witness == word) {
                return 0;
            }
            word = witness;
        }
        return mask & ~word;
    }

    /** Bits of word {@code wordIndex} that belong to the bitmap. */
    private long validMask(int wordIndex) {
        return wordIndex == wordCount - 1 ? lastWordMask : -1L;
    }

    /** An acquire load: what the scans of {@link WordSearch} read here. */
    @Override
    long loadWord(int wordIndex) {
        return Memory.getLongAcquire(wordAddress(wordIndex));
    }

    private long wordAddress(int wordIndex) {
        return address + BitmapLayout.wordOffset(wordIndex);
    }
}
