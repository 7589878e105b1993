package io.tinyalloc.core;

import io.tinyalloc.bitmap.Bitmap;
import io.tinyalloc.bitmap.LongArrayBitmap;

/**
 * One reservation of address space carved into segment slots of
 * {@link SegmentLayout#SEGMENT_SIZE} bytes. The arena only keeps the books; {@link Arenas} makes
 * the kernel calls.
 *
 * <p>A slot is in one of three states:
 * <ul>
 *   <li>free: not committed (never touched and PROT_NONE, or decommitted and empty);</li>
 *   <li>in use: committed, holds a segment formatted for a size class;</li>
 *   <li>spare: committed, holds no segment; reused before any free slot, no system call needed.</li>
 * </ul>
 * A free slot may be lazily freed: its pages were given back with {@code MADV_FREE}
 * ({@link PurgeMode#FREE}), so they stay resident until the kernel needs memory or a trim on
 * demand drops them ({@link Arenas#dropLazilyFreed}).
 * Invariants: spare is a subset of occupied (occupied = in use + spare); lazily freed is a subset
 * of free;
 * occupiedCount == occupied.cardinality(); spareCount == spare.cardinality();
 * retiring => occupiedCount == 0 (no slot is carved from a retiring arena).
 *
 * <p>Retiring (see {@link Arenas#markRetiring}): an arena with no occupied slot, idle long enough,
 * waits to be unmapped until every thread that might still hold a segment base inside it has
 * passed a quiescent point; {@link #retiringEpoch} is the quiescence epoch it waits for
 * ({@link #EPOCH_PENDING} until the epoch is requested).
 * Not thread-safe: guarded by the {@link Arenas} lock.
 */
final class Arena {

    private final long base;
    private final long byteSize;
    private final Bitmap occupied;
    private final Bitmap spare;
    private final Bitmap lazilyFreed;
    private int occupiedCount;
    private int spareCount;

    static final long EPOCH_PENDING = -1;

    /** The arena is waiting to be unmapped: nothing is carved from it. */
    boolean retiring;
    /** The quiescence epoch a retiring arena waits for, or {@link #EPOCH_PENDING}. */
    long retiringEpoch = EPOCH_PENDING;
    /** System.nanoTime() when the last occupied slot became free (meaningful while occupiedCount == 0). */
    long emptySinceNanos = System.nanoTime();

    Arena(long base, long byteSize) {
        this.base = base;
        this.byteSize = byteSize;
        int slotCount = (int) (byteSize >>> SegmentLayout.SEGMENT_SHIFT);
        this.occupied = new LongArrayBitmap(slotCount);
        this.spare = new LongArrayBitmap(slotCount);
        this.lazilyFreed = new LongArrayBitmap(slotCount);
    }

    long base() {
        return base;
    }

    long byteSize() {
        return byteSize;
    }

    int slotCount() {
        return occupied.bitCount();
    }

    boolean contains(long address) {
        return address >= base && address - base < byteSize;
    }

    long slotBase(int slot) {
        return base + ((long) slot << SegmentLayout.SEGMENT_SHIFT);
    }

    int slotOf(long segmentBase) {
        return (int) ((segmentBase - base) >>> SegmentLayout.SEGMENT_SHIFT);
    }

    /** A spare slot, now in use, or -1. */
    int takeSpare() {
        int slot = spare.findFirstSet();
        if (slot >= 0) {
            spare.clear(slot);
            spareCount--;
        }
        return slot;
    }

    /** The lowest free slot, still free (commit it, then {@link #markInUse}), or -1. */
    int findFree() {
        return occupied.findFirstClear();
    }

    /** A free slot was committed. */
    void markInUse(int slot) {
        lazilyFreed.clear(slot);
        occupied.set(slot);
        occupiedCount++;
    }

    /** An in-use slot gave its segment back and stays committed. */
    void markSpare(int slot) {
        spare.set(slot);
        spareCount++;
    }

    /** A spare slot was decommitted; {@code lazily}: with MADV_FREE, so its pages may still be resident. */
    void markFree(int slot, boolean lazily) {
        if (lazily) {
            lazilyFreed.set(slot);
        }
        spare.clear(slot);
        occupied.clear(slot);
        spareCount--;
        occupiedCount--;
        if (occupiedCount == 0) {
            emptySinceNanos = System.nanoTime();
        }
    }

    /** The first occupied slot at or after {@code fromSlot}, or -1. */
    int nextOccupied(int fromSlot) {
        return occupied.findNextSet(fromSlot);
    }

    /** The end (exclusive) of the run of occupied slots that starts at the occupied {@code fromSlot}. */
    int occupiedRunEnd(int fromSlot) {
        int end = occupied.findNextClear(fromSlot);
        return end < 0 ? slotCount() : end;
    }

    /** The occupied slots {@code [fromSlot, toSlot)}, in use or spare, were decommitted (the heap is closing). */
    void markRunFree(int fromSlot, int toSlot) {
        for (int slot = fromSlot; slot < toSlot; slot++) {
            if (spare.get(slot)) {
                spare.clear(slot);
                spareCount--;
            }
            occupied.clear(slot);
            occupiedCount--;
        }
    }

    boolean isInUse(int slot) {
        return occupied.get(slot) && !spare.get(slot);
    }

    boolean isSpare(int slot) {
        return spare.get(slot);
    }

    /** Next spare slot at or after {@code fromSlot}, or -1. */
    int nextSpare(int fromSlot) {
        return spare.findNextSet(fromSlot);
    }

    /** The first lazily freed slot at or after {@code fromSlot}, or -1. */
    int nextLazilyFreed(int fromSlot) {
        return lazilyFreed.findNextSet(fromSlot);
    }

    /** The end (exclusive) of the run of lazily freed slots that starts at the lazily freed {@code fromSlot}. */
    int lazilyFreedRunEnd(int fromSlot) {
        int end = lazilyFreed.findNextClear(fromSlot);
        return end < 0 ? slotCount() : end;
    }

    /** The lazily freed slots {@code [fromSlot, toSlot)} had their pages dropped (MADV_DONTNEED). */
    void markDropped(int fromSlot, int toSlot) {
        lazilyFreed.clearRange(fromSlot, toSlot - fromSlot);
    }

    int occupiedCount() {
        return occupiedCount;
    }

    int spareCount() {
        return spareCount;
    }

    /**
     * Expensive check (O(slots)) of the invariants.
     *
     * @return true, for {@code assert arena.check()}
     */
    boolean check() {
        if (occupied.cardinality() != occupiedCount || spare.cardinality() != spareCount
                || (retiring && occupiedCount != 0)) {
            throw new IllegalStateException("arena counts disagree: base=0x" + Long.toHexString(base)
                    + " occupiedCount=" + occupiedCount + " occupied bits=" + occupied.cardinality()
                    + " spareCount=" + spareCount + " spare bits=" + spare.cardinality() + " retiring=" + retiring);
        }
        for (int slot = spare.findFirstSet(); slot >= 0; slot = spare.findNextSet(slot + 1)) {
            if (!occupied.get(slot)) {
                throw new IllegalStateException("spare slot not occupied: base=0x" + Long.toHexString(base)
                        + " slot=" + slot);
            }
        }
        for (int slot = lazilyFreed.findFirstSet(); slot >= 0; slot = lazilyFreed.findNextSet(slot + 1)) {
            if (occupied.get(slot)) {
                throw new IllegalStateException("lazily freed slot is occupied: base=0x" + Long.toHexString(base)
                        + " slot=" + slot);
            }
        }
        return true;
    }
}
