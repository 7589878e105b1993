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
 * <p>Unmapping an arena while the heap is open: a slot that was ever carved must stay readable
 * for as long as any thread may still read a header there through a base it found earlier (the
 * free fast path's segment memo, a slow path between its page-map lookup and its header read).
 * So an arena is unmapped in three steps, driven by {@link Decay}:
 * <ol>
 *   <li>{@link #markRetiring}: an arena with no occupied slot (its segments retired, so the page
 *       map no longer names any of them), idle for the purge delay, is marked retiring: no slot is
 *       carved from it any more. The first arena is never retired.</li>
 *   <li>{@link #assignEpoch}: a quiescence epoch is requested from the thread caches
 *       ({@link ThreadCaches#requestQuiescence}): each live cache drops its memo on its next slow
 *       path, after any fast path it was in has finished.</li>
 *   <li>{@link #releaseRetiring}: once every live cache has passed that epoch and no slow-path
 *       reader is active ({@link SlowReaders}), no thread can reach the arena: it is unmapped.</li>
 * </ol>
 * A carve that finds no free slot elsewhere takes a retiring arena back instead of reserving a
 * new one. A live thread that stays idle delays the unmap, never makes it unsafe.
 *
 * <p>Closing: no quiescence protocol can tell when a thread racing with the heap's close() has
 * left its fast path, so {@link #close} unmaps nothing. It decommits every occupied slot (RSS
 * goes back at once, and a header read there from then on sees zeros: MAGIC 0, which no check
 * accepts), keeps every arena reserved, and stops all retiring; {@link #releaseAll} unmaps the
 * arenas once no thread can reach them any more ({@link HeapUnmapper}).
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
            int slot = arena.retiring ? -1 : arena.findFree();
            if (slot >= 0) {
                return commitSlot(arena, slot);
            }
        }
        for (Arena arena : arenas) {
            if (arena.retiring) {
                arena.retiring = false;
                arena.retiringEpoch = Arena.EPOCH_PENDING;
                return commitSlot(arena, arena.findFree());
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

    /**
     * Drops the pages of free slots that a decay pass gave back with MADV_FREE
     * ({@link PurgeMode#FREE}) and that nothing has reused since: they no longer count as
     * committed, but stay resident until the kernel needs memory, and a trim on demand should
     * bring RSS down now. Runs of such slots go in one MADV_DONTNEED each.
     *
     * @return the bytes dropped; a run the kernel refused stays lazily freed (and counted as a
     *         failed call) for a later trim
     */
    synchronized long dropLazilyFreed() {
        long bytes = 0;
        for (Arena arena : arenas) {
            for (int slot = arena.nextLazilyFreed(0); slot >= 0; slot = arena.nextLazilyFreed(slot)) {
                int end = arena.lazilyFreedRunEnd(slot);
                long byteSize = (long) (end - slot) << SegmentLayout.SEGMENT_SHIFT;
                if (memory.dropLazilyFreed(arena.slotBase(slot), byteSize)) {
                    arena.markDropped(slot, end);
                    bytes += byteSize;
                }
                slot = end;
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

    /**
     * Step 1 of unmapping: marks retiring every arena but the first that has no occupied slot and
     * has been empty since {@code emptyBeforeNanos} (System.nanoTime) or earlier.
     *
     * @return true if some arena is retiring and waits for an epoch ({@link #assignEpoch})
     */
    synchronized boolean markRetiring(long emptyBeforeNanos) {
        if (closed) {
            return false;
        }
        boolean pending = false;
        for (int i = 1; i < arenas.size(); i++) {
            Arena arena = arenas.get(i);
            if (!arena.retiring && arena.occupiedCount() == 0 && arena.emptySinceNanos - emptyBeforeNanos <= 0) {
                arena.retiring = true;
                arena.retiringEpoch = Arena.EPOCH_PENDING;
            }
            pending |= arena.retiring && arena.retiringEpoch == Arena.EPOCH_PENDING;
        }
        return pending;
    }

    /** Step 2: the retiring arenas still waiting for an epoch wait for {@code epoch}. */
    synchronized void assignEpoch(long epoch) {
        for (Arena arena : arenas) {
            if (arena.retiring && arena.retiringEpoch == Arena.EPOCH_PENDING) {
                arena.retiringEpoch = epoch;
            }
        }
    }

    /** The highest epoch a retiring arena waits for, or -1 if none is retiring with an epoch. */
    synchronized long retiringEpoch() {
        long epoch = -1;
        for (Arena arena : arenas) {
            if (arena.retiring) {
                epoch = Math.max(epoch, arena.retiringEpoch);
            }
        }
        return epoch;
    }

    /**
     * Step 3: unmaps every retiring arena whose epoch is at most {@code quiescentEpoch}. The
     * caller has seen every live thread cache past that epoch and no slow-path reader active,
     * both after the arenas were marked.
     *
     * @return the reserved bytes unmapped (a refused unmap is retried later and not counted)
     */
    synchronized long releaseRetiring(long quiescentEpoch) {
        if (closed) {
            return 0;
        }
        long bytes = 0;
        for (int i = arenas.size() - 1; i >= 1; i--) {
            Arena arena = arenas.get(i);
            if (arena.retiring && arena.retiringEpoch != Arena.EPOCH_PENDING && arena.retiringEpoch <= quiescentEpoch) {
                assert arena.occupiedCount() == 0;
                arenas.remove(i);
                if (memory.releaseOrDefer(arena.base(), arena.byteSize(), 0)) {
                    bytes += arena.byteSize();
                }
            }
        }
        return bytes;
    }

    /**
     * The heap is closing: decommits every occupied slot, in use or spare, one kernel call per run
     * of them, drops the free slots given back lazily ({@link #dropLazilyFreed}), and keeps every
     * arena reserved (see the class comment). A run the kernel refuses
     * to decommit stays occupied and counted as committed until {@link #releaseAll}. Later calls
     * of {@link #carve} throw and nothing retires any more.
     *
     * @return the bytes decommitted
     */
    synchronized long close() {
        closed = true;
        long bytes = 0;
        for (Arena arena : arenas) {
            for (int slot = arena.nextOccupied(0); slot >= 0; ) {
                int end = arena.occupiedRunEnd(slot);
                bytes += decommitRun(arena, slot, end);
                slot = end < arena.slotCount() ? arena.nextOccupied(end) : -1;
            }
        }
        spareCount = 0;
        spareSinceNanos.clear();
        dropLazilyFreed();
        return bytes;
    }

    /**
     * Unmaps every arena (a closed heap that no thread can reach any more, or a test's teardown).
     * Later calls of {@link #carve} throw.
     */
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

    /** Decommits the occupied slots {@code [fromSlot, toSlot)} of a closing heap; returns the bytes, 0 if refused. */
    private long decommitRun(Arena arena, int fromSlot, int toSlot) {
        long byteSize = (long) (toSlot - fromSlot) << SegmentLayout.SEGMENT_SHIFT;
        try {
            memory.decommit(arena.slotBase(fromSlot), byteSize);
        } catch (MapException e) {
            return 0;
        }
        arena.markRunFree(fromSlot, toSlot);
        return byteSize;
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
        arena.markFree(slot, lazy && memory.purgesLazily());
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
