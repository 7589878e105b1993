package io.tinyalloc.core;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * The allocator's engine behind {@code io.tinyalloc.Allocator}: malloc/free over size-class
 * segments carved from arenas, and dedicated mappings for large blocks.
 *
 * <pre>
 *  malloc(n <= 32 KiB)  -> thread table -> this thread's bin of class(n): pop          (fast path)
 *                          empty bin -> ThreadCache.refillAndPop -> InterConnectCache -> ClassQueue
 *  malloc(n <= MAX_SMALL_SIZE) -> SizeClasses table -> ClassQueue (lock) -> Segment pop/bump
 *  malloc(n >  MAX_SMALL_SIZE) -> LargeBlocks (lock) -> cached block or new reservation
 *  free(p) -> PageMap (lock-free) -> segment header checks -> state ALLOCATED -> CACHED -> push
 *                                                                                     (fast path)
 *          full bin, virtual thread, uncached class -> freeSlow; large -> LargeBlocks.free
 * </pre>
 *
 * <p>Caches ({@link HeapConfig#threadCache()}, on by default): blocks up to 32 KiB go through a
 * {@link ThreadCache} per platform thread, found through the {@link ThreadCaches} thread table,
 * and behind it the per-CPU {@link InterConnectCache}; virtual threads use the ICC's shards
 * directly. A cached block is marked CACHED in its segment's state byte: free for the user (a
 * second free, usableSize or realloc of it reports DOUBLE_FREE, exactly as before), in use for
 * the segment (never retired under a cache). The fast paths do no allocation, take no lock and
 * use no atomic instruction; everything unusual is a separate method.
 *
 * <p>Invariants (checked by {@link #check}): stats.liveCount == mallocCount - freeCount;
 * committedBytes == SEGMENT_SIZE * (segments in use + spare) - pages given back inside segments
 * in use ({@link SegmentPurge}; the memory limit still keeps room for them) + committed bytes of
 * large blocks (live, cached, and evicted but not unmapped yet by the trim thread) + committed
 * bytes of ranges whose release the kernel refused (retried later);
 * every formatted segment and registered large block is in the page map and nothing else is;
 * CACHED state bytes in the segments == entries in the thread caches and the ICC, each block in
 * at most one of them. Non-invariant: while other threads run, stats read their caches' counts
 * without stopping them, so the cached/live split may lag by a few blocks.
 *
 * <p>Validation never touches memory the heap does not own: an address is looked up in the
 * on-heap {@link PageMap} first (or matched against the segment the thread looked up last), and
 * only then is a segment header or on-heap large-block metadata read. A header found that way
 * stays mapped for as long as the reader can use it: an empty arena is unmapped only after every
 * live thread cache has passed a quiescence epoch (dropping its memo) and no slow path that reads
 * headers unlocked is running ({@link SlowReaders}, see {@link Arenas}). Faults are returned, not
 * thrown, and leave the heap unchanged.
 *
 * <p>Thread-safe with any number of threads; a block may be freed by any thread. Each size class
 * has its own lock; ICC shards, large blocks and arenas one each. Memory exhaustion in malloc
 * first drains the caches and trims (gives back idle segments and cached large blocks) and
 * retries once, like mimalloc's collect-and-retry.
 *
 * <p>Trim policy ({@link TrimConfig}): with the trim thread on, a {@link Trimmer} started on the
 * first commit runs {@link Decay} passes that give back memory free for longer than the purge
 * delay (whole segments, and the pages of free blocks inside partly used ones), drain idle caches
 * and dead threads' caches, and purge everything under memory pressure; {@link #trim()} gives back
 * everything free now with MADV_DONTNEED (pages inside partly used segments the configured way).
 * Kernel refusals are counted ({@link HeapStats#failedKernelCalls()}) and retried by later passes.
 *
 * <p>Limits of detection without atomics on the fast path: a double free is detected whenever
 * the two frees are ordered (same thread, or synchronized threads), wherever the block went in
 * between. Two threads freeing the same block at the same instant (a data race in the program)
 * may both pass the state check; the block then sits in two caches, and the segments refuse the
 * second copy when it comes back ({@link CacheStats#refusedCount}; checked against the page map
 * first, so even a copy whose arena is gone is refused without a read), but in between it may be
 * handed out twice, and if the first copy's segment empties and its arena is unmapped before the
 * second copy is handed out, that malloc's state-byte write can touch unmapped memory. Only such
 * a race in the program can do that.
 *
 * <p>Closing: {@link #close()} should not race with calls in flight on other threads, but if it
 * does, nothing touches unmapped memory. close() unmaps no memory a call may still reach: it
 * gives the arenas' segments and the live large blocks back to the kernel (MADV_DONTNEED: RSS
 * drops, the ranges read as zeros, and a zero MAGIC sends every racing free to the slow path,
 * which reports the heap closed) and keeps their address space reserved. {@link HeapUnmapper},
 * this heap's {@link java.lang.ref.Cleaner} action, unmaps it once the heap is unreachable: a call
 * in flight holds its heap, since every entry point keeps it reachable
 * ({@link java.lang.ref.Reference#reachabilityFence}, free in compiled code) until its last access
 * to a header or a block. A racing malloc may still hand out a block of the closed heap: it reads
 * as zeros, and the pages written there count nowhere until the unmapping takes them back.
 */
public final class Heap implements AutoCloseable {

    /** Largest alignment {@link #alignedAlloc} accepts. */
    public static final long MAX_ALIGNMENT = 1L << 30;
    /** Requests above this (the 47-bit user address space) can never be met. */
    public static final long MAX_BYTE_SIZE = 1L << 47;
    private static final long MIN_ALIGNMENT = 16;

    private final HeapConfig config;
    private final VirtualMemory memory;
    private final PageMap pageMap = new PageMap();
    private final Arenas arenas;
    private final ClassQueue[] queues = new ClassQueue[SizeClasses.COUNT];
    private final LargeBlocks large;
    /**
     * The per-heap random key, bit 63 set: a segment of class c has MAGIC == key ^ c ^ base, so one
     * compare tells a formatted segment of this heap and of the expected class.
     */
    private final long key;
    /** Null when the thread cache is off. */
    private final ThreadCaches caches;
    private final InterConnectCache icc;
    private volatile boolean closed;
    /** Slow paths reading headers unlocked: an arena is unmapped only while none is active. */
    private final SlowReaders slowReaders = new SlowReaders();
    /** The trim policy's pass (used by trim() and the trim thread). */
    private final Decay decay;
    /** Null when the trim thread is off. */
    private final Trimmer trimmer;
    /**
     * The cached fast paths, over the thread table of {@link #caches} (all unowned when the caches
     * are off).
     */
    private final HeapFront front;
    /** Unmaps the reservations close() keeps, once this heap is unreachable (never holds the heap). */
    private final HeapUnmapper unmapper;
    /** {@link #unmapper} registered with its cleaner: runs it when this heap is unreachable, or now. */
    private final Cleaner.Cleanable unmapping;

    public Heap(HeapConfig config, Mapper mapper) {
        this.config = Objects.requireNonNull(config, "config");
        this.memory = new VirtualMemory(Objects.requireNonNull(mapper, "mapper"), config.maxMemoryBytes(),
                config.maxReservationBytes(), config.trim().purgeMode(), config.trim().thpMode());
        this.arenas = new Arenas(memory, config.arenaByteSize());
        this.key = Platform.randomLong() | Long.MIN_VALUE;
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ClassQueue(i, key ^ i, config.zeroOnFree(), arenas, pageMap);
        }
        this.large = new LargeBlocks(memory, pageMap, config.zeroOnFree());
        this.icc = config.threadCache() ? InterConnectCache.forHeap(queues) : null;
        this.caches = config.threadCache() ? new ThreadCaches(icc, !config.zeroOnFree()) : null;
        this.decay = new Decay(queues, arenas, large, memory, caches, icc, slowReaders, config.trim(),
                System::nanoTime);
        this.trimmer = config.trim().trimThread() ? new Trimmer(decay, config.trim().purgeDelayNanos()) : null;
        if (trimmer != null) {
            arenas.keepSparesForDecay();
            memory.setCommitListener(trimmer::ensureStarted);
            large.releaseInBackground(trimmer::requestRelease);
        }
        this.front = new HeapFront(this, caches != null ? caches.table : ThreadCaches.unownedTable());
        this.unmapper = new HeapUnmapper(arenas, large, memory);
        this.unmapping = unmapper.watch(this);
    }

    /**
     * This heap's cached fast paths ({@link #malloc} and {@link #free} call them). A caller that
     * keeps the front in a constant (a {@code static final} field, or a record reached from one)
     * lets the JIT fold the thread table into the code.
     */
    public HeapFront front() {
        return front;
    }

    /**
     * A block of at least {@code byteSize} bytes, 16-byte aligned; {@code malloc(0)} returns a
     * unique 16-byte block. Never returns 0.
     *
     * <p>The cached fast path is {@link HeapFront#malloc}; everything else is {@link #mallocSlow}.
     *
     * @throws HeapExhaustedException if memory cannot be had
     * @throws IllegalArgumentException if {@code byteSize < 0}
     */
    public long malloc(long byteSize) {
        return front.malloc(byteSize);
    }

    /**
     * A block of at least {@code byteSize} bytes whose first {@code byteSize} bytes are zero. A
     * large block freshly mapped is zero already and is not touched (its pages cost nothing until
     * written); everything else is cleared.
     *
     * @throws HeapExhaustedException if memory cannot be had
     * @throws IllegalArgumentException if {@code byteSize < 0}
     */
    public long calloc(long byteSize) {
        if (Long.compareUnsigned(byteSize, SizeClasses.MAX_SMALL_SIZE) > 0 && byteSize > 0) {
            return allocateLarge(byteSize, MIN_ALIGNMENT, true);
        }
        long address = malloc(byteSize);
        Memory.fill(address, byteSize, (byte) 0);
        Reference.reachabilityFence(this);
        return address;
    }

    /**
     * A block of at least {@code byteSize} bytes whose address is a multiple of
     * {@code byteAlignment} (a power of two up to {@link #MAX_ALIGNMENT}). Up to a page, a size
     * class whose blocks are naturally that aligned serves it; above, a large block.
     */
    public long alignedAlloc(long byteAlignment, long byteSize) {
        if (byteAlignment <= 0 || byteAlignment > MAX_ALIGNMENT || (byteAlignment & (byteAlignment - 1)) != 0) {
            throw CoreErrors.badAlignment(byteAlignment);
        }
        if (byteAlignment <= MIN_ALIGNMENT) {
            return malloc(byteSize);
        }
        if (byteSize < 0) {
            throw CoreErrors.negativeSize(byteSize);
        }
        int classIndex = SizeClasses.classIndexForAlignment(byteSize, byteAlignment);
        long address = classIndex >= 0 ? allocateSmall(classIndex) : allocateLarge(byteSize, byteAlignment);
        // The state byte of a cached block is written after this heap's last use (see the class comment).
        Reference.reachabilityFence(this);
        return address;
    }

    /** The caches' counters; all zero when the thread cache is off. */
    public CacheStats cacheStats() {
        if (caches == null || closed) {
            return new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        caches.sweep();
        long sharedBytes = 0;
        long refused = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            sharedBytes += icc.cachedCount(c) * SizeClasses.blockSize(c);
            refused += queues[c].refusedCount();
        }
        long misses = caches.missCount();
        return new CacheStats(caches.cacheCount(), caches.reclaimedCount(), caches.cachedByteSize(), sharedBytes,
                caches.mallocCount() - misses, misses, caches.overflowCount(), icc.mallocCount(), icc.freeCount(),
                refused);
    }

    /**
     * Frees a block: null on success, else the fault (the heap is unchanged then).
     *
     * <p>The cached fast path is {@link HeapFront#free}; anything it does not finish goes to
     * {@link #freeSlow}, which repeats the checks and names the fault.
     */
    public AddressFault free(long address) {
        return front.free(address);
    }

    /** The usable size of a live block (at least what was asked), or {@code -(fault.ordinal() + 1)}. */
    public long usableSize(long address) {
        int stripe = slowReaders.enter();
        try {
            long entry = pageMap.get(address);
            if (PageMap.isSegment(entry)) {
                return queues[PageMap.payload(entry)].usableSize(address);
            }
            return PageMap.isLarge(entry) ? large.usableSize(address) : Segment.fault(AddressFault.NOT_OWNED);
        } finally {
            slowReaders.exit(stripe);
        }
    }

    /** Null if {@code address} is a live block of this heap, else why not. */
    public AddressFault validate(long address) {
        long usable = usableSize(address);
        return usable >= 0 ? null : Segment.faultOf(usable);
    }

    /**
     * Resizes a live block, keeping its first min(old usable, new) bytes. In place when the new
     * size stays in the block's class (or at least half fills a smaller block), or when a large
     * block can grow or shrink in its mapping; large blocks that must move have their pages moved,
     * not copied. Otherwise malloc, copy, free.
     *
     * @throws IllegalArgumentException if {@code address} is not a live block or {@code newByteSize < 0}
     * @throws HeapExhaustedException if memory cannot be had; the old block is intact
     */
    public long realloc(long address, long newByteSize) {
        if (newByteSize < 0) {
            throw CoreErrors.negativeSize(newByteSize);
        }
        long entry = pageMap.get(address);
        if (PageMap.isLarge(entry) && newByteSize > SizeClasses.MAX_SMALL_SIZE) {
            return reallocLarge(address, newByteSize);
        }
        long usable = usableSize(address);
        if (usable < 0) {
            throw CoreErrors.badAddress(address, Segment.faultOf(usable));
        }
        if (PageMap.isSegment(entry) && fitsInPlace(PageMap.payload(entry), newByteSize)) {
            return address;
        }
        return PageMap.isLarge(entry) ? moveOutOfLarge(address, newByteSize) : moveSmall(address, usable, newByteSize);
    }

    /**
     * Gives idle memory back to the kernel: empty segments, spare segments, cached large blocks,
     * and the pages of free blocks inside partly used segments. First the caches give their blocks
     * back: the calling thread's, the ICC's and dead threads'; live threads drain theirs on their
     * next refill or flush.
     */
    public long trim() {
        if (closed) {
            return 0;
        }
        long start = System.nanoTime();
        long committed = memory.committedBytes();
        drainCaches();
        long releasedByDrain = Math.max(0, committed - memory.committedBytes());
        long bytes = releasedByDrain + trimBackend() + decay.purgeAllPartial();
        dropLazilyFreed();
        decay.releaseArenas(System.nanoTime());
        decay.recordPass(start);
        return bytes;
    }

    /**
     * With {@link PurgeMode#FREE}, pages given back lazily stay resident until the kernel needs
     * memory; a trim on demand drops them at once (MADV_DONTNEED), in the classes' segments and in
     * the arenas' free slots. They were counted as given back when they were purged, so they are
     * not counted again. Returns the bytes dropped.
     */
    long dropLazilyFreed() {
        if (!memory.purgesLazily()) {
            return 0;
        }
        long bytes = arenas.dropLazilyFreed();
        for (ClassQueue queue : queues) {
            bytes += queue.dropLazilyPurged();
        }
        return bytes;
    }

    /** Large blocks whose unmapping was handed to the trim thread, ever (for tests). */
    long largeHandedOffCount() {
        return large.handedOffCount();
    }

    /** Arena reservations currently mapped (for tests of their release). */
    int arenaCount() {
        return arenas.arenaCount();
    }

    /** The trim thread, or null when it is off or not started yet (it starts on the first commit). */
    Thread trimThread() {
        return trimmer == null ? null : trimmer.thread();
    }

    /**
     * A snapshot of the counters. Blocks held by caches count as cached, not live; liveCount and
     * mallocCount/freeCount include what went through the caches.
     */
    public HeapStats stats() {
        StatsTotals totals = new StatsTotals();
        long[] cachedCounts = new long[SizeClasses.COUNT];
        if (caches != null && !closed) {
            caches.sweep();
            caches.addCachedCounts(cachedCounts);
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                cachedCounts[c] += icc.cachedCount(c);
            }
            totals.mallocCount += caches.mallocCount() + icc.mallocCount();
            totals.freeCount += caches.freeCount() + icc.freeCount();
        }
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            queues[c].addTo(totals, cachedCounts[c]);
        }
        large.addTo(totals);
        totals.cachedBytes += (long) arenas.spareCount() << SegmentLayout.SEGMENT_SHIFT;
        return new HeapStats(totals.liveCount, totals.liveBytes, memory.committedBytes(), memory.reservedBytes(),
                totals.cachedBytes, totals.segmentCount, totals.largeCount, totals.mallocCount, totals.freeCount,
                memory.purgedBytes(), memory.releasedBytes(), decay.passCount(), decay.lastPassNanos(),
                memory.failedCallCount());
    }

    /**
     * Gives all memory back to the kernel; every block is gone. Idempotent; afterwards allocation
     * throws and free reports NOT_OWNED. The address space of the arenas and of the large blocks
     * still live stays reserved, zero-filled, until this heap is unreachable (see the class
     * comment), so that a call racing with close() cannot touch unmapped memory; stats then
     * report no committed bytes and those reserved ones.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (trimmer != null) {
            trimmer.stop();
        }
        if (caches != null) {
            caches.close();
            icc.clear();
        }
        for (ClassQueue queue : queues) {
            queue.close();
        }
        large.close();
        // Racing slow paths now refuse every address without reading a header. Cleared once no
        // large block can register any more (large.close() waited for a racing allocation).
        pageMap.clearAll();
        arenas.close();
        memory.retryDeferredReleases();
        unmapper.heapClosed();
    }

    /**
     * Unmaps what {@link #close()} kept reserved now instead of when this heap is collected (for
     * tests), once close() has returned: the caller promises that no thread is inside a call of
     * this heap and none will call.
     *
     * @throws IllegalStateException if the heap is open
     */
    void unmapClosed() {
        if (!closed) {
            throw CoreErrors.stillOpen();
        }
        unmapping.clean();
    }

    public boolean isClosed() {
        return closed;
    }

    public HeapConfig config() {
        return config;
    }

    /**
     * Checks the invariants of every structure: cheap (O(classes)) or expensive (walks every
     * segment, list, arena and the page map). Callers should hold off other threads for an exact
     * answer.
     *
     * @return true, for {@code assert heap.check(true)}
     */
    public boolean check(boolean expensive) {
        for (ClassQueue queue : queues) {
            queue.check(expensive);
        }
        if (caches != null && !closed) {
            caches.check(expensive);
            icc.check();
        }
        if (expensive) {
            arenas.check();
            large.check();
            pageMap.check();
            large.withPendingReleased(() -> {
                checkCommitted();
                return null;
            });
            checkCachedBlocks();
        }
        return true;
    }

    // ---- slow paths ---------------------------------------------------------------------------

    /**
     * For {@link HeapFront#free} when the block is not in the remembered segment: the class of the
     * segment holding {@code address} from the page map, or -1 if no segment of this heap holds
     * it. The segment is remembered in the thread's bins (base | class, and the MAGIC it must have),
     * so that the next free into it skips the page map and rebuilds no MAGIC. A remembered base stays safe to read until this thread passes a
     * quiescence epoch (an arena is unmapped only after every live cache has, see {@link Arenas}),
     * and the caller checks MAGIC, which carries the class, so a retired or reformatted segment
     * only sends that free to the slow path.
     */
    int rememberSegment(long[] bins, long address, long base) {
        long entry = pageMap.get(address);
        if (!PageMap.isSegment(entry)) {
            return -1;
        }
        int classIndex = PageMap.payload(entry);
        bins[ThreadCacheLayout.MEMO_INDEX] = base | classIndex;
        bins[ThreadCacheLayout.MEMO_MAGIC_INDEX] = key ^ classIndex ^ base;
        return classIndex;
    }

    /**
     * On every slow path that does not reach the thread cache's own housekeeping (frees, sizes
     * the caches do not serve, large blocks): the calling thread passes a pending quiescence
     * epoch (see {@link Arenas}). Its fast paths are not running (this thread is here), and the free fast
     * path has finished with the memo before it calls {@link #freeSlow}.
     */
    private void passQuiescence() {
        if (caches != null) {
            caches.passQuiescence(Thread.currentThread());
        }
    }

    long mallocSlow(long byteSize) {
        long address = Long.compareUnsigned(byteSize, SizeClasses.MAX_SMALL_SIZE) <= 0
                ? allocateSmall(SizeClasses.classIndex(byteSize)) : allocateLarge(byteSize, MIN_ALIGNMENT);
        // The state byte of a cached block is written after this heap's last use (see the class comment).
        Reference.reachabilityFence(this);
        return address;
    }

    /** A block of a size class: through the caches when they serve it, else from the class queue. */
    private long allocateSmall(int classIndex) {
        if (caches == null || ThreadCacheLayout.capacity(classIndex) == 0) {
            passQuiescence();
            return allocateUncached(classIndex);
        }
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            return allocateShared(classIndex);
        }
        ThreadCache cache = caches.cacheOf(thread);
        return cache == null ? allocateUncached(classIndex) : allocateCached(cache, classIndex);
    }

    private long allocateCached(ThreadCache cache, int classIndex) {
        long entry = cache.pop(classIndex);
        if (entry == ThreadCacheLayout.BOTTOM_SENTINEL) {
            long released = large.releasedPendingCount();
            try {
                entry = cache.refillAndPop(classIndex);
            } catch (HeapExhaustedException e) {
                reclaimOrRethrow(e, released);
                entry = cache.refillAndPop(classIndex);
            }
        }
        Memory.putByte(CacheEntry.stateAddress(entry), SegmentLayout.STATE_ALLOCATED);
        return CacheEntry.address(entry);
    }

    /** A virtual thread has no thread cache: one entry from the ICC shard of the CPU it runs on. */
    private long allocateShared(int classIndex) {
        int shard = icc.currentCpuShard();
        long entry;
        long released = large.releasedPendingCount();
        try {
            entry = icc.mallocOne(shard, classIndex);
        } catch (HeapExhaustedException e) {
            reclaimOrRethrow(e, released);
            entry = icc.mallocOne(shard, classIndex);
        }
        Memory.putByte(CacheEntry.stateAddress(entry), SegmentLayout.STATE_ALLOCATED);
        return CacheEntry.address(entry);
    }

    private long allocateUncached(int classIndex) {
        long released = large.releasedPendingCount();
        try {
            return queues[classIndex].allocate();
        } catch (HeapExhaustedException e) {
            reclaimOrRethrow(e, released);
            return queues[classIndex].allocate();
        }
    }

    /**
     * Every free the fast path did not finish: large blocks, foreign addresses and faults (named
     * precisely here), uncached classes, a full bin, virtual threads, a thread without a table
     * slot, zero-on-free.
     */
    AddressFault freeSlow(long address) {
        passQuiescence();
        int stripe = slowReaders.enter();
        try {
            return freeSlowCounted(address);
        } finally {
            slowReaders.exit(stripe);
        }
    }

    /** freeSlow, counted among the {@link SlowReaders}: it reads a header it found through the page map, unlocked. */
    private AddressFault freeSlowCounted(long address) {
        long entry = pageMap.get(address);
        if (!PageMap.isSegment(entry)) {
            return PageMap.isLarge(entry) ? large.free(address) : AddressFault.NOT_OWNED;
        }
        int classIndex = PageMap.payload(entry);
        if (caches == null || ThreadCacheLayout.capacity(classIndex) == 0 || closed) {
            return queues[classIndex].free(address);
        }
        long base = SegmentLayout.segmentBase(address);
        long index = Segment.locate(base, address, key ^ classIndex ^ base, classIndex);
        if (index < 0) {
            return Segment.faultOf(index);
        }
        Thread thread = Thread.currentThread();
        ThreadCache cache = thread.isVirtual() ? null : caches.cacheOf(thread);
        if (!thread.isVirtual() && cache == null) {
            return queues[classIndex].free(address);
        }
        if (config.zeroOnFree()) {
            Memory.fill(address, SizeClasses.blockSize(classIndex), (byte) 0);
        }
        Segment.setState(base, index, SegmentLayout.STATE_CACHED);
        if (cache != null) {
            cache.push(classIndex, CacheEntry.pack(address, index));
        } else {
            icc.freeOne(icc.currentCpuShard(), classIndex, CacheEntry.pack(address, index));
        }
        return null;
    }

    private long allocateLarge(long byteSize, long byteAlignment) {
        return allocateLarge(byteSize, byteAlignment, false);
    }

    private long allocateLarge(long byteSize, long byteAlignment, boolean zeroed) {
        passQuiescence();
        if (byteSize < 0) {
            throw CoreErrors.negativeSize(byteSize);
        }
        if (byteSize > MAX_BYTE_SIZE) {
            throw HeapExhaustedException.reservationLimit(byteSize, memory.reservedBytes(),
                    Math.min(config.maxReservationBytes(), MAX_BYTE_SIZE));
        }
        long released = large.releasedPendingCount();
        try {
            return large.allocate(byteSize, byteAlignment, zeroed);
        } catch (HeapExhaustedException e) {
            reclaimOrRethrow(e, released);
            return large.allocate(byteSize, byteAlignment, zeroed);
        }
    }

    private long reallocLarge(long address, long newByteSize) {
        if (newByteSize > MAX_BYTE_SIZE) {
            throw HeapExhaustedException.reservationLimit(newByteSize, memory.reservedBytes(),
                    Math.min(config.maxReservationBytes(), MAX_BYTE_SIZE));
        }
        long released = large.releasedPendingCount();
        try {
            return large.realloc(address, newByteSize);
        } catch (HeapExhaustedException e) {
            reclaimOrRethrow(e, released);
            return large.realloc(address, newByteSize);
        }
    }

    /**
     * A limit was hit: drain the caches and give idle memory back, and let the caller retry once,
     * or rethrow if that freed nothing. Large blocks the trim thread was unmapping count as freed
     * whether it or this call finished the job: {@code releasedBefore} is
     * {@link LargeBlocks#releasedPendingCount()} from before the failed attempt. A refusal of the
     * kernel (out of address space or commit charge) is retried only after such releases, since
     * the caches and spare segments are not what the kernel ran short of.
     */
    private void reclaimOrRethrow(HeapExhaustedException e, long releasedBefore) {
        if (closed) {
            throw e;
        }
        if (e.kind() == HeapExhaustedException.Kind.KERNEL) {
            large.releasePending();
            if (large.releasedPendingCount() == releasedBefore) {
                throw e;
            }
            return;
        }
        long drained = drainCaches();
        if (trimBackend() == 0 && drained == 0 && large.releasedPendingCount() == releasedBefore) {
            throw e;
        }
    }

    /** The calling thread's cache, dead threads' caches and the ICC give their blocks back; returns how many. */
    private long drainCaches() {
        return caches == null ? 0 : caches.trim(Thread.currentThread()) + icc.drain();
    }

    private long trimBackend() {
        long bytes = 0;
        for (ClassQueue queue : queues) {
            bytes += queue.trim();
        }
        return bytes + arenas.decommitSpares() + large.trim() + memory.retryDeferredReleases();
    }

    /** Same class, or a smaller class the new size still fills at least half of. */
    private static boolean fitsInPlace(int classIndex, long newByteSize) {
        long blockSize = SizeClasses.blockSize(classIndex);
        return newByteSize <= blockSize
                && (newByteSize * 2 > blockSize || SizeClasses.classIndex(newByteSize) == classIndex);
    }

    private long moveSmall(long address, long usable, long newByteSize) {
        long newAddress = malloc(newByteSize);
        Memory.copy(address, newAddress, Math.min(usable, newByteSize));
        AddressFault fault = free(address);
        if (fault != null) {
            free(newAddress);
            throw CoreErrors.badAddress(address, fault);
        }
        return newAddress;
    }

    private long moveOutOfLarge(long address, long newByteSize) {
        long newAddress = malloc(newByteSize);
        AddressFault fault = large.moveOut(address, newAddress, newByteSize);
        if (fault != null) {
            free(newAddress);
            throw CoreErrors.badAddress(address, fault);
        }
        return newAddress;
    }

    /**
     * Every entry of every cache is a CACHED block of its class, and the segments hold exactly as
     * many CACHED blocks as the caches hold entries (so no block is in two caches or stranded).
     */
    private void checkCachedBlocks() {
        long[] entries = {0};
        if (caches != null && !closed) {
            CacheShard.EntryConsumer count = (classIndex, entry) -> {
                ThreadCache.checkEntry(classIndex, entry);
                entries[0]++;
            };
            caches.forEachEntry(count);
            icc.forEachEntry(count);
        }
        long states = 0;
        for (ClassQueue queue : queues) {
            states += queue.cachedStateCount();
        }
        if (states != entries[0]) {
            throw new IllegalStateException("cached blocks in segments=" + states + " entries in caches=" + entries[0]);
        }
    }

    /** Segments in the queues are the arenas' in-use slots; committed and held bytes add up. */
    private void checkCommitted() {
        long segmentCount = 0;
        long heldBytes = 0;
        for (ClassQueue queue : queues) {
            segmentCount += queue.segmentCount();
            heldBytes += queue.heldByteSize();
        }
        long expected = ((arenas.inUseCount() + arenas.spareCount()) << SegmentLayout.SEGMENT_SHIFT) - heldBytes
                + large.committedBytes() + memory.deferredCommittedBytes();
        if (segmentCount != arenas.inUseCount() || expected != memory.committedBytes()
                || heldBytes != memory.heldBytes()) {
            throw new IllegalStateException("segments in queues=" + segmentCount + " in use in arenas="
                    + arenas.inUseCount() + " spare=" + arenas.spareCount() + " expected committedBytes="
                    + expected + " committedBytes=" + memory.committedBytes() + " held in classes=" + heldBytes
                    + " heldBytes=" + memory.heldBytes());
        }
    }
}
