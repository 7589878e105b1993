package io.tinyalloc.core;

/**
 * Descriptor of a thread cache's bin array: one on-heap {@code long[]} per platform thread per
 * heap that holds everything the malloc and free fast paths touch, so that they load one array
 * and nothing else. Bins are stacks of {@link CacheEntry} values, one per size class, laid out
 * one after the other between sentinels.
 *
 * <pre>
 *  index 0          1            2              3            4 .. 4+COUNT-1   bottom(0)                     limit(0)
 *  +----------+------------+--------------+------------+----------------+------+-----------------------+------+---
 *  | OWNER_ID | FREE_COUNT | MEMO         | MEMO_MAGIC | TOP[class]     |  0   | entries: capacity(0)  |  -1  | ...
 *  | thread id| frees      | segment base | the memo   | index of the   |      | (top entry at TOP[0]) |      |
 *  |          |            | | class      | segment's  | top entry      |      |                       |      |
 *  |          |            |              | MAGIC      |                |      |                       |      |
 *  +----------+------------+--------------+------------+----------------+------+-----------------------+------+---
 * </pre>
 *
 * <ul>
 *   <li>OWNER_ID: the owning thread's {@link Thread#threadId()}; -1 in the shared
 *       {@link #unowned()} array and in a closed cache, so no thread's id ever matches.</li>
 *   <li>FREE_COUNT: frees that went into this cache (the only counter the fast path keeps; the
 *       malloc count is derived from it, see {@link ThreadCache#mallocCount()}).</li>
 *   <li>MEMO: the segment of this thread's last page-map lookup on free, as its base OR its
 *       class index (classes are below 64, bases multiples of 1 MiB), so that a run of frees into
 *       one segment looks the page map up once: {@code MEMO - base} is the class when it is below
 *       the class count. -1 at first, which matches no base. Only a hint: the free fast path still
 *       checks MAGIC, which carries the class.</li>
 *   <li>MEMO_MAGIC: the MAGIC the memo's segment must have ({@code key ^ class ^ base}), written
 *       with MEMO, so that the free fast path compares the header with one load instead of
 *       rebuilding the value. Meaningless while MEMO is {@link #NO_MEMO}.</li>
 *   <li>TOP[c]: the array index of class c's top entry; {@code bottom(c)} when the bin is empty,
 *       so {@code TOP[c] - bottom(c)} is the entry count.</li>
 *   <li>bottom(c) holds 0 and limit(c) = bottom(c) + capacity(c) + 1 holds -1, both for good: a pop
 *       that reads 0 at TOP finds the bin empty, a push that reads -1 just above TOP finds it full,
 *       with no capacity to load. No entry is 0 or -1 ({@link CacheEntry}). Slots between TOP and
 *       limit hold stale entries and are never read as entries.</li>
 *   <li>A class with capacity 0 (blocks above {@link #MAX_CACHED_SIZE}) has limit = bottom + 1:
 *       always empty and always full, so both fast paths fall through to the backend.</li>
 * </ul>
 *
 * <p>Capacities: about {@link #BIN_BYTE_SIZE} bytes of blocks per class, at least
 * {@link #MIN_CAPACITY} and at most {@link #MAX_CAPACITY} entries; refills and flushes move
 * half a bin ({@link #batchSize}). Every full bin together stays under
 * {@link #maxCachedByteSize()} (about 2 MiB) per thread, and {@link ThreadCache#BYTE_BUDGET}
 * bounds what a thread keeps in practice. 64 KiB per bin rather than 32 KiB: batches of 1000
 * blocks of 4 KiB (allocate all, free all) went from 46-65 ns to 32-34 ns per block (8 entries
 * per refill instead of 4; mimalloc 33-36 ns in the same run), with the same peak RSS on the
 * kernels and the same RSS area on the phase workload. At most 1024 entries rather than 256, so
 * that classes up to 64 B hold 64 KiB too and move 512 blocks per batch: xmalloc-test went from
 * 0.82-0.96x to 0.97-0.99x mimalloc (steady state, {@code KernelCompare}; larson
 * unchanged within its noise), 1000 x 64 B batches from 12-14 to 8-9 ns per block; the bin array grew
 * from 36 to 75 KiB per platform thread. A new thread does not fill half a bin at once: see
 * {@link ThreadCache#FIRST_REFILL}.
 */
final class ThreadCacheLayout {

    /** Requests up to this size are served by the thread cache; larger ones by the segments directly. */
    static final long MAX_CACHED_SIZE = 32 * 1024;
    static final int BIN_BYTE_SIZE = 64 * 1024;
    static final int MIN_CAPACITY = 2;
    static final int MAX_CAPACITY = 1024;

    static final int OWNER_ID_INDEX = 0;
    static final int FREE_COUNT_INDEX = 1;
    static final int MEMO_INDEX = 2;
    static final int MEMO_MAGIC_INDEX = 3;
    static final int TOP_INDEX = 4;
    static final long NO_MEMO = -1;

    static final long BOTTOM_SENTINEL = 0;
    static final long LIMIT_SENTINEL = -1;
    static final long NO_OWNER = -1;

    private static final int[] CAPACITIES = new int[SizeClasses.COUNT];
    private static final int[] BOTTOMS = new int[SizeClasses.COUNT];
    private static final int LENGTH;
    /**
     * Class index of every size up to MAX_CACHED_SIZE, indexed by (size + 15) >>> 4; a power of
     * two long, so that masking the index (a no-op for valid sizes) lets the JIT drop the bounds check.
     */
    private static final int CLASS_OF_LENGTH = Integer.highestOneBit((int) (MAX_CACHED_SIZE >>> 4)) * 2;
    private static final byte[] CLASS_OF = new byte[CLASS_OF_LENGTH];
    private static final long[] UNOWNED = {NO_OWNER};

    static {
        int next = TOP_INDEX + SizeClasses.COUNT;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            CAPACITIES[c] = computeCapacity(SizeClasses.blockSize(c));
            BOTTOMS[c] = next;
            next += CAPACITIES[c] + 2;
        }
        LENGTH = next;
        for (int slot = 0; slot <= MAX_CACHED_SIZE >>> 4; slot++) {
            CLASS_OF[slot] = (byte) SizeClasses.classIndex(slot * 16L);
        }
    }

    private ThreadCacheLayout() {
    }

    /** A fresh bin array for {@code ownerId}: every bin empty. */
    static long[] newBins(long ownerId) {
        long[] bins = new long[LENGTH];
        bins[OWNER_ID_INDEX] = ownerId;
        bins[MEMO_INDEX] = NO_MEMO;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            bins[TOP_INDEX + c] = BOTTOMS[c];
            bins[BOTTOMS[c]] = BOTTOM_SENTINEL;
            bins[limit(c)] = LIMIT_SENTINEL;
        }
        return bins;
    }

    /** The shared array no thread owns: what a thread-table slot holds when it holds no cache. */
    static long[] unowned() {
        return UNOWNED;
    }

    /** The class of {@code byteSize}, for {@code 0 <= byteSize <= MAX_CACHED_SIZE}. */
    static int classOf(long byteSize) {
        return CLASS_OF[(int) ((byteSize + 15) >>> 4) & (CLASS_OF_LENGTH - 1)];
    }

    static int capacity(int classIndex) {
        return CAPACITIES[classIndex];
    }

    /** Entries moved by one refill or flush: half a bin, at least one. */
    static int batchSize(int classIndex) {
        return Math.max(1, CAPACITIES[classIndex] / 2);
    }

    static int bottom(int classIndex) {
        return BOTTOMS[classIndex];
    }

    static int limit(int classIndex) {
        return BOTTOMS[classIndex] + CAPACITIES[classIndex] + 1;
    }

    static int length() {
        return LENGTH;
    }

    /** Bytes of blocks a thread cache holds when every bin is full. */
    static long maxCachedByteSize() {
        long bytes = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            bytes += (long) CAPACITIES[c] * SizeClasses.blockSize(c);
        }
        return bytes;
    }

    private static int computeCapacity(int blockByteSize) {
        if (blockByteSize > MAX_CACHED_SIZE) {
            return 0;
        }
        return Math.clamp(BIN_BYTE_SIZE / blockByteSize, MIN_CAPACITY, MAX_CAPACITY);
    }
}
