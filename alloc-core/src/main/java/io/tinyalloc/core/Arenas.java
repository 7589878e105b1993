package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>Decay (trim policy): each spare segment remembers since when it is spare
 * ({@code spareSinceNanos}); with a trim thread ({@link #keepSparesForDecay}) spares are not
 * decommitted when given back but by {@link #purgeAged} once they have been spare for the purge
 * delay, in bounded batches so the lock is never held for long. A purge the kernel refuses leaves
 * the slot spare (committed, counted) for a later pass.
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
    /** Segment base -> System.nanoTime() when it became spare; exactly the spare slots' bases. */
    private final Map<Long, Long> spareSinceNanos = new HashMap<>();
    private int spareKeep = SPARE_KEEP;

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
                spareSinceNanos.remove(arena.slotBase(slot));
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
        return giveBack(segmentBase, System.nanoTime());
    }

    /**
     * As {@link #giveBack(long)}, for a segment that has been free since {@code freeSinceNanos}
     * (a segment a class kept empty for a while ages from when it emptied, not from its retirement).
     */
    synchronized long giveBack(long segmentBase, long freeSinceNanos) {
        Arena arena = arenaOf(segmentBase);
        int slot = arena.slotOf(segmentBase);
        if (!arena.isInUse(slot)) {
            throw new IllegalStateException("segment given back twice or never carved: base=0x"
                    + Long.toHexString(segmentBase));
        }
        arena.markSpare(slot);
        spareCount++;
        spareSinceNanos.put(segmentBase, freeSinceNanos);
        return spareCount > spareKeep && tryDecommit(arena, slot, false) ? SegmentLayout.SEGMENT_SIZE : 0;
    }

    /**
     * Spares given back at {@code fromNanos} or later count as spare since {@code toNanos}: the
     * trim thread drained an idle cache, and the segments that emptied were free since the cache
     * went idle, not since the drain. (A spare another thread gave back in the same instant is
     * backdated too: it then ages up to one pass interval early, which decay tolerates.)
     */
    synchronized void backdate(long fromNanos, long toNanos) {
        spareSinceNanos.replaceAll((base, since) -> since - fromNanos >= 0 && toNanos - since < 0 ? toNanos : since);
    }

    /** A trim thread ages the spares: keep them all until {@link #purgeAged} says they are old enough. */
    synchronized void keepSparesForDecay() {
        spareKeep = Integer.MAX_VALUE;
    }

    /**
     * Purges (the configured {@link PurgeMode}) up to {@code maxCount} spare segments that have
     * been spare since {@code cutoffNanos} or earlier.
     *
     * @return the bytes purged; less than {@code maxCount} segments' worth when no more are due or
     *         the kernel refused one (that one stays spare and is retried on a later call)
     */
    synchronized long purgeAged(long cutoffNanos, int maxCount) {
        long bytes = 0;
        int purged = 0;
        for (Arena arena : arenas) {
            for (int slot = arena.nextSpare(0); slot >= 0 && purged < maxCount; slot = arena.nextSpare(slot + 1)) {
                Long since = spareSinceNanos.get(arena.slotBase(slot));
                if (since != null && since - cutoffNanos > 0) {
                    continue;
                }
                if (!tryDecommit(arena, slot, true)) {
                    return bytes;
                }
                bytes += SegmentLayout.SEGMENT_SIZE;
                purged++;
            }
        }
        return bytes;
    }

    /** Decommits every spare segment; returns the bytes given back to the kernel. */
    synchronized long decommitSpares() {
        long bytes = 0;
        for (Arena arena : arenas) {
            for (int slot = arena.nextSpare(0); slot >= 0; slot = arena.nextSpare(slot + 1)) {
                if (!tryDecommit(arena, slot, false)) {
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
        spareSinceNanos.clear();
    }

    /** The heap's kernel door, for the size classes' page purges (immutable, so no lock). */
    VirtualMemory memory() {
        return memory;
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
        if (spares != spareCount || spareSinceNanos.size() != spareCount) {
            throw new IllegalStateException("spareCount=" + spareCount + " spare slots=" + spares
                    + " timestamps=" + spareSinceNanos.size());
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

    /** {@code lazy}: the configured purge mode (decay), else MADV_DONTNEED (trim on demand, quota). */
    private boolean tryDecommit(Arena arena, int slot, boolean lazy) {
        long base = arena.slotBase(slot);
        try {
            if (lazy) {
                memory.purge(base, SegmentLayout.SEGMENT_SIZE);
            } else {
                memory.decommit(base, SegmentLayout.SEGMENT_SIZE);
            }
        } catch (MapException e) {
            return false;
        }
        arena.markFree(slot);
        spareSinceNanos.remove(base);
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
