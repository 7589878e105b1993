package io.tinyalloc.core;

/**
 * How the caches hold a free block: its address and its index in its segment, packed in one
 * {@code long}, so that a cached malloc can mark the block's state byte without dividing by the
 * block size.
 *
 * <pre>
 *   63                                            16 15           0
 *  +-----------------------------------------------+---------------+
 *  | block address (48-bit user address space)     | block index   |
 *  +-----------------------------------------------+---------------+
 * </pre>
 *
 * <p>The address sits in the high bits so that each field comes out in one instruction (a shift
 * for the address, a 16-bit move for the index) and the segment base in one more (an AND with a
 * sign-extended 32-bit immediate); with the index on top, both fields needed a 64-bit mask
 * constant. Together with the memo's MAGIC ({@link ThreadCacheLayout}), this took the long-API
 * malloc + free pair from 6.4-7.6 to 5.3-5.6 ns at 16 B to 4 KiB (three interleaved JMH forks
 * each, seventh session's build against this one).
 *
 * <p>Block indexes fit in 16 bits: the smallest class (16 bytes) has the most blocks per segment,
 * under 2^16. An entry is never 0 (addresses are not) and never -1 (addresses are 16-byte
 * aligned, so bits 16-19 are 0), which lets the thread cache use both as sentinels.
 */
final class CacheEntry {

    static final int INDEX_BITS = Long.SIZE - PageMap.ADDRESS_BITS;
    static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    static {
        if (SizeClasses.blockCount(0) > (1 << INDEX_BITS)) {
            throw new ExceptionInInitializerError("block indexes do not fit in a cache entry: blockCount="
                    + SizeClasses.blockCount(0));
        }
    }

    private CacheEntry() {
    }

    static long pack(long address, long index) {
        return (address << INDEX_BITS) | index;
    }

    static long address(long entry) {
        return entry >>> INDEX_BITS;
    }

    static long index(long entry) {
        return entry & INDEX_MASK;
    }

    /** Address of the entry's state byte in its segment header. */
    static long stateAddress(long entry) {
        return ((entry >>> INDEX_BITS) & ~SegmentLayout.SEGMENT_MASK) + SegmentLayout.STATE_OFFSET
                + (entry & INDEX_MASK);
    }
}
