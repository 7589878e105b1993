package io.tinyalloc.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the calls that are reading a segment header they found through the page map without
 * holding a lock that keeps the segment's arena mapped: the slow paths of free and usableSize.
 * An arena may be unmapped only once this count has been seen at zero after the arena stopped
 * being reachable through the page map ({@link Arenas} retiring): a reader that entered later
 * looks the page map up later and finds nothing there.
 *
 * <pre>
 *  stripe = threadId & (STRIPES - 1), one counter per 64-byte line:
 *  | count 0 | pad ... | count 1 | pad ... | ...
 * </pre>
 *
 * <p>A thread always enters and exits on the same stripe, so every counter stays >= 0 and a
 * reader active during {@link #isQuiet} keeps its stripe above zero for the whole scan. A reader
 * whose enter the scan missed entered after the scan read its stripe, hence after the page map
 * was cleared: the enter is a full fence (getAndAdd) that precedes its page-map read.
 *
 * <p>Free of cost for the fast paths: they are not counted (a thread cache owner's fast path is
 * covered by the quiescence epoch of {@link ThreadCaches}).
 */
final class SlowReaders {

    static final int STRIPES = 16;
    /** Longs per stripe: one cache line, so that two threads' counters do not share one. */
    private static final int STRIDE = 8;

    private final AtomicLongArray counts = new AtomicLongArray(STRIPES * STRIDE);

    /** Marks the calling thread as reading; returns the stripe to pass to {@link #exit}. */
    int enter() {
        int stripe = (int) Thread.currentThread().threadId() & (STRIPES - 1);
        counts.getAndIncrement(stripe * STRIDE);
        return stripe;
    }

    void exit(int stripe) {
        counts.getAndDecrement(stripe * STRIDE);
    }

    /**
     * True if no reader was active at the moment each stripe was read. Each stripe is read with a
     * read-modify-write, not a plain volatile read: a reader whose increment comes after it then
     * synchronizes with this scan, so by the memory model (not only by x86's or AArch64's) its
     * page-map lookup sees what was cleared before the scan.
     */
    boolean isQuiet() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            if (counts.getAndAdd(stripe * STRIDE, 0) != 0) {
                return false;
            }
        }
        return true;
    }
}
