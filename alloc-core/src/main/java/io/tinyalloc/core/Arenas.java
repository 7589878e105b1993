package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap's arenas: where segments come from and go back to. Reserves a new arena of
 * {@code arenaByteSize} (or what the reservation limit leaves, in whole segments) when every
 * slot of the existing ones is in use, commits a slot when it is carved, and keeps up to
 * {@link #SPARE_KEEP} given-back segments committed for quick reuse; beyond that, and on
 * {@link #decommitSpares()}, their memory goes back to the kernel.
 *
 * <p>Arenas are unmapped only by {@link #releaseAll()} when the heap closes, never while it is
 * open: a slot that was ever carved stays readable (decommitted memory reads as zero), which is
 * what lets the page map hand out segment bases whose headers can always be read safely.
 *
 * <p>Invariants: committed segment bytes == (sum of occupied slots) * SEGMENT_SIZE;
 * spareCount == sum of the arenas' spare counts <= SPARE_KEEP unless a decommit failed.
 * Thread-safe: every method holds this object's lock, the innermost lock but for the
 * {@link PageMap}'s (size-class locks are taken before it).
 */
final class Arenas {

    /** Spare segments kept committed: enough to absorb churn between size classes. */
    static final int SPARE_KEEP = 16;

    private final VirtualMemory memory;
    private final long arenaByteSize;
    private final List<Arena> arenas = new ArrayList<>();
    private int spareCount;
    private boolean closed;

    Arenas(VirtualMemory memory, long arenaByteSize) {
        this.memory = memory;
        this.arenaByteSize = arenaByteSize;
    }

    /**
     * A committed segment slot for a new segment: a spare one, else a free slot, else a slot of
     * a new arena.
     *
     * @throws HeapExhaustedException when a limit or the kernel refuses; nothing changed then
     */
    synchronized long carve() {
        if (closed) {
            throw CoreErrors.closed();
        }
        for (Arena arena : arenas) {
            int slot = arena.takeSpare();
            if (slot >= 0) {
                spareCount--;
                return arena.slotBase(slot);
            }
        }
        for (Arena arena : arenas) {
            int slot = arena.findFree();
            if (slot >= 0) {
                return commitSlot(arena, slot);
            }
        }
        Arena arena = newArena();
        return commitSlot(arena, arena.findFree());
    }

    /**
     * Takes back a segment that was retired; keeps it committed or decommits it.
     *
     * @return the bytes decommitted: 0 or SEGMENT_SIZE
     */
    synchronized long giveBack(long segmentBase) {
        Arena arena = arenaOf(segmentBase);
        int slot = arena.slotOf(segmentBase);
        if (!arena.isInUse(slot)) {
            throw new IllegalStateException("segment given back twice or never carved: base=0x"
                    + Long.toHexString(segmentBase));
        }
        arena.markSpare(slot);
        spareCount++;
        return spareCount > SPARE_KEEP && tryDecommit(arena, slot) ? SegmentLayout.SEGMENT_SIZE : 0;
    }

    /** Decommits every spare segment; returns the bytes given back to the kernel. */
    synchronized long decommitSpares() {
        long bytes = 0;
        for (Arena arena : arenas) {
            for (int slot = arena.nextSpare(0); slot >= 0; slot = arena.nextSpare(slot + 1)) {
                if (!tryDecommit(arena, slot)) {
                    return bytes;
                }
                bytes += SegmentLayout.SEGMENT_SIZE;
            }
        }
        return bytes;
    }

    /** Unmaps every arena (the heap is closing). Later calls of {@link #carve} throw. */
    synchronized void releaseAll() {
        closed = true;
        for (Arena arena : arenas) {
            long committed = (long) arena.occupiedCount() << SegmentLayout.SEGMENT_SHIFT;
            memory.releaseOrDefer(arena.base(), arena.byteSize(), committed);
        }
        arenas.clear();
        spareCount = 0;
    }

    synchronized int spareCount() {
        return spareCount;
    }

    synchronized int arenaCount() {
        return arenas.size();
    }

    /** Segments carved and not given back. */
    synchronized long inUseCount() {
        long count = 0;
        for (Arena arena : arenas) {
            count += arena.occupiedCount() - arena.spareCount();
        }
        return count;
    }

    /**
     * Expensive check of every arena and of the spare count.
     *
     * @return true, for {@code assert arenas.check()}
     */
    synchronized boolean check() {
        int spares = 0;
        for (Arena arena : arenas) {
            arena.check();
            spares += arena.spareCount();
        }
        if (spares != spareCount) {
            throw new IllegalStateException("spareCount=" + spareCount + " spare slots=" + spares);
        }
        return true;
    }

    private long commitSlot(Arena arena, int slot) {
        long base = arena.slotBase(slot);
        memory.commit(base, SegmentLayout.SEGMENT_SIZE);
        arena.markInUse(slot);
        return base;
    }

    private Arena newArena() {
        long room = Math.min(arenaByteSize, memory.reservationRoom()) & ~SegmentLayout.SEGMENT_MASK;
        long byteSize = Math.max(room, SegmentLayout.SEGMENT_SIZE);
        long base = memory.reserve(byteSize, SegmentLayout.SEGMENT_SIZE);
        Arena arena = new Arena(base, byteSize);
        arenas.add(arena);
        return arena;
    }

    private boolean tryDecommit(Arena arena, int slot) {
        try {
            memory.decommit(arena.slotBase(slot), SegmentLayout.SEGMENT_SIZE);
        } catch (MapException e) {
            return false;
        }
        arena.markFree(slot);
        spareCount--;
        return true;
    }

    private Arena arenaOf(long segmentBase) {
        for (Arena arena : arenas) {
            if (arena.contains(segmentBase)) {
                return arena;
            }
        }
        throw new IllegalStateException("segment outside every arena: base=0x" + Long.toHexString(segmentBase));
    }
}
