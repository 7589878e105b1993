package io.tinyalloc.core;

import io.tinyalloc.list.IntrusiveList;
import io.tinyalloc.sys.Memory;
import java.util.Arrays;

/**
 * The segments of one size class and the lock that guards them. Segments sit in one of three
 * intrusive lists, linked through {@link SegmentLayout#LINK_OFFSET}:
 * <ul>
 *   <li>partial: at least one free block (free list or bump room); allocation takes the first;</li>
 *   <li>full: every block live;</li>
 *   <li>empty: no live block, kept formatted for this class (at most {@link #EMPTY_KEEP}); the
 *       sole partial segment also stays put when it empties, so a malloc/free ping-pong never
 *       moves segments around.</li>
 * </ul>
 * Beyond that, an empty segment is retired: its page-map entry and MAGIC are cleared and it goes
 * back to the {@link Arenas} as a spare.
 *
 * <p>Lanes: the caches' refills ({@link #allocateCached}) come with a lane, the ICC shard of the
 * thread cache asking, and each lane carves from a partial segment of its own while it has one.
 * Threads of different shards then never get blocks of one segment from the segments side, so
 * their fast paths do not write the same cache lines: neither the blocks' own (a 16 B block
 * shares its line with three others) nor the segment's state bytes (one byte per block, so 64
 * neighbouring blocks share a line). With one segment for all, two threads doing malloc+free
 * pairs of 1 KiB ran at 0.7x one thread's throughput. Blocks that travel between threads (frees
 * by another thread, batches through the ICC) still mix; lanes only stop the carving from mixing
 * them.
 *
 * <p>Two kinds of client: the user's own malloc/free ({@link #allocate}, {@link #free}: the
 * uncached path) and the caches in front of it ({@link #allocateCached}, {@link #freeCached}),
 * which move whole batches of {@link CacheEntry} values under one lock acquisition. A block handed
 * to a cache is marked CACHED and stays counted as in use by its segment until it comes back, so
 * a segment is never retired while a cache holds one of its blocks.
 *
 * <p>Trim policy: {@link #purgePartial} gives back the pages of free blocks inside partial and
 * empty segments ({@link SegmentPurge}) once a segment has had blocks freed into it for the purge
 * delay, a few segments per lock hold. The first partial segment, where allocation happens, waits
 * until the class is idle, so a busy class never refaults the blocks it is about to hand out.
 * {@link #take} revives purged blocks when a segment has nothing else left.
 *
 * <p>Invariants (checked by {@link #check}): segmentCount == |partial| + |full| + |empty|;
 * every partial segment is not full, every full one is, every empty one has liveCount 0;
 * sum of the segments' liveCounts == mallocCount - freeCount + cachedOutCount - cachedInCount
 * (user-live blocks of the uncached path plus blocks out with the caches); each formatted segment
 * has the page-map entry of this class and MAGIC == key ^ base, where key is the heap's key XOR
 * this class's index; heldByteSize == sum of the segments' {@link SegmentPurge#heldBytes}.
 *
 * <p>Thread-safe: every method holds this object's monitor. Lock order: a class lock, then the
 * arenas lock, then the page-map lock; never two class locks at once. A free whose segment
 * was retired (and maybe reformatted for another class) between the caller's page-map lookup
 * and this lock fails the MAGIC/class check and is reported NOT_OWNED: a well-synchronized
 * program cannot get there with a live block, since a segment holding one is never retired.
 * After {@link #close()} the lists are empty, allocation throws and free reports NOT_OWNED
 * without reading memory that is about to be unmapped.
 */
final class ClassQueue implements CacheBackend {

    /** Empty segments kept formatted for this class beyond the partial list. */
    static final int EMPTY_KEEP = 1;
    /** Segments purged per lock hold: a scan reads up to 64 Ki state bytes and makes a few madvise calls. */
    static final int PURGES_PER_LOCK_HOLD = 4;
    /** Lanes with a segment of their own (a power of two); lane numbers are taken modulo this. */
    static final int LANE_COUNT = 16;

    private final int classIndex;
    private final long blockByteSize;
    private final long pageMapEntry;
    private final long key;
    private final boolean zeroOnFree;
    private final Arenas arenas;
    private final PageMap pageMap;
    private final IntrusiveList partial = new IntrusiveList(SegmentLayout.LINK_OFFSET);
    private final IntrusiveList full = new IntrusiveList(SegmentLayout.LINK_OFFSET);
    private final IntrusiveList empty = new IntrusiveList(SegmentLayout.LINK_OFFSET);
    /** Per lane: 0, or the partial segment that lane's refills carve from (never one of another lane). */
    private final long[] laneSegments = new long[LANE_COUNT];
    /** Segments looked at by {@link #purgePartial}, ever (tests check that a pass is linear). */
    private long purgeVisitCount;
    private long mallocCount;
    private long freeCount;
    /** Blocks handed to caches, and taken back from them. */
    private long cachedOutCount;
    private long cachedInCount;
    /** Cache entries refused by {@link #freeCached} (not a CACHED block of this class): 0 unless a race or bug duplicated one. */
    private long refusedCount;
    /** Bytes of this class's segments' pages given back while the segments stay in use. */
    private long heldByteSize;
    /** A purge gave pages back lazily (MADV_FREE) since the last {@link #dropLazilyPurged}, or it met a refusal. */
    private boolean lazilyHeld;
    private boolean closed;

    ClassQueue(int classIndex, long key, boolean zeroOnFree, Arenas arenas, PageMap pageMap) {
        this.classIndex = classIndex;
        this.blockByteSize = SizeClasses.blockSize(classIndex);
        this.pageMapEntry = PageMap.segmentEntry(classIndex);
        this.key = key;
        this.zeroOnFree = zeroOnFree;
        this.arenas = arenas;
        this.pageMap = pageMap;
    }

    /**
     * Hands out one block. Hot path: lock, first partial segment, pop or bump, unlock.
     *
     * @throws HeapExhaustedException when a new segment is needed and cannot be had
     */
    synchronized long allocate() {
        long block = take();
        mallocCount++;
        return block;
    }

    /** Gives back the block at {@code address}; null on success, else why not (and nothing changed). */
    synchronized AddressFault free(long address) {
        if (closed) {
            return AddressFault.NOT_OWNED;
        }
        long base = SegmentLayout.segmentBase(address);
        long index = Segment.locate(base, address, key ^ base, classIndex);
        if (index < 0) {
            return Segment.faultOf(index);
        }
        if (zeroOnFree) {
            Memory.fill(address, blockByteSize, (byte) 0);
        }
        release(base, address, index);
        freeCount++;
        return null;
    }

    /** The block size if {@code address} is a live block of this class, else {@code -(fault.ordinal() + 1)}. */
    synchronized long usableSize(long address) {
        if (closed) {
            return Segment.fault(AddressFault.NOT_OWNED);
        }
        long base = SegmentLayout.segmentBase(address);
        long index = Segment.locate(base, address, key ^ base, classIndex);
        return index < 0 ? index : blockByteSize;
    }

    /**
     * Batch refill for a front-end cache: hands out up to {@code count} blocks into
     * {@code blocks[offset..]} under one lock acquisition.
     *
     * @return how many were handed out: {@code count}, or fewer (at least 1) if memory ran out midway
     * @throws HeapExhaustedException if not even one block could be had
     */
    synchronized int allocateBatch(long[] blocks, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, blocks.length);
        for (int i = 0; i < count; i++) {
            try {
                blocks[offset + i] = allocate();
            } catch (HeapExhaustedException e) {
                if (i == 0) {
                    throw e;
                }
                return i;
            }
        }
        return count;
    }

    /**
     * Batch flush for a front-end cache: frees {@code blocks[offset..offset+count)} under one lock
     * acquisition. Valid blocks are freed even when others are not.
     *
     * @return null if every block was freed, else the fault of the first one that was not
     */
    synchronized AddressFault freeBatch(long[] blocks, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, blocks.length);
        AddressFault first = null;
        for (int i = 0; i < count; i++) {
            AddressFault fault = free(blocks[offset + i]);
            if (first == null) {
                first = fault;
            }
        }
        return first;
    }

    /**
     * Batch refill for the caches: carves up to {@code count} blocks under one lock acquisition,
     * marks them CACHED and writes them to {@code entries[offset..]} as {@link CacheEntry} values.
     * The blocks come from {@code lane}'s own segment (see the class comment); a lane without one
     * claims a partial segment no other lane holds, else an empty or new one.
     *
     * @return how many were handed out: {@code count}, or fewer (at least 1) if memory ran out midway
     * @throws HeapExhaustedException if not even one block could be had
     */
    @Override
    public synchronized int allocateCached(int lane, long[] entries, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, entries.length);
        int laneIndex = lane & (LANE_COUNT - 1);
        int filled = 0;
        while (filled < count) {
            long segment = laneSegments[laneIndex];
            int taken = segment == 0 ? 0 : Segment.takeCached(segment, entries, offset + filled, count - filled);
            if (taken > 0) {
                filled += taken;
                if (Segment.isFull(segment)) {
                    moveToFull(segment);
                }
                continue;
            }
            // No segment yet, or its free list is bad or holds only PURGED blocks: one block the
            // careful way (claim a segment, list rebuild or revive), then batches again.
            long block;
            try {
                block = take(segment != 0 ? segment : claim(laneIndex));
            } catch (HeapExhaustedException e) {
                if (filled == 0) {
                    throw e;
                }
                break;
            }
            long base = SegmentLayout.segmentBase(block);
            long index = Segment.blockIndex(base, block);
            Segment.setState(base, index, SegmentLayout.STATE_CACHED);
            entries[offset + filled++] = CacheEntry.pack(block, index);
        }
        cachedOutCount += filled;
        return filled;
    }

    /** The segment {@code laneIndex} carves from next: the first partial one no lane holds, else an empty or new one. */
    private long claim(int laneIndex) {
        long segment = partial.peekFirst();
        while (segment != 0 && isLaneSegment(segment)) {
            segment = partial.next(segment);
        }
        if (segment == 0) {
            segment = refill();
        }
        laneSegments[laneIndex] = segment;
        return segment;
    }

    private boolean isLaneSegment(long segment) {
        for (long laneSegment : laneSegments) {
            if (laneSegment == segment) {
                return true;
            }
        }
        return false;
    }

    /** The segment leaves the partial list: no lane carves from it any more. */
    private void forgetLane(long segment) {
        for (int i = 0; i < LANE_COUNT; i++) {
            if (laneSegments[i] == segment) {
                laneSegments[i] = 0;
            }
        }
    }

    /**
     * Batch flush for the caches: takes back the CACHED blocks {@code entries[offset..offset+count)}
     * under one lock acquisition. An entry that is not a CACHED block of this class (only a
     * racing double free in the program can make one: the same block then sits in two caches, and
     * the second copy finds it FREE or ALLOCATED) is refused and dropped, so it never enters the
     * segment's free list twice.
     *
     * @return the number of entries refused (0 when every entry was taken back)
     */
    @Override
    public synchronized int freeCached(long[] entries, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, entries.length);
        int refused = 0;
        int end = offset + count;
        int i = offset;
        while (i < end) {
            long address = CacheEntry.address(entries[i]);
            long base = SegmentLayout.segmentBase(address);
            // The page map first (on-heap, updated under this lock): an entry whose segment was
            // retired (a racing double free put one block in two caches) is refused without
            // reading its header, which may since have been unmapped with its arena. Then the
            // run of entries of this segment that are CACHED blocks goes back in one pass; the
            // entry that ends it early is not one, and is refused.
            if (closed || pageMap.get(address) != pageMapEntry || Segment.magic(base) != (key ^ base)
                    || Segment.classIndex(base) != classIndex) {
                refused++;
                i++;
                continue;
            }
            boolean wasFull = Segment.isFull(base);
            int next = Segment.freeCachedRun(base, entries, i, end);
            if (next > i) {
                cachedInCount += next - i;
                if (wasFull || Segment.liveCount(base) == 0) {
                    relinkAfterFree(base, wasFull);
                }
                i = next;
            } else {
                refused++;
                i++;
            }
        }
        refusedCount += refused;
        return refused;
    }

    /**
     * Retires every segment without a live block, so the arenas can decommit them.
     *
     * @return the bytes the arenas decommitted right away (beyond their spare quota)
     */
    synchronized long trim() {
        return trim(System.nanoTime());
    }

    /**
     * As {@link #trim()}, for the trim thread once the class has been idle since
     * {@code idleSinceNanos}: the retired segments age from then, so the arenas may purge them
     * at once.
     */
    synchronized long trim(long idleSinceNanos) {
        long decommitted = 0;
        for (long segment = empty.popFront(); segment != 0; segment = empty.popFront()) {
            decommitted += retire(segment, idleSinceNanos);
        }
        var iterator = partial.iterator();
        while (iterator.hasNext()) {
            long segment = iterator.nextLong();
            if (Segment.liveCount(segment) == 0) {
                iterator.remove();
                decommitted += retire(segment, idleSinceNanos);
            }
        }
        return decommitted;
    }

    /**
     * Gives back the pages of free blocks in partial and empty segments whose blocks were first
     * freed (since their last purge) at or before {@code cutoffNanos}, as Decay observes it: a
     * segment is stamped {@code nowNanos} by the first call that sees it dirty. The first partial
     * segment only when {@code classIdle}. At most {@code maxSegments} segments,
     * {@link #PURGES_PER_LOCK_HOLD} per lock hold. Stops at the first refusal of the kernel.
     *
     * @return the bytes given back and the segments scanned
     */
    Purged purgePartial(long nowNanos, long cutoffNanos, boolean classIdle, int maxSegments) {
        return purgePartial(nowNanos, cutoffNanos, classIdle, false, maxSegments);
    }

    /**
     * For trim() and memory pressure: gives back the pages of free blocks in every partial and
     * empty segment with frees since its last purge, whatever their age (a trim-thread pass may
     * have stamped a segment dirty after this call's clock reading).
     */
    Purged purgeAllPartial() {
        long now = System.nanoTime();
        return purgePartial(now, now, true, true, Integer.MAX_VALUE);
    }

    private Purged purgePartial(long nowNanos, long cutoffNanos, boolean classIdle, boolean anyAge, int maxSegments) {
        VirtualMemory memory = arenas.memory();
        Purged total = new Purged(0, 0, false);
        // Where this call's next hold goes on; the call's own (a trim() and the trim thread may
        // purge the same class at once, each walking the lists once).
        long[] resume = {0};
        while (total.segmentCount() < maxSegments) {
            int budget = Math.min(PURGES_PER_LOCK_HOLD, maxSegments - total.segmentCount());
            Purged hold;
            synchronized (this) {
                hold = purgeSome(memory, nowNanos, cutoffNanos, classIdle, anyAge, budget, resume);
            }
            total = new Purged(total.byteSize() + hold.byteSize(), total.segmentCount() + hold.segmentCount(),
                    hold.refused());
            if (hold.segmentCount() < budget || hold.refused()) {
                break;
            }
        }
        return total;
    }

    /**
     * Drops now (MADV_DONTNEED) the pages this class's segments gave back lazily
     * ({@link PurgeMode#FREE}) and still hold, so that a trim on demand brings RSS down at once.
     * Nothing to do unless a purge gave pages back lazily since the last call, or a drop of that
     * call was refused (retried next time). Like the purges, it holds the class lock for at most
     * {@link #PURGES_PER_LOCK_HOLD} segments at a time, so allocations of the class go on
     * between them. A held page's blocks are PURGED, so nothing touches it while the lock is held.
     *
     * @return the bytes dropped
     */
    long dropLazilyPurged() {
        long[] segments;
        synchronized (this) {
            if (closed || !lazilyHeld) {
                return 0;
            }
            // Cleared first: a purge made while this call runs sets it again.
            lazilyHeld = false;
            segments = segmentsHoldingPages();
        }
        VirtualMemory memory = arenas.memory();
        long bytes = 0;
        for (int from = 0; from < segments.length; from += PURGES_PER_LOCK_HOLD) {
            synchronized (this) {
                if (closed) {
                    return bytes;
                }
                for (int i = from; i < Math.min(from + PURGES_PER_LOCK_HOLD, segments.length); i++) {
                    bytes += dropHeld(segments[i], memory);
                }
            }
        }
        return bytes;
    }

    /** Drops the held pages of a segment still in this class's lists; a refusal leaves the flag set for a retry. */
    private long dropHeld(long segment, VirtualMemory memory) {
        if (!isListed(segment, partial) && !isListed(segment, full) && !isListed(segment, empty)) {
            return 0; // retired meanwhile: its held pages were recommitted first
        }
        long held = SegmentPurge.heldBytes(segment);
        long dropped = held == 0 ? 0 : SegmentPurge.dropHeld(segment, memory);
        if (dropped < held) {
            lazilyHeld = true;
        }
        return dropped;
    }

    /** The segments of this class holding pages given back. Under the class lock. */
    private long[] segmentsHoldingPages() {
        long[] segments = new long[16];
        int count = 0;
        for (IntrusiveList list : new IntrusiveList[] {partial, full, empty}) {
            for (long segment = list.peekFirst(); segment != 0; segment = list.next(segment)) {
                if (SegmentPurge.heldBytes(segment) != 0) {
                    if (count == segments.length) {
                        segments = Arrays.copyOf(segments, 2 * count);
                    }
                    segments[count++] = segment;
                }
            }
        }
        return Arrays.copyOf(segments, count);
    }

    synchronized long purgeVisitCount() {
        return purgeVisitCount;
    }

    /** What {@link #purgePartial} did: bytes given back, segments scanned, whether the kernel refused one. */
    record Purged(long byteSize, int segmentCount, boolean refused) {
    }

    /**
     * Every malloc, free and cache batch of this class moves this number: the trim thread calls a
     * class idle when it has not moved for the purge delay (no clock read on any allocation path).
     */
    synchronized long activityCount() {
        return mallocCount + freeCount + cachedOutCount + cachedInCount;
    }

    /**
     * Whether a {@link #trim} would retire anything: an empty segment, or a partial one without
     * live blocks: the sole one, or a lane's (a lane keeps its segment when it empties as the sole
     * partial one, and other lanes then carve segments of their own past it).
     */
    synchronized boolean hasEmptySegments() {
        if (!empty.isEmpty()) {
            return true;
        }
        long first = partial.peekFirst();
        if (first != 0 && partial.size() == 1 && Segment.liveCount(first) == 0) {
            return true;
        }
        for (long segment : laneSegments) {
            if (segment != 0 && Segment.liveCount(segment) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every segment (the arenas are about to be unmapped); later allocations throw. */
    synchronized void close() {
        closed = true;
        arenas.memory().releaseHeld(heldByteSize);
        heldByteSize = 0;
        Arrays.fill(laneSegments, 0);
        partial.clear();
        full.clear();
        empty.clear();
    }

    /**
     * Adds this class's counters to {@code totals}. {@code cachedEntryCount} is how many of this
     * class's blocks the caches hold (read without their owners' cooperation, so a little stale
     * while other threads run): those are in use for the segments but free for the user.
     */
    synchronized void addTo(StatsTotals totals, long cachedEntryCount) {
        long live = Math.max(0, liveCount() - cachedEntryCount);
        long segments = segmentCount();
        totals.liveCount += live;
        totals.liveBytes += live * blockByteSize;
        totals.cachedBytes += Math.max(0, (segments * SizeClasses.blockCount(classIndex) - live) * blockByteSize
                - heldByteSize);
        totals.segmentCount += segments;
        totals.mallocCount += mallocCount;
        totals.freeCount += freeCount;
    }

    synchronized long segmentCount() {
        return partial.size() + full.size() + empty.size();
    }

    /**
     * Blocks the segments count as in use: handed to the user on the uncached path and not freed,
     * plus blocks out with the caches; 0 once closed, since closing frees every block.
     */
    synchronized long liveCount() {
        return closed ? 0 : mallocCount - freeCount + cachedOutCount - cachedInCount;
    }

    /** Blocks handed to caches and not yet taken back. */
    synchronized long cachedOutCount() {
        return closed ? 0 : cachedOutCount - cachedInCount;
    }

    synchronized long refusedCount() {
        return refusedCount;
    }

    /** Bytes of pages given back inside this class's segments (not committed, held under the limit). */
    synchronized long heldByteSize() {
        return heldByteSize;
    }

    /** Blocks of this class in the CACHED state, counted in the segments (expensive: walks every state byte). */
    synchronized long cachedStateCount() {
        long[] cached = {0};
        partial.forEach(segment -> cached[0] += Segment.cachedCount(segment));
        full.forEach(segment -> cached[0] += Segment.cachedCount(segment));
        return cached[0];
    }

    /**
     * Checks the invariants: cheap (list ends, per-segment headers) or expensive (whole lists,
     * every segment's states and free list).
     *
     * @return true, for {@code assert queue.check(false)}
     */
    synchronized boolean check(boolean expensive) {
        if (!expensive) {
            partial.checkEnds();
            full.checkEnds();
            empty.checkEnds();
            long first = partial.peekFirst();
            return first == 0 || Segment.check(first, key ^ first, false);
        }
        long live = checkList(partial, "partial") + checkList(full, "full") + checkList(empty, "empty");
        for (long segment : laneSegments) {
            if (segment != 0 && !partial.contains(segment)) {
                throw new IllegalStateException("class " + classIndex + ": lane segment 0x" + Long.toHexString(segment)
                        + " is not in the partial list");
            }
        }
        if (live != liveCount()) {
            throw new IllegalStateException("class " + classIndex + ": segment live counts=" + live
                    + " liveCount=" + liveCount());
        }
        long[] held = {0};
        for (IntrusiveList list : new IntrusiveList[] {partial, full, empty}) {
            list.forEach(segment -> held[0] += SegmentPurge.heldBytes(segment));
        }
        if (held[0] != heldByteSize) {
            throw new IllegalStateException("class " + classIndex + ": held bytes in segments=" + held[0]
                    + " heldByteSize=" + heldByteSize);
        }
        return true;
    }

    // ---- slow paths ---------------------------------------------------------------------------

    /** One block from the first partial segment, counted by the caller as a user's or a cache's. */
    private long take() {
        long segment = partial.peekFirst();
        return take(segment != 0 ? segment : refill());
    }

    /** One block from {@code segment}, a partial one. */
    private long take(long segment) {
        long block = Segment.allocate(segment);
        if (block == 0) {
            // A partial segment with nothing but PURGED blocks left: bring a batch back.
            heldByteSize -= SegmentPurge.revive(segment, arenas.memory());
            block = Segment.allocate(segment);
        }
        if (Segment.isFull(segment)) {
            moveToFull(segment);
        }
        return block;
    }

    /** Gives back a validated in-use block to its segment and relinks the segment if it must move. */
    private void release(long base, long address, long index) {
        boolean wasFull = Segment.isFull(base);
        Segment.free(base, address, index);
        if (wasFull || Segment.liveCount(base) == 0) {
            relinkAfterFree(base, wasFull);
        }
    }

    /** No partial segment: take an empty one, else carve a new one. */
    private long refill() {
        if (closed) {
            throw CoreErrors.closed();
        }
        long segment = empty.popFront();
        if (segment == 0) {
            segment = newSegment();
        }
        partial.push(segment);
        return segment;
    }

    private long newSegment() {
        long base = arenas.carve();
        Segment.format(base, classIndex, key ^ base);
        pageMap.set(base, 1, pageMapEntry);
        assert Segment.check(base, key ^ base, false);
        return base;
    }

    private void moveToFull(long segment) {
        forgetLane(segment);
        partial.remove(segment);
        full.push(segment);
    }

    private void relinkAfterFree(long segment, boolean wasFull) {
        if (wasFull) {
            full.remove(segment);
            partial.push(segment);
        }
        if (Segment.liveCount(segment) == 0 && partial.size() > 1) {
            forgetLane(segment);
            partial.remove(segment);
            if (empty.size() < EMPTY_KEEP) {
                empty.push(segment);
            } else {
                retire(segment);
            }
        }
    }

    /** The segment is in no list and has no live block: unformat it and give it back. */
    private long retire(long segment) {
        return retire(segment, System.nanoTime());
    }

    private long retire(long segment, long freeSinceNanos) {
        assert Segment.liveCount(segment) == 0 && Segment.check(segment, key ^ segment, false);
        forgetLane(segment);
        heldByteSize -= SegmentPurge.recommitAll(segment, arenas.memory());
        pageMap.clear(segment, 1);
        Segment.retire(segment);
        return arenas.giveBack(segment, freeSinceNanos);
    }

    /**
     * One lock hold of {@link #purgePartial}: at most {@code budget} segments, from after the
     * segment the previous hold of the same call stopped at ({@code resume[0]}) while that one is
     * still in the partial or empty list, else from the head of the partial list: a pass over a
     * long list visits each segment once, not once per hold. With {@code anyAge}, every segment
     * with frees since its last purge is due.
     */
    private Purged purgeSome(VirtualMemory memory, long nowNanos, long cutoffNanos, boolean classIdle, boolean anyAge,
                             int budget, long[] resume) {
        long purgeResume = resume[0];
        long bytes = 0;
        int count = 0;
        if (closed) {
            return new Purged(0, 0, false);
        }
        long head = partial.peekFirst();
        boolean inEmpty = isListed(purgeResume, empty);
        long segment = inEmpty ? empty.next(purgeResume)
                : isListed(purgeResume, partial) ? partial.next(purgeResume) : head;
        IntrusiveList list = inEmpty ? empty : partial;
        while (count < budget) {
            if (segment == 0) {
                if (list == empty) {
                    break;
                }
                list = empty;
                segment = empty.peekFirst();
                continue;
            }
            resume[0] = segment;
            purgeVisitCount++;
            if (Segment.freedCount(segment) != 0 && (anyAge || SegmentPurge.isDue(segment, nowNanos, cutoffNanos))
                    && (classIdle || (segment != head && !isLaneSegment(segment) && !isMostlyLive(segment)))) {
                long purged = SegmentPurge.purge(segment, memory);
                lazilyHeld |= purged > 0 && memory.purgesLazily();
                heldByteSize += purged;
                bytes += purged;
                count++;
                if (Segment.freedCount(segment) != 0) {
                    return new Purged(bytes, count, true);
                }
            }
            segment = list.next(segment);
        }
        return new Purged(bytes, count, false);
    }

    /**
     * Whether {@code segment} (0 or a segment address seen under this lock earlier) is in
     * {@code list}. The page map is read first: a segment retired since may have been unmapped,
     * but then its entry is no longer this class's.
     */
    private boolean isListed(long segment, IntrusiveList list) {
        return segment != 0 && pageMap.get(segment) == pageMapEntry && list.contains(segment);
    }

    /**
     * More than half of the segment's blocks are in use (live or cached): while its class is
     * busy, such a segment is churning, not draining, and pages purged from it would soon be
     * faulted back in (measured: purging busy segments cost up to a fifth of the phase workload's
     * throughput).
     */
    private static boolean isMostlyLive(long segment) {
        return 2L * Segment.liveCount(segment) > Segment.blockCount(segment);
    }

    private long checkList(IntrusiveList list, String name) {
        list.checkInvariants();
        long[] live = {0};
        list.forEach(segment -> {
            Segment.check(segment, key ^ segment, true);
            boolean isFull = Segment.isFull(segment);
            boolean misplaced = switch (name) {
                case "partial" -> isFull;
                case "full" -> !isFull;
                default -> Segment.liveCount(segment) != 0;
            };
            if (misplaced || pageMap.get(segment) != pageMapEntry) {
                throw new IllegalStateException("class " + classIndex + ": segment 0x" + Long.toHexString(segment)
                        + " misplaced in " + name + " list: liveCount=" + Segment.liveCount(segment)
                        + " pageMapEntry=0x" + Long.toHexString(pageMap.get(segment)));
            }
            live[0] += Segment.liveCount(segment);
        });
        return live[0];
    }
}
