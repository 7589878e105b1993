package io.tinyalloc.core;

/**
 * The small size classes: every request up to {@link #MAX_SMALL_SIZE} is rounded up to one of
 * {@link #COUNT} block sizes, and each segment serves one of them.
 *
 * <p>Spacing: 16-byte steps from 16 to 128 (8 classes, exact for the most common tiny objects),
 * then 4 classes per doubling (160, 192, 224, 256, 320, ...), as in jemalloc and mimalloc, so a
 * request above 128 bytes wastes less than 20% of its block to rounding. Every
 * class is a multiple of 16, so every block is 16-byte aligned, as glibc promises.
 *
 * <p>Invariants (checked by {@link #check()}):
 * <ul>
 *   <li>blockSize(i) is strictly increasing, a multiple of 16, blockSize(COUNT-1) == MAX_SMALL_SIZE</li>
 *   <li>classIndex(s) is the smallest i with blockSize(i) >= s, for every 0 <= s <= MAX_SMALL_SIZE</li>
 *   <li>blockCount(i) * blockSize(i) >= 70% of SEGMENT_SIZE, header included (TinyMalloc's bar):
 *       this is what puts MAX_SMALL_SIZE at 256 KiB (3 blocks, 75%): the next doubling ends
 *       at 512 KiB, of which a segment holds one block beside its header (50%)</li>
 * </ul>
 *
 * <p>Lookup is O(1): a byte table indexed by {@code (size + 15) >> 4} up to {@link #TABLE_MAX_SIZE},
 * and a leading-zeros computation above it.
 */
public final class SizeClasses {

    /** Largest small request; larger ones get a dedicated mapping. */
    public static final long MAX_SMALL_SIZE = 256 * 1024;
    /** Sizes up to this use the lookup table. */
    public static final long TABLE_MAX_SIZE = 4096;
    /** Classes below 128 bytes step by 16; from 128 on, each doubling holds this many classes. */
    public static final int CLASSES_PER_DOUBLING = 4;
    public static final double MIN_EFFICIENCY = 0.70;

    private static final int LINEAR_MAX_SIZE = 128;
    private static final int LINEAR_CLASS_COUNT = LINEAR_MAX_SIZE / 16;
    private static final int LINEAR_MAX_LOG2 = 7;

    public static final int COUNT = LINEAR_CLASS_COUNT
            + CLASSES_PER_DOUBLING * (Long.numberOfTrailingZeros(MAX_SMALL_SIZE) - LINEAR_MAX_LOG2);

    private static final int[] BLOCK_SIZES = new int[COUNT];
    private static final int[] BLOCK_COUNTS = new int[COUNT];
    private static final int[] BLOCK_STARTS = new int[COUNT];
    private static final byte[] TABLE = new byte[(int) (TABLE_MAX_SIZE >> 4) + 1];

    static {
        for (int i = 0; i < COUNT; i++) {
            BLOCK_SIZES[i] = computeBlockSize(i);
            BLOCK_COUNTS[i] = SegmentLayout.blockCount(BLOCK_SIZES[i]);
            BLOCK_STARTS[i] = (int) SegmentLayout.blockStart(BLOCK_SIZES[i], BLOCK_COUNTS[i]);
        }
        for (int slot = 0; slot < TABLE.length; slot++) {
            TABLE[slot] = (byte) computeClassIndex(slot * 16L);
        }
    }

    private SizeClasses() {
    }

    /**
     * The class serving {@code byteSize} bytes, for {@code 0 <= byteSize <= MAX_SMALL_SIZE}
     * (the caller has checked; 0 maps to the 16-byte class).
     */
    public static int classIndex(long byteSize) {
        if (byteSize <= TABLE_MAX_SIZE) {
            return TABLE[(int) ((byteSize + 15) >>> 4)];
        }
        return computeClassIndex(byteSize);
    }

    /**
     * The smallest class that serves {@code byteSize} bytes at {@code byteAlignment} (a power of
     * two), or -1 when no class can: the size is too large or the alignment above a page.
     */
    public static int classIndexForAlignment(long byteSize, long byteAlignment) {
        if (byteAlignment > SegmentLayout.MAX_BLOCK_ALIGNMENT || byteSize > MAX_SMALL_SIZE) {
            return -1;
        }
        for (int i = classIndex(Math.max(byteSize, byteAlignment)); i < COUNT; i++) {
            if (SegmentLayout.blockAlignment(BLOCK_SIZES[i]) >= byteAlignment) {
                return i;
            }
        }
        return -1;
    }

    public static int blockSize(int classIndex) {
        return BLOCK_SIZES[classIndex];
    }

    /** Blocks that fit in one segment of this class. */
    public static int blockCount(int classIndex) {
        return BLOCK_COUNTS[classIndex];
    }

    /** Offset of block 0 from the segment base. */
    public static int blockStart(int classIndex) {
        return BLOCK_STARTS[classIndex];
    }

    /** Fraction of a segment that holds blocks: blockCount * blockSize / SEGMENT_SIZE. */
    public static double efficiency(int classIndex) {
        return (double) BLOCK_COUNTS[classIndex] * BLOCK_SIZES[classIndex] / SegmentLayout.SEGMENT_SIZE;
    }

    /**
     * Expensive check of every invariant of the table (O(MAX_SMALL_SIZE / 16)).
     *
     * @return true, for {@code assert SizeClasses.check()}
     * @throws IllegalStateException naming the first broken invariant
     */
    public static boolean check() {
        for (int i = 0; i < COUNT; i++) {
            int size = BLOCK_SIZES[i];
            if (size % 16 != 0 || (i > 0 && size <= BLOCK_SIZES[i - 1]) || efficiency(i) < MIN_EFFICIENCY) {
                throw new IllegalStateException("bad size class: classIndex=" + i + " blockSize=" + size
                        + " efficiency=" + efficiency(i));
            }
        }
        if (BLOCK_SIZES[COUNT - 1] != MAX_SMALL_SIZE) {
            throw new IllegalStateException("last class blockSize=" + BLOCK_SIZES[COUNT - 1]
                    + " maxSmallSize=" + MAX_SMALL_SIZE);
        }
        for (long size = 0; size <= MAX_SMALL_SIZE; size += 8) {
            int index = classIndex(size);
            if (BLOCK_SIZES[index] < size || (index > 0 && BLOCK_SIZES[index - 1] >= size)) {
                throw new IllegalStateException("bad lookup: byteSize=" + size + " classIndex=" + index);
            }
        }
        return true;
    }

    private static int computeBlockSize(int classIndex) {
        if (classIndex < LINEAR_CLASS_COUNT) {
            return 16 * (classIndex + 1);
        }
        int group = (classIndex - LINEAR_CLASS_COUNT) / CLASSES_PER_DOUBLING;
        int step = (classIndex - LINEAR_CLASS_COUNT) % CLASSES_PER_DOUBLING + 1;
        int groupBase = LINEAR_MAX_SIZE << group;
        return groupBase + step * (groupBase / CLASSES_PER_DOUBLING);
    }

    /**
     * For sizes above 128: with 2^p < size <= 2^(p+1), the doubling's 4 classes step by 2^(p-2),
     * and bits p-1..p-2 of (size - 1) say which step rounds size up.
     */
    private static int computeClassIndex(long byteSize) {
        if (byteSize <= LINEAR_MAX_SIZE) {
            return byteSize == 0 ? 0 : (int) ((byteSize - 1) >>> 4);
        }
        int log2 = 63 - Long.numberOfLeadingZeros(byteSize - 1);
        int step = (int) ((byteSize - 1) >>> (log2 - 2)) & (CLASSES_PER_DOUBLING - 1);
        return LINEAR_CLASS_COUNT + (log2 - LINEAR_MAX_LOG2) * CLASSES_PER_DOUBLING + step;
    }
}
