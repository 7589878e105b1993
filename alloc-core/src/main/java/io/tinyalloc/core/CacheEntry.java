package io.tinyalloc.core;

/**
 * How the caches hold a free block: its address and its index in its segment, packed in one
 * {@code long}, so that a cached malloc can mark the block's state byte without dividing by the
 * block size.
 *
 * <pre>
 *   63           48 47                                            0
 *  +---------------+-----------------------------------------------+
 *  | block index   | block address (48-bit user address space)     |
 *  +---------------+-----------------------------------------------+
 * </pre>
 *
 * <p>Block indexes fit in 16 bits: the smallest class (16 bytes) has the most blocks per segment,
 * under 2^16. An entry is never 0 (addresses are not) and never -1 (addresses are 16-byte
 * aligned), which lets the thread cache use both as sentinels.
 */
final class CacheEntry {

    static final int INDEX_SHIFT = PageMap.ADDRESS_BITS;
    static final long ADDRESS_MASK = (1L << INDEX_SHIFT) - 1;

    static {
        if (SizeClasses.blockCount(0) > (1 << (Long.SIZE - INDEX_SHIFT))) {
            throw new ExceptionInInitializerError("block indexes do not fit in a cache entry: blockCount="
                    + SizeClasses.blockCount(0));
        }
    }

    private CacheEntry() {
    }

    static long pack(long address, long index) {
        return address | (index << INDEX_SHIFT);
    }

    static long address(long entry) {
        return entry & ADDRESS_MASK;
    }

    static long index(long entry) {
        return entry >>> INDEX_SHIFT;
    }

    /** Address of the entry's state byte in its segment header. */
    static long stateAddress(long entry) {
        return (entry & ADDRESS_MASK & ~SegmentLayout.SEGMENT_MASK) + SegmentLayout.STATE_OFFSET
                + (entry >>> INDEX_SHIFT);
    }
}
