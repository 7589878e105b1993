package io.tinyalloc.core;

import io.tinyalloc.list.Link;

/**
 * Descriptor of a segment: a {@link #SEGMENT_SIZE}-aligned span of {@link #SEGMENT_SIZE} bytes
 * that serves one size class. The header sits at the segment base; blocks follow.
 *
 * <pre>
 *  base (SEGMENT_SIZE aligned)
 *  |
 *  v  0        8       12        16       20       24         32                                      64
 *  +---------+-------+---------+--------+--------+----------+----------------------------------------+
 *  | MAGIC   | CLASS | BLOCK   | BLOCK  | BLOCK  | DIVISOR  | PURGED_PAGES: bitmap, one bit per      |
 *  | long    | INDEX | BYTE    | COUNT  | START  | long     | 4 KiB page of the segment, 4 longs     |
 *  |         | int   | SIZE int| int    | int    |          |                                        |
 *  +---------+-------+---------+--------+--------+----------+----------------------------------------+
 *  64       68       72         80           104      108      112      116      120          128
 *  +--------+--------+----------+------------+--------+--------+--------+--------+------------+
 *  | LIVE   | BUMP   | FREE     | LINK       | FREED  | PURGED | REVIVE | DIRTY  | DIRTY_SINCE|
 *  | COUNT  | INDEX  | HEAD     | next,prev, | COUNT  | COUNT  | INDEX  | SEEN   | NANOS long |
 *  | int    | int    | long     | owner      | int    | int    | int    | int    |            |
 *  +--------+--------+----------+------------+--------+--------+--------+--------+------------+
 *  128                                  128 + blockCount             blockStart                        SEGMENT_SIZE
 *  +------------------------------------+-------+-------- pad ---+----------+----------+-----+----------+--------+
 *  | STATE: one byte per block          | GUARD |                | block 0  | block 1  | ... | block n-1| (tail) |
 *  +------------------------------------+-------+----------------+----------+----------+-----+----------+--------+
 * </pre>
 *
 * <p>Cache lines: the first 64 bytes hold what every free reads (MAGIC, class, block geometry,
 * divisor) and the purge bitmap, written only by a purge; the second holds every field the class
 * lock writes per block. A lock holder on one core then never evicts the line that another
 * core's lock-free free path reads (xmalloc-test, a producer/consumer kernel: +13% throughput).
 *
 * <ul>
 *   <li>MAGIC: the heap's key XOR the class index XOR the base; zero when the segment is not
 *       formatted (retired or decommitted), so a stale or foreign header, or one of another
 *       class, never validates. The key has bit 63 set and base and class index are below 2^48,
 *       so a valid MAGIC is never zero.</li>
 *   <li>CLASS_INDEX: the {@link SizeClasses} index served; -1 after retirement.</li>
 *   <li>BLOCK_START: offset of block 0 from the base, a multiple of {@link #blockAlignment}.</li>
 *   <li>LIVE_COUNT: blocks handed out and not freed. BUMP_INDEX: blocks carved so far; blocks at
 *       or above it have never been touched.</li>
 *   <li>FREE_HEAD: address of the first free block; each free block holds the next one's address
 *       in its first 8 bytes, 0 ends the list.</li>
 *   <li>DIVISOR: {@link #divisor}(blockByteSize), for division by the block size without a divide.</li>
 *   <li>LINK: an alloc-list {@link Link}, for the size class's empty/partial/full lists.</li>
 *   <li>FREED_COUNT: blocks that became FREE (freed or revived) since the segment's last purge
 *       scan: 0 means a scan would find nothing new, so the trim policy skips the segment.</li>
 *   <li>PURGED_COUNT: blocks in the PURGED state. REVIVE_INDEX: no PURGED block lies below it
 *       (where the next revival starts looking).</li>
 *   <li>DIRTY_SEEN, DIRTY_SINCE_NANOS: written only by the trim policy: whether it has seen the
 *       segment with FREED_COUNT above 0, and when it first did; the segment is purged once that
 *       is a purge delay ago. Both are cleared by a purge scan.</li>
 *   <li>PURGED_PAGES: bit p set means page p of the segment (at {@code base + p * 4096}) was
 *       given back with madvise and is not counted as committed; every block overlapping such a
 *       page is PURGED. Sized for 4 KiB pages: with larger pages fewer bits are used.</li>
 *   <li>STATE: one byte per block: {@link #STATE_FREE} (in the segment's free list, or at or
 *       above BUMP_INDEX: never carved), {@link #STATE_ALLOCATED} (live, the user's),
 *       {@link #STATE_CACHED} (handed to a thread cache or the InterConnect Cache: free for the user,
 *       still counted in LIVE_COUNT by the segment) or {@link #STATE_PURGED} (free for the user and
 *       the segment, but in no free list: some of its memory was given back to the kernel, see
 *       {@link SegmentPurge}). Bytes at or above BUMP_INDEX are always
 *       FREE: a fresh segment reads as zero and formatting clears the whole state array of the new
 *       class (a reused span holds the old class's blocks there), so a lock-free
 *       reader that finds ALLOCATED knows the block was carved without reading BUMP_INDEX.</li>
 *   <li>GUARD: one byte after the state array, always FREE (formatting clears it with the state
 *       array), so that the free fast path needs no block-count test ({@link #exactBlockIndex}).</li>
 * </ul>
 */
public final class SegmentLayout {

    public static final int SEGMENT_SHIFT = 20;
    public static final long SEGMENT_SIZE = 1L << SEGMENT_SHIFT;
    public static final long SEGMENT_MASK = SEGMENT_SIZE - 1;

    public static final long MAGIC_OFFSET = 0;
    public static final long CLASS_INDEX_OFFSET = 8;
    public static final long BLOCK_BYTE_SIZE_OFFSET = 12;
    public static final long BLOCK_COUNT_OFFSET = 16;
    public static final long BLOCK_START_OFFSET = 20;
    public static final long DIVISOR_OFFSET = 24;
    public static final long PURGED_PAGES_OFFSET = 32;
    /** Longs of the PURGED_PAGES bitmap: one bit per 4 KiB page of a segment. */
    public static final int PURGED_PAGES_LONG_COUNT = 4;
    /** The smallest page size the PURGED_PAGES bitmap covers; larger pages use fewer of its bits. */
    public static final int MIN_PAGE_SHIFT = 12;
    /** Where the fields written under the class lock start: a cache line of their own. */
    public static final long MUTABLE_OFFSET = 64;
    public static final long LIVE_COUNT_OFFSET = 64;
    public static final long BUMP_INDEX_OFFSET = 68;
    public static final long FREE_HEAD_OFFSET = 72;
    public static final long LINK_OFFSET = 80;
    public static final long FREED_COUNT_OFFSET = 104;
    public static final long PURGED_COUNT_OFFSET = 108;
    public static final long REVIVE_INDEX_OFFSET = 112;
    public static final long DIRTY_SEEN_OFFSET = 116;
    public static final long DIRTY_SINCE_NANOS_OFFSET = 120;
    public static final long STATE_OFFSET = 128;

    /** Bytes of the header before the state array. */
    public static final long HEADER_FIXED_BYTE_SIZE = STATE_OFFSET;

    public static final byte STATE_FREE = 0;
    public static final byte STATE_ALLOCATED = 1;
    /** Free for the user but held by a cache; the segment counts it as live, so it is never retired under a cache. */
    public static final byte STATE_CACHED = 2;
    /**
     * Free, in no free list, memory (partly) given back to the kernel: the free list's links live
     * in the blocks, and madvise would zero them, so a purged block leaves the list and comes back
     * only through {@link SegmentPurge#revive}.
     */
    public static final byte STATE_PURGED = 3;

    /** Blocks are never aligned beyond a page: larger alignments go to large blocks. */
    public static final long MAX_BLOCK_ALIGNMENT = 4096;

    /** Shift of the fixed-point reciprocal in {@link #divisor}. */
    public static final int DIVISOR_SHIFT = 40;

    /**
     * A state byte after the state array that is always FREE: {@link #exactBlockIndex} can give
     * blockCount for an address in the segment's tail, and this byte rejects it.
     */
    public static final int GUARD_BYTE_COUNT = 1;

    /** Bits 20-39 of offset * divisor: any of them set means the offset is inside a block. */
    private static final long INEXACT_BITS = ((1L << DIVISOR_SHIFT) - 1) & -(1L << SEGMENT_SHIFT);

    /** Indexes {@link #exactBlockIndex} gives are below this; blocks per segment are fewer. */
    public static final long MAX_BLOCK_INDEX = 1L << 16;

    static {
        assert LINK_OFFSET + Link.BYTE_SIZE <= FREED_COUNT_OFFSET;
        assert PURGED_PAGES_OFFSET + 8L * PURGED_PAGES_LONG_COUNT <= MUTABLE_OFFSET;
        assert DIRTY_SINCE_NANOS_OFFSET + Long.BYTES <= STATE_OFFSET;
        assert (SEGMENT_SIZE >>> MIN_PAGE_SHIFT) <= 64L * PURGED_PAGES_LONG_COUNT;
    }

    private SegmentLayout() {
    }

    /** Alignment of every block of this size: the largest power of two dividing it, at most a page. */
    public static long blockAlignment(long blockByteSize) {
        return Math.min(Long.lowestOneBit(blockByteSize), MAX_BLOCK_ALIGNMENT);
    }

    /**
     * Offset of block 0 when the segment holds {@code blockCount} blocks of {@code blockByteSize}:
     * after the state array and its guard byte (see {@link #exactBlockIndex}).
     */
    public static long blockStart(long blockByteSize, long blockCount) {
        long alignment = blockAlignment(blockByteSize);
        return (STATE_OFFSET + blockCount + GUARD_BYTE_COUNT + alignment - 1) & -alignment;
    }

    /**
     * The index of the block starting {@code offset} bytes after block 0, or a number at or above
     * 2^16 when no block starts there: for every offset from {@code -blockStart} up to the end of
     * the segment, with {@code divisor} = {@link #divisor}(blockByteSize). One multiplication and
     * no load: the free fast path's division and exactness test.
     *
     * <p>Why it holds, for {@code offset = q * size + r}, {@code 0 <= offset < 2^20}, and
     * {@code e = size * divisor - 2^40} (so {@code 0 <= e < size}): the product is
     * {@code q * 2^40 + q * e + r * divisor}, whose low 40 bits are {@code q * e < offset < 2^20}
     * when r is 0, and at least {@code divisor > 2^20} (blocks are smaller than a segment) and
     * below 2^40 otherwise ({@link #divisor}). So bits 20-39 are all clear exactly at a block
     * start, and bits 40 and up are q. A negative offset (an address in the header) either sets
     * some of bits 20-39 or wraps q to at least {@code 2^24 - 2^20 / 16}; both fail. A q that
     * passes is at most blockCount: {@code q == blockCount} (a block start past the last block, in
     * the segment's tail) reads the guard byte, which is always FREE, so it fails the state test.
     * SegmentLayoutTest checks every offset of every class.
     */
    public static long exactBlockIndex(long offset, long divisor) {
        long product = offset * divisor;
        return (product & INEXACT_BITS) == 0 ? product >>> DIVISOR_SHIFT : Long.MAX_VALUE;
    }

    /** The most blocks of {@code blockByteSize} that fit in a segment after their header. */
    public static int blockCount(long blockByteSize) {
        if (blockByteSize <= 0 || blockByteSize > SEGMENT_SIZE) {
            throw new IllegalArgumentException("blockByteSize must be in [1, " + SEGMENT_SIZE
                    + "]: blockByteSize=" + blockByteSize);
        }
        long count = (SEGMENT_SIZE - STATE_OFFSET) / (blockByteSize + 1);
        while (count > 0 && blockStart(blockByteSize, count) + count * blockByteSize > SEGMENT_SIZE) {
            count--;
        }
        return (int) count;
    }

    /**
     * The fixed-point reciprocal {@code ceil(2^40 / blockByteSize)}. For every offset below
     * SEGMENT_SIZE (2^20) and block size up to 2^20, {@code (offset * divisor) >>> 40} equals
     * {@code offset / blockByteSize} exactly: the error term offset * (divisor - 2^40/size) / 2^40
     * is below 2^-20, which is at most 1/size, so it never carries into the integer part.
     */
    public static long divisor(long blockByteSize) {
        return ((1L << DIVISOR_SHIFT) + blockByteSize - 1) / blockByteSize;
    }

    /** Segment base of any address inside it. */
    public static long segmentBase(long address) {
        return address & ~SEGMENT_MASK;
    }
}
