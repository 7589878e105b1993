package io.tinyalloc.core;

import io.tinyalloc.sys.Memory;
import java.lang.ref.Reference;

/**
 * A heap's cached fast paths: malloc and free served from the calling thread's bins. Anything they
 * do not finish goes to the {@link Heap}'s slow paths.
 *
 * <p>Why a record: the JIT trusts the final fields of a record. When a front is reached from a
 * constant (a {@code static final} field, through records only), its thread table becomes a
 * constant in the compiled code: the table's length is known, so its bounds check goes. A front
 * reached otherwise costs what the same fields of a class cost.
 * {@link Heap} creates the one front of each heap; nothing else should.
 *
 * <p>Each fast path keeps the front, and so its heap, reachable until its last access to a
 * segment ({@link Reference#reachabilityFence}: no instruction in compiled code, only a reference
 * kept in the debug information of any safepoint before it). A closed heap's segments stay mapped
 * until the heap is unreachable ({@link HeapUnmapper}), so a fast path racing with close() never
 * touches unmapped memory.
 *
 * @param heap        the heap whose slow paths take everything the fast paths do not finish
 * @param threadTable the thread table of the heap's caches ({@link ThreadCaches}); all unowned
 *                    when the caches are off or serve no fast path
 */
public record HeapFront(Heap heap, long[][] threadTable) {

    /**
     * The segment base of an address the page map knows (below 2^48): masking the high bits too
     * lets the JIT prove that header reads stay inside {@code Memory}'s segment and drop their
     * bounds checks.
     */
    private static final long SEGMENT_BASE_MASK = ((1L << PageMap.ADDRESS_BITS) - 1) & ~SegmentLayout.SEGMENT_MASK;

    /**
     * {@link Heap#malloc}. Fast path (budget: within 2x of a bare thread-local free-list
     * pop+push): the thread's bin array from the thread table, owner check, class from a byte
     * table, pop, state byte ALLOCATED.
     */
    public long malloc(long byteSize) {
        long threadId = Thread.currentThread().threadId();
        long[] bins = threadTable[(int) threadId & ThreadCaches.TABLE_MASK];
        if (Long.compareUnsigned(byteSize, ThreadCacheLayout.MAX_CACHED_SIZE) <= 0
                && bins[ThreadCacheLayout.OWNER_ID_INDEX] == threadId) {
            int topIndex = ThreadCacheLayout.TOP_INDEX + ThreadCacheLayout.classOf(byteSize);
            int top = (int) bins[topIndex];
            long entry = bins[top];
            if (entry != ThreadCacheLayout.BOTTOM_SENTINEL) {
                bins[topIndex] = top - 1;
                Memory.putByte(CacheEntry.stateAddress(entry), SegmentLayout.STATE_ALLOCATED);
                Reference.reachabilityFence(this);
                return CacheEntry.address(entry);
            }
        }
        return heap.mallocSlow(byteSize);
    }

    /**
     * {@link Heap#free}. Fast path (budget: within 2x of a bare thread-local free-list pop+push,
     * with malloc): the thread's bin array, the segment from the thread's memo or the page map,
     * the segment header's MAGIC and class, the block index by multiplication, exact block start,
     * state byte ALLOCATED -> CACHED, push. Every check reads the page map and the header of a
     * segment the page map vouches for, never the block.
     */
    public AddressFault free(long address) {
        long threadId = Thread.currentThread().threadId();
        long[] bins = threadTable[(int) threadId & ThreadCaches.TABLE_MASK];
        long base = address & SEGMENT_BASE_MASK;
        if (bins[ThreadCacheLayout.OWNER_ID_INDEX] != threadId) {
            return heap.freeSlow(address);
        }
        long memoClass = bins[ThreadCacheLayout.MEMO_INDEX] - base;
        if (Long.compareUnsigned(memoClass, SizeClasses.COUNT) >= 0) {
            return freeOutsideMemo(bins, address, base);
        }
        return freeIntoBin(bins, (int) memoClass, address, base);
    }

    /** The free fast path when the block is not in the remembered segment: the page map, then the same push. */
    private AddressFault freeOutsideMemo(long[] bins, long address, long base) {
        int classIndex = heap.rememberSegment(bins, address, base);
        return classIndex >= 0 ? freeIntoBin(bins, classIndex, address, base) : heap.freeSlow(address);
    }

    /**
     * The rest of the free fast path, for a block of the segment at {@code base} whose class the
     * memo or the page map gave: MAGIC (against the memo's MAGIC, which {@link Heap#rememberSegment}
     * wrote with the memo), the live block's index, state CACHED, push. Split from {@link #free}
     * so that a memo hit has no class test left (7% fewer instructions per pair).
     */
    private AddressFault freeIntoBin(long[] bins, int classIndex, long address, long base) {
        if (Memory.getLong(base + SegmentLayout.MAGIC_OFFSET) == bins[ThreadCacheLayout.MEMO_MAGIC_INDEX]) {
            long index = liveBlockIndex(base, address);
            int topIndex = ThreadCacheLayout.TOP_INDEX + classIndex;
            int top = (int) bins[topIndex] + 1;
            if (index >= 0 && bins[top] != ThreadCacheLayout.LIMIT_SENTINEL) {
                Memory.putByte(base + SegmentLayout.STATE_OFFSET + index, SegmentLayout.STATE_CACHED);
                bins[top] = CacheEntry.pack(address, index);
                bins[topIndex] = top;
                bins[ThreadCacheLayout.FREE_COUNT_INDEX]++;
                Reference.reachabilityFence(this);
                return null;
            }
        }
        return heap.freeSlow(address);
    }

    /**
     * The index of the live (ALLOCATED) block starting at {@code address} in the segment at
     * {@code base}, whose MAGIC (heap and class) the caller has checked, or -1. Reads only the
     * segment header's first cache line and a state byte: {@link SegmentLayout#exactBlockIndex}
     * divides and tests the block start with one multiplication, and an index it gives past the
     * last block reads the always-FREE guard byte, so no block count is loaded.
     */
    private static long liveBlockIndex(long base, long address) {
        long offset = address - base - Memory.getInt(base + SegmentLayout.BLOCK_START_OFFSET);
        long index = SegmentLayout.exactBlockIndex(offset, Memory.getLong(base + SegmentLayout.DIVISOR_OFFSET));
        return index < SegmentLayout.MAX_BLOCK_INDEX
                && Memory.getByte(base + SegmentLayout.STATE_OFFSET + index) == SegmentLayout.STATE_ALLOCATED
                ? index : -1;
    }
}
