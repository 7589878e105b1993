package io.tinyalloc.core;

import static io.tinyalloc.core.SegmentLayout.BLOCK_BYTE_SIZE_OFFSET;
import static io.tinyalloc.core.SegmentLayout.BLOCK_COUNT_OFFSET;
import static io.tinyalloc.core.SegmentLayout.BLOCK_START_OFFSET;
import static io.tinyalloc.core.SegmentLayout.BUMP_INDEX_OFFSET;
import static io.tinyalloc.core.SegmentLayout.CLASS_INDEX_OFFSET;
import static io.tinyalloc.core.SegmentLayout.DIVISOR_OFFSET;
import static io.tinyalloc.core.SegmentLayout.DIVISOR_SHIFT;
import static io.tinyalloc.core.SegmentLayout.DIRTY_SEEN_OFFSET;
import static io.tinyalloc.core.SegmentLayout.DIRTY_SINCE_NANOS_OFFSET;
import static io.tinyalloc.core.SegmentLayout.FREED_COUNT_OFFSET;
import static io.tinyalloc.core.SegmentLayout.FREE_HEAD_OFFSET;
import static io.tinyalloc.core.SegmentLayout.LINK_OFFSET;
import static io.tinyalloc.core.SegmentLayout.LIVE_COUNT_OFFSET;
import static io.tinyalloc.core.SegmentLayout.MAGIC_OFFSET;
import static io.tinyalloc.core.SegmentLayout.PURGED_COUNT_OFFSET;
import static io.tinyalloc.core.SegmentLayout.PURGED_PAGES_LONG_COUNT;
import static io.tinyalloc.core.SegmentLayout.PURGED_PAGES_OFFSET;
import static io.tinyalloc.core.SegmentLayout.REVIVE_INDEX_OFFSET;
import static io.tinyalloc.core.SegmentLayout.STATE_ALLOCATED;
import static io.tinyalloc.core.SegmentLayout.STATE_CACHED;
import static io.tinyalloc.core.SegmentLayout.STATE_FREE;
import static io.tinyalloc.core.SegmentLayout.STATE_PURGED;
import static io.tinyalloc.core.SegmentLayout.STATE_OFFSET;

import io.tinyalloc.list.Link;
import io.tinyalloc.sys.Memory;

/**
 * Operations on one segment, identified by its base address; the layout is
 * {@link SegmentLayout}. A segment hands out blocks of one size class: first from its free list,
 * then by bumping {@code bumpIndex} into memory it has never touched; when both are exhausted
 * but PURGED blocks remain, {@link #allocate} returns 0 and the caller revives a batch of them
 * ({@link SegmentPurge#revive}, which needs the kernel's accounting) and retries.
 *
 * <p>Invariants (checked by {@link #check}):
 * <ul>
 *   <li>0 <= liveCount <= bumpIndex <= blockCount</li>
 *   <li>bumpIndex - liveCount == length of the free list + purgedCount; length of the free list
 *       == blocks below bumpIndex whose state is FREE; purgedCount == those PURGED; liveCount ==
 *       those ALLOCATED or CACHED (a cached block is free for the user but still the segment's:
 *       see {@link SegmentLayout})</li>
 *   <li>every state byte at or above bumpIndex is FREE</li>
 *   <li>every free-list node is the start of a block below bumpIndex whose state is FREE</li>
 *   <li>full <=> liveCount == blockCount (a full segment has no PURGED block)</li>
 *   <li>every block overlapping a page marked in PURGED_PAGES is PURGED, and no PURGED block lies
 *       below reviveIndex ({@link SegmentPurge#check})</li>
 * </ul>
 *
 * <p>Not thread-safe: the caller holds the lock of the segment's size class. The free list is
 * threaded through freed blocks, which a buggy program may still write to; {@link #allocate}
 * therefore validates each node before following it and rebuilds the list from the state bytes
 * (the source of truth) when a node is bad, so a use-after-free can never make the heap read or
 * hand out memory outside the segment.
 */
final class Segment {

    private Segment() {
    }

    /**
     * Writes a fresh header for {@code classIndex}; MAGIC last, so a half-written header never
     * validates. The state array of the new class and its guard byte are cleared first: a span that served another
     * class has that class's user data where this class's state bytes go (a smaller class has a
     * longer state array), and a stale byte equal to ALLOCATED would let a free of a block that
     * was never handed out pass validation. A fresh or decommitted span reads as zero, and the
     * check reads it without writing, so a fresh span gains no resident pages here.
     */
    static void format(long base, int classIndex, long magic) {
        long stateByteSize = SizeClasses.blockCount(classIndex) + SegmentLayout.GUARD_BYTE_COUNT;
        if (!Memory.isFilledWith(base + STATE_OFFSET, stateByteSize, STATE_FREE)) {
            Memory.fill(base + STATE_OFFSET, stateByteSize, STATE_FREE);
        }
        Memory.putInt(base + CLASS_INDEX_OFFSET, classIndex);
        Memory.putInt(base + BLOCK_BYTE_SIZE_OFFSET, SizeClasses.blockSize(classIndex));
        Memory.putInt(base + BLOCK_COUNT_OFFSET, SizeClasses.blockCount(classIndex));
        Memory.putInt(base + BLOCK_START_OFFSET, SizeClasses.blockStart(classIndex));
        Memory.putInt(base + LIVE_COUNT_OFFSET, 0);
        Memory.putInt(base + BUMP_INDEX_OFFSET, 0);
        Memory.putLong(base + FREE_HEAD_OFFSET, 0);
        Memory.putLong(base + DIVISOR_OFFSET, SegmentLayout.divisor(SizeClasses.blockSize(classIndex)));
        Link.init(base + LINK_OFFSET);
        Memory.putInt(base + FREED_COUNT_OFFSET, 0);
        Memory.putInt(base + PURGED_COUNT_OFFSET, 0);
        Memory.putInt(base + REVIVE_INDEX_OFFSET, 0);
        Memory.putInt(base + DIRTY_SEEN_OFFSET, 0);
        Memory.putLong(base + DIRTY_SINCE_NANOS_OFFSET, 0);
        for (int i = 0; i < PURGED_PAGES_LONG_COUNT; i++) {
            Memory.putLong(base + PURGED_PAGES_OFFSET + 8L * i, 0);
        }
        Memory.putLong(base + MAGIC_OFFSET, magic);
    }

    /**
     * Unformats the segment: no address in it validates any more. It must be in no list and hold
     * no live or cached block. The carved part of the state array is cleared (and {@link #format}
     * clears the next class's whole state array anyway, since the span's old blocks may overlap it).
     */
    static void retire(long base) {
        Memory.putLong(base + MAGIC_OFFSET, 0);
        Memory.putInt(base + CLASS_INDEX_OFFSET, -1);
        Memory.fill(base + STATE_OFFSET, bumpIndex(base), STATE_FREE);
    }

    /**
     * Hands out a block, or returns 0 when the segment is full or has only PURGED blocks left
     * (the caller revives some, see {@link SegmentPurge#revive}). Hot path: a free-list pop
     * (validate, unlink, mark) or a bump. Fresh blocks are bumped before purged ones are revived:
     * both cost page faults, but a bump needs no scan and no accounting, and purged pages stay
     * given back for longer. A free list found bad (a node that is not a FREE block, or an empty
     * list while FREE blocks exist) is rebuilt first, which recurses at most once.
     */
    static long allocate(long base) {
        long block = Memory.getLong(base + FREE_HEAD_OFFSET);
        if (block == 0) {
            long bumped = bump(base);
            if (bumped != 0 || isFull(base) || liveCount(base) + purgedCount(base) == bumpIndex(base)) {
                return bumped;
            }
            rebuildFreeList(base);
            return allocate(base);
        }
        long index = freeBlockIndex(base, block);
        if (index < 0) {
            rebuildFreeList(base);
            return allocate(base);
        }
        Memory.putLong(base + FREE_HEAD_OFFSET, Memory.getLong(block));
        markAllocated(base, index);
        return block;
    }

    /**
     * Batch refill from this segment for the caches: pops up to {@code count} blocks from the free
     * list, then bumps, marks each CACHED and writes it to {@code entries[offset..]} as a
     * {@link CacheEntry}. Reads the header once and updates the counts once, instead of once per
     * block as {@link #allocate} does. Stops early at a bad free-list node (a write after free) and
     * leaves the rest of the list in place, and when only PURGED blocks remain: the caller then
     * takes one block through {@link #allocate}, which rebuilds the list or returns 0 for a revive.
     *
     * @return how many blocks were handed out, 0 to {@code count}
     */
    static int takeCached(long base, long[] entries, int offset, int count) {
        long blockStart = Memory.getInt(base + BLOCK_START_OFFSET);
        long blockSize = blockByteSize(base);
        long divisor = Memory.getLong(base + DIVISOR_OFFSET);
        int bump = bumpIndex(base);
        long carvedEnd = blockSize * bump;
        long head = Memory.getLong(base + FREE_HEAD_OFFSET);
        int taken = 0;
        while (taken < count && head != 0) {
            long offsetInBlocks = head - base - blockStart;
            if (offsetInBlocks < 0 || offsetInBlocks >= carvedEnd) {
                break;
            }
            long index = (offsetInBlocks * divisor) >>> DIVISOR_SHIFT;
            if (index * blockSize != offsetInBlocks || Memory.getByte(base + STATE_OFFSET + index) != STATE_FREE) {
                break;
            }
            long next = Memory.getLong(head);
            Memory.putByte(base + STATE_OFFSET + index, STATE_CACHED);
            entries[offset + taken++] = CacheEntry.pack(head, index);
            head = next;
        }
        Memory.putLong(base + FREE_HEAD_OFFSET, head);
        if (head == 0) {
            int blockCount = blockCount(base);
            long address = base + blockStart + bump * blockSize;
            while (taken < count && bump < blockCount) {
                Memory.putByte(base + STATE_OFFSET + bump, STATE_CACHED);
                entries[offset + taken++] = CacheEntry.pack(address, bump);
                bump++;
                address += blockSize;
            }
            Memory.putInt(base + BUMP_INDEX_OFFSET, bump);
        }
        Memory.putInt(base + LIVE_COUNT_OFFSET, liveCount(base) + taken);
        return taken;
    }

    /**
     * Batch flush into this segment from the caches: frees the run of entries from
     * {@code entries[from]} on that are CACHED blocks of this segment, up to {@code to}; stops at
     * the first entry of another segment or one that is not a CACHED block here (the caller
     * refuses that one). The caller has checked the header (MAGIC and class). Header read once,
     * counts updated once.
     *
     * @return the index of the first entry not freed
     */
    static int freeCachedRun(long base, long[] entries, int from, int to) {
        long blockStart = Memory.getInt(base + BLOCK_START_OFFSET);
        long blockSize = blockByteSize(base);
        int bump = bumpIndex(base);
        long head = Memory.getLong(base + FREE_HEAD_OFFSET);
        int i = from;
        while (i < to) {
            long entry = entries[i];
            long address = CacheEntry.address(entry);
            long index = CacheEntry.index(entry);
            if (SegmentLayout.segmentBase(address) != base || index >= bump
                    || base + blockStart + index * blockSize != address
                    || Memory.getByte(base + STATE_OFFSET + index) != STATE_CACHED) {
                break;
            }
            Memory.putByte(base + STATE_OFFSET + index, STATE_FREE);
            Memory.putLong(address, head);
            head = address;
            i++;
        }
        int freed = i - from;
        if (freed > 0) {
            Memory.putLong(base + FREE_HEAD_OFFSET, head);
            Memory.putInt(base + FREED_COUNT_OFFSET, Memory.getInt(base + FREED_COUNT_OFFSET) + freed);
            Memory.putInt(base + LIVE_COUNT_OFFSET, liveCount(base) - freed);
        }
        return i;
    }

    /** Gives back the block at {@code index}, which {@link #locate} has just validated. */
    static void free(long base, long block, long index) {
        Memory.putByte(base + STATE_OFFSET + index, STATE_FREE);
        Memory.putInt(base + FREED_COUNT_OFFSET, Memory.getInt(base + FREED_COUNT_OFFSET) + 1);
        Memory.putLong(block, Memory.getLong(base + FREE_HEAD_OFFSET));
        Memory.putLong(base + FREE_HEAD_OFFSET, block);
        Memory.putInt(base + LIVE_COUNT_OFFSET, Memory.getInt(base + LIVE_COUNT_OFFSET) - 1);
    }

    /**
     * Finds the live block starting at {@code address}. Reads only this segment's header.
     *
     * @return the block index, or {@code -(fault.ordinal() + 1)} for an address that is not a live block
     */
    static long locate(long base, long address, long magic, int classIndex) {
        if (Memory.getLong(base + MAGIC_OFFSET) != magic || Memory.getInt(base + CLASS_INDEX_OFFSET) != classIndex) {
            return fault(AddressFault.NOT_OWNED);
        }
        long blockSize = blockByteSize(base);
        long offset = address - base - Memory.getInt(base + BLOCK_START_OFFSET);
        if (offset < 0 || offset >= blockSize * blockCount(base)) {
            return fault(AddressFault.NOT_OWNED);
        }
        long index = (offset * Memory.getLong(base + DIVISOR_OFFSET)) >>> DIVISOR_SHIFT;
        if (index * blockSize != offset) {
            return fault(AddressFault.INTERIOR);
        }
        if (index >= bumpIndex(base)) {
            return fault(AddressFault.NOT_ALLOCATED);
        }
        if (Memory.getByte(base + STATE_OFFSET + index) != STATE_ALLOCATED) {
            return fault(AddressFault.DOUBLE_FREE);
        }
        return index;
    }

    /** Index of the block starting at {@code block}, which the caller knows to be a block start of this segment. */
    static long blockIndex(long base, long block) {
        long offset = block - base - Memory.getInt(base + BLOCK_START_OFFSET);
        return (offset * Memory.getLong(base + DIVISOR_OFFSET)) >>> DIVISOR_SHIFT;
    }

    static byte state(long base, long index) {
        return Memory.getByte(base + STATE_OFFSET + index);
    }

    /**
     * Sets the state byte of a carved block: ALLOCATED <-> CACHED as blocks move between the user
     * and the caches; liveCount does not change, since the segment counts both as in use.
     */
    static void setState(long base, long index, byte state) {
        Memory.putByte(base + STATE_OFFSET + index, state);
    }

    static long fault(AddressFault fault) {
        return -(fault.ordinal() + 1);
    }

    static AddressFault faultOf(long locateResult) {
        return AddressFault.values()[(int) (-locateResult - 1)];
    }

    static int liveCount(long base) {
        return Memory.getInt(base + LIVE_COUNT_OFFSET);
    }

    static int purgedCount(long base) {
        return Memory.getInt(base + PURGED_COUNT_OFFSET);
    }

    /** Blocks that became FREE since the last purge scan; 0: a scan would give nothing new back. */
    static int freedCount(long base) {
        return Memory.getInt(base + FREED_COUNT_OFFSET);
    }

    static int bumpIndex(long base) {
        return Memory.getInt(base + BUMP_INDEX_OFFSET);
    }

    static int blockCount(long base) {
        return Memory.getInt(base + BLOCK_COUNT_OFFSET);
    }

    static int blockByteSize(long base) {
        return Memory.getInt(base + BLOCK_BYTE_SIZE_OFFSET);
    }

    static int classIndex(long base) {
        return Memory.getInt(base + CLASS_INDEX_OFFSET);
    }

    static long magic(long base) {
        return Memory.getLong(base + MAGIC_OFFSET);
    }

    static long freeHead(long base) {
        return Memory.getLong(base + FREE_HEAD_OFFSET);
    }

    static boolean isFull(long base) {
        return liveCount(base) == blockCount(base);
    }

    /** Address of block {@code index}. */
    static long blockAddress(long base, long index) {
        return base + Memory.getInt(base + BLOCK_START_OFFSET) + index * blockByteSize(base);
    }

    /**
     * Checks the invariants: cheap (O(1), header fields agree with the size class) or expensive
     * (also walks the state bytes and the free list).
     *
     * @return true, for {@code assert Segment.check(base, magic, false)}
     * @throws IllegalStateException naming the segment and the broken invariant
     */
    static boolean check(long base, long magic, boolean expensive) {
        int classIndex = classIndex(base);
        if (magic(base) != magic || classIndex < 0 || classIndex >= SizeClasses.COUNT) {
            throw broken(base, "magic=0x" + Long.toHexString(magic(base)) + " classIndex=" + classIndex);
        }
        int live = liveCount(base);
        int bump = bumpIndex(base);
        if (blockByteSize(base) != SizeClasses.blockSize(classIndex) || blockCount(base) != SizeClasses.blockCount(classIndex)
                || live < 0 || live > bump || bump > blockCount(base)) {
            throw broken(base, "blockByteSize=" + blockByteSize(base) + " blockCount=" + blockCount(base)
                    + " liveCount=" + live + " bumpIndex=" + bump);
        }
        if (expensive) {
            checkStates(base, live, bump);
            checkFreeList(base, bump - live - purgedCount(base));
            SegmentPurge.check(base);
        }
        return true;
    }

    // ---- slow paths ---------------------------------------------------------------------------

    private static long bump(long base) {
        int index = bumpIndex(base);
        if (index == blockCount(base)) {
            return 0;
        }
        Memory.putInt(base + BUMP_INDEX_OFFSET, index + 1);
        markAllocated(base, index);
        return blockAddress(base, index);
    }

    private static void markAllocated(long base, long index) {
        Memory.putByte(base + STATE_OFFSET + index, STATE_ALLOCATED);
        Memory.putInt(base + LIVE_COUNT_OFFSET, Memory.getInt(base + LIVE_COUNT_OFFSET) + 1);
    }

    /** Index of {@code block} if it is a carved block marked FREE, else -1. */
    private static long freeBlockIndex(long base, long block) {
        long blockSize = blockByteSize(base);
        long offset = block - base - Memory.getInt(base + BLOCK_START_OFFSET);
        if (offset < 0 || offset >= blockSize * bumpIndex(base)) {
            return -1;
        }
        long index = (offset * Memory.getLong(base + DIVISOR_OFFSET)) >>> DIVISOR_SHIFT;
        if (index * blockSize != offset || Memory.getByte(base + STATE_OFFSET + index) != STATE_FREE) {
            return -1;
        }
        return index;
    }

    /**
     * The free list was overwritten (a write after free): rebuild it from the state bytes. Blocks
     * reached through a bad pointer are not trusted; every FREE block is relinked exactly once.
     */
    static void rebuildFreeList(long base) {
        long head = 0;
        for (long index = bumpIndex(base) - 1; index >= 0; index--) {
            if (Memory.getByte(base + STATE_OFFSET + index) == STATE_FREE) {
                long block = blockAddress(base, index);
                Memory.putLong(block, head);
                head = block;
            }
        }
        Memory.putLong(base + FREE_HEAD_OFFSET, head);
    }

    private static void checkStates(long base, int live, int bump) {
        int inUse = 0;
        int purged = 0;
        for (long index = 0; index < bump; index++) {
            byte state = Memory.getByte(base + STATE_OFFSET + index);
            if (state != STATE_FREE && state != STATE_ALLOCATED && state != STATE_CACHED && state != STATE_PURGED) {
                throw broken(base, "state=" + state + " index=" + index);
            }
            inUse += state == STATE_ALLOCATED || state == STATE_CACHED ? 1 : 0;
            purged += state == STATE_PURGED ? 1 : 0;
        }
        if (inUse != live || purged != purgedCount(base)) {
            throw broken(base, "allocated and cached states=" + inUse + " liveCount=" + live + " purged states="
                    + purged + " purgedCount=" + purgedCount(base));
        }
        for (long index = bump; index < blockCount(base); index++) {
            if (Memory.getByte(base + STATE_OFFSET + index) != STATE_FREE) {
                throw broken(base, "state above the bump index=" + Memory.getByte(base + STATE_OFFSET + index)
                        + " index=" + index + " bumpIndex=" + bump);
            }
        }
    }

    /** Blocks of this segment in the CACHED state (expensive: walks the carved state bytes). */
    static int cachedCount(long base) {
        int cached = 0;
        for (long index = 0, bump = bumpIndex(base); index < bump; index++) {
            cached += Memory.getByte(base + STATE_OFFSET + index) == STATE_CACHED ? 1 : 0;
        }
        return cached;
    }

    private static void checkFreeList(long base, int expectedLength) {
        int length = 0;
        for (long block = freeHead(base); block != 0; block = Memory.getLong(block)) {
            if (length == expectedLength || freeBlockIndex(base, block) < 0) {
                throw broken(base, "bad free list node=0x" + Long.toHexString(block) + " at position " + length
                        + " expectedLength=" + expectedLength);
            }
            length++;
        }
        if (length != expectedLength) {
            throw broken(base, "free list length=" + length + " expectedLength=" + expectedLength);
        }
    }

    static IllegalStateException broken(long base, String detail) {
        return new IllegalStateException("broken segment: base=0x" + Long.toHexString(base) + " " + detail);
    }
}
