package io.tinyalloc.core;

import static io.tinyalloc.core.SegmentLayout.BLOCK_START_OFFSET;
import static io.tinyalloc.core.SegmentLayout.DIRTY_SEEN_OFFSET;
import static io.tinyalloc.core.SegmentLayout.DIRTY_SINCE_NANOS_OFFSET;
import static io.tinyalloc.core.SegmentLayout.FREED_COUNT_OFFSET;
import static io.tinyalloc.core.SegmentLayout.FREE_HEAD_OFFSET;
import static io.tinyalloc.core.SegmentLayout.PURGED_COUNT_OFFSET;
import static io.tinyalloc.core.SegmentLayout.PURGED_PAGES_LONG_COUNT;
import static io.tinyalloc.core.SegmentLayout.PURGED_PAGES_OFFSET;
import static io.tinyalloc.core.SegmentLayout.REVIVE_INDEX_OFFSET;
import static io.tinyalloc.core.SegmentLayout.SEGMENT_SIZE;
import static io.tinyalloc.core.SegmentLayout.STATE_FREE;
import static io.tinyalloc.core.SegmentLayout.STATE_OFFSET;
import static io.tinyalloc.core.SegmentLayout.STATE_PURGED;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;

/**
 * Page-granular purging of the free blocks of a segment that is still partly in use, and the
 * revival of those blocks when the segment needs them again.
 *
 * <pre>
 *   blocks   | live | free | free | free | free | live |        run = consecutive FREE/PURGED blocks
 *   pages    |    p0    |    p1    |    p2    |    p3   |       only pages wholly inside the run
 *   purge               [=====  madvise  =====)                 (p1, p2) are given back
 *   states   | live | PRG  | PRG  | PRG  | PRG  | live |        every block overlapping them: PURGED
 * </pre>
 *
 * <p>Why a state and not just madvise: the free list is intrusive (each free block holds the next
 * one's address in its first 8 bytes), and a purged page reads as zero. So a purge takes the blocks
 * overlapping the pages it gives back out of the free list (state PURGED) and rebuilds the list
 * from the FREE blocks left, which all lie on resident pages. A block that only partly overlaps a
 * purged page becomes PURGED too, so a block handed out from the free list never spans a page the
 * heap no longer counts as committed.
 *
 * <p>Accounting: a purged page leaves {@link VirtualMemory#committedBytes()} and is marked in the
 * segment's PURGED_PAGES bitmap; the memory limit keeps room for it ({@link VirtualMemory}'s held
 * bytes), so a revival never fails on the limit. {@link #revive} recommits the pages of the blocks
 * it revives (one {@code commit} call, no page is touched before), {@link #recommitAll} those left
 * when the segment is retired (the arenas count a spare segment as wholly committed).
 *
 * <p>Invariants (checked by {@link #check}): every block overlapping a marked page is PURGED;
 * no PURGED block lies below REVIVE_INDEX; marked pages * page size == the bytes the class queue
 * holds for the segment. Not thread-safe: the caller holds the class lock. Only FREE and PURGED
 * blocks are read or written here; the lock-free free fast path only reads the header and moves
 * a state byte from ALLOCATED to CACHED, so it never races with a purge.
 */
final class SegmentPurge {

    static final long PAGE_SIZE = Platform.pageSize();
    static final int PAGE_SHIFT = Long.numberOfTrailingZeros(PAGE_SIZE);
    /**
     * A revival relinks blocks spanning about this many bytes (at least one block): relinking
     * writes into every block and so faults its page back in, and reviving a whole segment for one
     * malloc would refault up to 1 MiB.
     */
    static final long REVIVE_BYTE_SIZE = 64 * 1024;

    static {
        assert PAGE_SHIFT >= SegmentLayout.MIN_PAGE_SHIFT;
    }

    private SegmentPurge() {
    }

    /**
     * Gives back every page wholly inside a run of free blocks that is not given back yet, in the
     * configured purge mode. A refusal of the kernel (counted by {@code memory}) stops the scan:
     * what was purged before stays purged, the rest stays FREE and the segment stays dirty, so a
     * later pass retries.
     *
     * @return the bytes given back
     */
    static long purge(long base, VirtualMemory memory) {
        int bump = Segment.bumpIndex(base);
        // Counted range by range: a refusal in the middle of a run must not lose the ranges of
        // that run already given back (VirtualMemory holds them, the class must too).
        long[] bytes = {0};
        boolean refused = false;
        try {
            for (int index = nextFree(base, 0, bump); index < bump; ) {
                int end = endOfFreeRun(base, index, bump);
                purgeRun(base, index, end, memory, bytes);
                index = nextFree(base, end, bump);
            }
        } catch (MapException e) {
            refused = true;
        } finally {
            Segment.rebuildFreeList(base);
        }
        if (!refused) {
            Memory.putInt(base + FREED_COUNT_OFFSET, 0);
            Memory.putInt(base + DIRTY_SEEN_OFFSET, 0);
        }
        return bytes[0];
    }

    /**
     * Revives a batch of PURGED blocks (about {@link #REVIVE_BYTE_SIZE}) into the free list, which
     * must be empty. Their given-back pages are committed again first.
     *
     * @return the bytes recommitted (0 when the pages had been recommitted by an earlier revival)
     */
    static long revive(long base, VirtualMemory memory) {
        assert Segment.freeHead(base) == 0 && Segment.purgedCount(base) > 0;
        int bump = Segment.bumpIndex(base);
        int first = Memory.getInt(base + REVIVE_INDEX_OFFSET);
        while (first < bump && Segment.state(base, first) != STATE_PURGED) {
            first++;
        }
        if (first == bump) {
            throw Segment.broken(base, "no PURGED block at or above reviveIndex="
                    + Memory.getInt(base + REVIVE_INDEX_OFFSET) + " purgedCount=" + Segment.purgedCount(base));
        }
        int end = batchEnd(base, first, bump);
        long blockSize = Segment.blockByteSize(base);
        long spanStart = alignDown(Segment.blockAddress(base, first));
        long spanEnd = alignUp(Segment.blockAddress(base, end - 1) + blockSize);
        long recommitted = clearPages(base, spanStart, spanEnd);
        if (recommitted > 0) {
            memory.recommitHeld(spanStart, spanEnd - spanStart, recommitted);
        }
        relink(base, first, end);
        Memory.putInt(base + REVIVE_INDEX_OFFSET, end);
        return recommitted;
    }

    /**
     * Before retirement: recommits every page still given back, since the arenas count a spare
     * segment as wholly committed.
     *
     * @return the bytes recommitted
     */
    static long recommitAll(long base, VirtualMemory memory) {
        long held = clearPages(base, base, base + SEGMENT_SIZE);
        if (held > 0) {
            memory.recommitHeld(base, SEGMENT_SIZE, held);
        }
        return held;
    }

    /**
     * Drops now (MADV_DONTNEED) every page of the segment still given back. With
     * {@link PurgeMode#FREE} they were given back lazily and may still be resident; the marks and
     * the counters stay as they are (the pages are still given back). One call per run of marked
     * pages; a run the kernel refuses (counted by {@code memory}) is skipped, and the bytes returned
     * fall short of {@link #heldBytes} (the class queue then retries on the next trim).
     *
     * @return the bytes dropped
     */
    static long dropHeld(long base, VirtualMemory memory) {
        long bytes = 0;
        long end = base + SEGMENT_SIZE;
        for (long page = base; page < end; ) {
            if (!isPurgedPage(base, page)) {
                page += PAGE_SIZE;
                continue;
            }
            long runEnd = page + PAGE_SIZE;
            while (runEnd < end && isPurgedPage(base, runEnd)) {
                runEnd += PAGE_SIZE;
            }
            if (memory.dropLazilyFreed(page, runEnd - page)) {
                bytes += runEnd - page;
            }
            page = runEnd;
        }
        return bytes;
    }

    /** Bytes of the segment's pages given back and not recommitted. */
    static long heldBytes(long base) {
        long pages = 0;
        for (int i = 0; i < PURGED_PAGES_LONG_COUNT; i++) {
            pages += Long.bitCount(Memory.getLong(base + PURGED_PAGES_OFFSET + 8L * i));
        }
        return pages << PAGE_SHIFT;
    }

    /**
     * Decay's clock for a dirty segment (one with blocks freed since its last purge): the first
     * pass that sees it dirty stamps it; it is due once the stamp is at or before {@code cutoffNanos}.
     */
    static boolean isDue(long base, long nowNanos, long cutoffNanos) {
        if (Memory.getInt(base + DIRTY_SEEN_OFFSET) == 0) {
            Memory.putInt(base + DIRTY_SEEN_OFFSET, 1);
            Memory.putLong(base + DIRTY_SINCE_NANOS_OFFSET, nowNanos);
        }
        return Memory.getLong(base + DIRTY_SINCE_NANOS_OFFSET) - cutoffNanos <= 0;
    }

    /**
     * Expensive check: blocks overlapping a purged page are PURGED, none below REVIVE_INDEX.
     *
     * @return true, for {@code assert SegmentPurge.check(base)}
     */
    static boolean check(long base) {
        int bump = Segment.bumpIndex(base);
        int reviveIndex = Memory.getInt(base + REVIVE_INDEX_OFFSET);
        for (int index = 0; index < Math.min(reviveIndex, bump); index++) {
            if (Segment.state(base, index) == STATE_PURGED) {
                throw Segment.broken(base, "PURGED block below the revive index: index=" + index
                        + " reviveIndex=" + reviveIndex);
            }
        }
        long blockSize = Segment.blockByteSize(base);
        for (int index = 0; index < bump; index++) {
            long block = Segment.blockAddress(base, index);
            if (Segment.state(base, index) != STATE_PURGED
                    && !isClear(base, alignDown(block), alignUp(block + blockSize))) {
                throw Segment.broken(base, "block on a purged page is not PURGED: index=" + index
                        + " state=" + Segment.state(base, index));
            }
        }
        return true;
    }

    // ---- purge --------------------------------------------------------------------------------

    /**
     * Gives back the pages wholly inside blocks [first, end) that are not given back yet, adding
     * each range's bytes to {@code bytes[0]} as soon as the kernel has taken it.
     */
    private static void purgeRun(long base, int first, int end, VirtualMemory memory, long[] bytes) {
        long low = alignUp(Segment.blockAddress(base, first));
        long high = alignDown(Segment.blockAddress(base, end));
        for (long page = low; page < high; ) {
            if (isPurgedPage(base, page)) {
                page += PAGE_SIZE;
                continue;
            }
            long rangeEnd = page + PAGE_SIZE;
            while (rangeEnd < high && !isPurgedPage(base, rangeEnd)) {
                rangeEnd += PAGE_SIZE;
            }
            memory.purgeHeld(page, rangeEnd - page);
            markPages(base, page, rangeEnd);
            markBlocksPurged(base, page, rangeEnd);
            bytes[0] += rangeEnd - page;
            page = rangeEnd;
        }
    }

    /** FREE blocks overlapping [from, to) become PURGED (the others there already are). */
    private static void markBlocksPurged(long base, long from, long to) {
        long blockArea = base + Memory.getInt(base + BLOCK_START_OFFSET);
        long first = Segment.blockIndex(base, Math.max(from, blockArea));
        long last = Segment.blockIndex(base, to - 1);
        int purged = 0;
        for (long index = first; index <= last; index++) {
            if (Segment.state(base, index) == STATE_FREE) {
                Segment.setState(base, index, STATE_PURGED);
                purged++;
            }
        }
        Memory.putInt(base + PURGED_COUNT_OFFSET, Segment.purgedCount(base) + purged);
        if (first < Memory.getInt(base + REVIVE_INDEX_OFFSET)) {
            Memory.putInt(base + REVIVE_INDEX_OFFSET, (int) first);
        }
    }

    private static int nextFree(long base, int from, int bump) {
        int index = from;
        while (index < bump && !isFreeOrPurged(Segment.state(base, index))) {
            index++;
        }
        return index;
    }

    private static int endOfFreeRun(long base, int from, int bump) {
        int index = from;
        while (index < bump && isFreeOrPurged(Segment.state(base, index))) {
            index++;
        }
        return index;
    }

    private static boolean isFreeOrPurged(byte state) {
        return state == STATE_FREE || state == STATE_PURGED;
    }

    // ---- revival ------------------------------------------------------------------------------

    /** End (exclusive) of the revival batch starting at the PURGED block {@code first}. */
    private static int batchEnd(long base, int first, int bump) {
        long spanLimit = Segment.blockAddress(base, first) + REVIVE_BYTE_SIZE;
        int end = first + 1;
        while (end < bump && Segment.blockAddress(base, end) < spanLimit) {
            end++;
        }
        return end;
    }

    /** PURGED blocks in [first, end) become FREE and form the free list, lowest address first. */
    private static void relink(long base, int first, int end) {
        long previous = base + FREE_HEAD_OFFSET;
        int revived = 0;
        for (int index = first; index < end; index++) {
            if (Segment.state(base, index) == STATE_PURGED) {
                long block = Segment.blockAddress(base, index);
                Memory.putLong(previous, block);
                previous = block;
                Segment.setState(base, index, STATE_FREE);
                revived++;
            }
        }
        Memory.putLong(previous, 0);
        Memory.putInt(base + PURGED_COUNT_OFFSET, Segment.purgedCount(base) - revived);
        Memory.putInt(base + FREED_COUNT_OFFSET, Segment.freedCount(base) + revived);
    }

    // ---- the PURGED_PAGES bitmap --------------------------------------------------------------

    private static boolean isPurgedPage(long base, long page) {
        long bit = (page - base) >>> PAGE_SHIFT;
        return (Memory.getLong(wordAddress(base, bit)) & (1L << bit)) != 0;
    }

    private static void markPages(long base, long from, long to) {
        for (long page = from; page < to; page += PAGE_SIZE) {
            long bit = (page - base) >>> PAGE_SHIFT;
            long word = wordAddress(base, bit);
            Memory.putLong(word, Memory.getLong(word) | (1L << bit));
        }
    }

    /** Clears the marks of the pages in [from, to); returns the bytes that were marked. */
    private static long clearPages(long base, long from, long to) {
        long bytes = 0;
        for (long page = from; page < to; page += PAGE_SIZE) {
            long bit = (page - base) >>> PAGE_SHIFT;
            long word = wordAddress(base, bit);
            long value = Memory.getLong(word);
            if ((value & (1L << bit)) != 0) {
                Memory.putLong(word, value & ~(1L << bit));
                bytes += PAGE_SIZE;
            }
        }
        return bytes;
    }

    private static boolean isClear(long base, long from, long to) {
        for (long page = from; page < to; page += PAGE_SIZE) {
            if (isPurgedPage(base, page)) {
                return false;
            }
        }
        return true;
    }

    private static long wordAddress(long base, long bit) {
        return base + PURGED_PAGES_OFFSET + 8 * (bit >>> 6);
    }

    private static long alignUp(long address) {
        return (address + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    private static long alignDown(long address) {
        return address & -PAGE_SIZE;
    }
}
