package io.tinyalloc.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * O(1) map from any address to what owns it, at {@link SegmentLayout#SEGMENT_SIZE} granularity
 * (a "unit"). This is how {@code free}, {@code realloc} and {@code usableSize} tell the heap's
 * own addresses from foreign, wild or stale ones without touching the memory they point to.
 *
 * <p>Two levels over 48-bit user addresses: level 1 is indexed by {@code address >>> 32} (65536
 * entries), level 2 by bits 20..31 (4096 {@code long} entries, 32 KiB, created the first time a
 * unit in its 4 GiB is mapped). Both live on the Java heap, so a lookup never reads native memory.
 *
 * <p>Entries: 0 means "not ours". Otherwise the low two bits are a tag and the rest a payload:
 * <pre>
 *   63                                    2  1 0
 *  +---------------------------------------+----+
 *  | classIndex (segment) / registry index |tag |   tag 01 = segment, 10 = large block
 *  +---------------------------------------+----+
 * </pre>
 * A segment entry exists exactly while the segment is formatted for that class; a large entry
 * covers every unit of the block's reservation.
 *
 * <p>Concurrency: writers serialize on this object; readers take no lock. Level-2 arrays and
 * entries are published with release stores and read with acquire loads, so a reader sees
 * either the old or the new entry, never a torn one, and a reader that learned of an address
 * through a synchronized hand-off (the usual malloc-then-free) sees the entry written before it.
 * Callers re-validate under their own lock whatever they found here.
 */
final class PageMap {

    static final long TAG_MASK = 3;
    static final long TAG_SEGMENT = 1;
    static final long TAG_LARGE = 2;
    static final int ADDRESS_BITS = 48;

    private static final int LEVEL1_SHIFT = 32;
    private static final int LEVEL2_BITS = LEVEL1_SHIFT - SegmentLayout.SEGMENT_SHIFT;
    private static final int LEVEL2_MASK = (1 << LEVEL2_BITS) - 1;
    private static final int LEVEL1_LENGTH = 1 << (ADDRESS_BITS - LEVEL1_SHIFT);

    private static final VarHandle LEVEL1 = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle LEVEL2 = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[][] level1 = new long[LEVEL1_LENGTH][];
    /** Non-zero entries, for the checker and the tests; guarded by this. */
    private long entryCount;

    /** The entry of the unit holding {@code address}, or 0. Lock-free. */
    long get(long address) {
        if ((address >>> ADDRESS_BITS) != 0) {
            return 0;
        }
        long[] level2 = (long[]) LEVEL1.getAcquire(level1, (int) (address >>> LEVEL1_SHIFT));
        if (level2 == null) {
            return 0;
        }
        return (long) LEVEL2.getAcquire(level2, (int) (address >>> SegmentLayout.SEGMENT_SHIFT) & LEVEL2_MASK);
    }

    /** Maps {@code unitCount} units from the unit-aligned {@code address} to {@code entry}. */
    synchronized void set(long address, long unitCount, long entry) {
        requireUnits(address, unitCount);
        if (entry == 0 || (entry & TAG_MASK) == 0 || (entry & TAG_MASK) == TAG_MASK) {
            throw new IllegalArgumentException("not a valid page map entry: entry=0x" + Long.toHexString(entry));
        }
        for (long unit = 0; unit < unitCount; unit++) {
            store(address + (unit << SegmentLayout.SEGMENT_SHIFT), entry);
        }
    }

    /** Unmaps {@code unitCount} units from the unit-aligned {@code address}. */
    synchronized void clear(long address, long unitCount) {
        requireUnits(address, unitCount);
        for (long unit = 0; unit < unitCount; unit++) {
            store(address + (unit << SegmentLayout.SEGMENT_SHIFT), 0);
        }
    }

    /** Drops every entry (the heap is closing). */
    synchronized void clearAll() {
        for (int i = 0; i < LEVEL1_LENGTH; i++) {
            LEVEL1.setRelease(level1, i, (long[]) null);
        }
        entryCount = 0;
    }

    synchronized long entryCount() {
        return entryCount;
    }

    static long segmentEntry(int classIndex) {
        return ((long) classIndex << 2) | TAG_SEGMENT;
    }

    static long largeEntry(int registryIndex) {
        return ((long) registryIndex << 2) | TAG_LARGE;
    }

    static boolean isSegment(long entry) {
        return (entry & TAG_MASK) == TAG_SEGMENT;
    }

    static boolean isLarge(long entry) {
        return (entry & TAG_MASK) == TAG_LARGE;
    }

    /** The class index of a segment entry, or the registry index of a large entry. */
    static int payload(long entry) {
        return (int) (entry >>> 2);
    }

    /**
     * Expensive check: every entry is 0 or well tagged, and the non-zero ones number
     * {@link #entryCount}.
     *
     * @return true, for {@code assert pageMap.check()}
     */
    synchronized boolean check() {
        long count = 0;
        for (long[] level2 : level1) {
            if (level2 == null) {
                continue;
            }
            for (long entry : level2) {
                if (entry != 0 && !isSegment(entry) && !isLarge(entry)) {
                    throw new IllegalStateException("badly tagged page map entry: entry=0x" + Long.toHexString(entry));
                }
                count += entry != 0 ? 1 : 0;
            }
        }
        if (count != entryCount) {
            throw new IllegalStateException("page map entries=" + count + " entryCount=" + entryCount);
        }
        return true;
    }

    private void store(long address, long entry) {
        int index1 = (int) (address >>> LEVEL1_SHIFT);
        long[] level2 = level1[index1];
        if (level2 == null) {
            if (entry == 0) {
                return;
            }
            level2 = new long[1 << LEVEL2_BITS];
            LEVEL1.setRelease(level1, index1, level2);
        }
        int index2 = (int) (address >>> SegmentLayout.SEGMENT_SHIFT) & LEVEL2_MASK;
        long old = level2[index2];
        entryCount += (entry != 0 ? 1 : 0) - (old != 0 ? 1 : 0);
        LEVEL2.setRelease(level2, index2, entry);
    }

    private static void requireUnits(long address, long unitCount) {
        long unitLimit = 1L << (ADDRESS_BITS - SegmentLayout.SEGMENT_SHIFT);
        long firstUnit = address >>> SegmentLayout.SEGMENT_SHIFT;
        if (address <= 0 || (address & SegmentLayout.SEGMENT_MASK) != 0 || unitCount <= 0
                || unitCount > unitLimit || firstUnit + unitCount > unitLimit) {
            throw new IllegalArgumentException("units outside the 48-bit address space or misaligned: address=0x"
                    + Long.toHexString(address) + " unitCount=" + unitCount);
        }
    }
}
