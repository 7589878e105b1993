package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Blocks above {@link SizeClasses#MAX_SMALL_SIZE} (or aligned beyond a page): each one is a
 * dedicated reservation aligned to max(SEGMENT_SIZE, alignment), sized in whole segments so no
 * other block shares its page-map units, committed for the request rounded up to a page.
 *
 * <p>Freed blocks are cached (at most {@link #CACHE_MAX_COUNT} blocks and
 * {@link #CACHE_MAX_BYTES} committed bytes, oldest evicted first) and reused for a request that
 * fits their reservation without wasting more than half of it, so a malloc/free loop of one
 * large size makes no system call. A cached block stays registered, marked not live, so a
 * second free is reported as DOUBLE_FREE; {@link #trim()} unmaps the cache, and the trim thread
 * unmaps blocks cached for longer than the purge delay ({@link #releaseAged}).
 *
 * <p>A block evicted from the cache, or freed too big for it, is unregistered at once (a later free
 * of it is NOT_OWNED), but with a trim thread ({@link #releaseInBackground}) its unmapping is handed
 * to that thread, up to {@link #MAX_PENDING_RELEASE_BYTES}: an munmap of resident pages costs tens
 * of microseconds, and a program that frees a peak of large blocks should not pay for it on its own
 * thread. With zeroOnFree a block skips the cache and is unmapped inside free, contents and all.
 *
 * <p>Closing ({@link #close}): the blocks nothing but this object's locked methods touches, cached
 * and pending ones, are unmapped. A live block may still be written by a call that raced with
 * the heap's close() (a calloc zeroing it, a realloc copying into it): it is decommitted and kept
 * reserved until {@link #releaseClosed}, once no thread can reach the heap ({@link HeapUnmapper}).
 *
 * <p>Invariants (checked by {@link #check}): registered blocks == liveCount + |cache|;
 * liveBytes == sum of live blocks' committed bytes; cacheBytes == sum of cached blocks'
 * committed bytes; every cached block is not live; pendingReleaseBytes == sum of the committed
 * bytes of the evicted blocks not yet unmapped.
 *
 * <p>Thread-safe: the cache, the registry and the counters are guarded by this object's lock,
 * which is also held across their kernel calls (large blocks are rare enough that a shared lock
 * costs little). Pending blocks are a concurrent queue with an atomic byte count; they are
 * unmapped under {@code releaseLock} only, never while holding this object's lock, so a free does
 * not wait for the trim thread's munmap. Lock order: releaseLock, then this object's lock.
 */
final class LargeBlocks {

    /**
     * Enough for the frees and mallocs of a churn of mixed large sizes to meet in the cache: with
     * 8, the cache filled and emptied often enough that a phase workload unmapped and re-faulted
     * about a third more pages than mimalloc in its churn; with 16 no more than it.
     */
    static final int CACHE_MAX_COUNT = 16;
    static final long CACHE_MAX_BYTES = 64L << 20;
    /** A cached block may serve a request whose reservation is at least 1/this of its own. */
    private static final long CACHE_MAX_WASTE_FACTOR = 2;
    /**
     * A reused block keeps extra committed bytes, rather than shrink by a system call and fault
     * the pages in again on its next reuse, up to 1/this of the request or {@link #CACHE_MIN_SLACK_BYTES},
     * whichever is more.
     */
    private static final long CACHE_SLACK_DIVISOR = 8;
    private static final long CACHE_MIN_SLACK_BYTES = SegmentLayout.SEGMENT_SIZE;

    /** Evicted blocks waiting for the trim thread may hold at most this many committed bytes; more are unmapped inline. */
    static final long MAX_PENDING_RELEASE_BYTES = 256L << 20;

    private final VirtualMemory memory;
    private final LargeRegistry registry;
    private final LargeResizer resizer;
    private final boolean zeroOnFree;
    private final long pageSize = Platform.pageSize();
    private final ArrayDeque<LargeBlock> cache = new ArrayDeque<>();
    private long cacheBytes;
    private long liveCount;
    private long liveBytes;
    private long mallocCount;
    private long freeCount;
    private boolean closed;
    /** Live blocks at close(), decommitted and still reserved until {@link #releaseClosed}. */
    private final List<KeptRange> closedBlocks = new ArrayList<>();
    /** Evicted, unregistered blocks the trim thread is to unmap. */
    private final ConcurrentLinkedQueue<LargeBlock> pendingRelease = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingReleaseBytes = new AtomicLong();
    private final AtomicLong releasedPendingCount = new AtomicLong();
    /** Evicted blocks handed to the trim thread, ever (tests check that the hand-off happens). */
    private long handedOffCount;
    /** Held while pending blocks are unmapped, so a check never sees one half released. */
    private final Object releaseLock = new Object();
    /** Asks the trim thread to unmap the pending blocks; false when it cannot (release inline then). */
    private volatile BooleanSupplier releaseRequester = () -> false;
    /**
     * The trim policy's clock as of its last pass ({@link #observeClock}): what a freed block is
     * stamped with. Reading the system clock on every free of a large block cost more than the
     * rest of the free; a stamp up to one pass interval early makes a block age at most that much
     * sooner, as Decay allows for everything else it ages.
     */
    private volatile long clockNanos = System.nanoTime();

    LargeBlocks(VirtualMemory memory, PageMap pageMap, boolean zeroOnFree) {
        this.memory = memory;
        this.registry = new LargeRegistry(pageMap);
        this.resizer = new LargeResizer(memory, registry);
        this.zeroOnFree = zeroOnFree;
    }

    /**
     * A block of at least {@code byteSize} bytes aligned to {@code byteAlignment}.
     *
     * @throws HeapExhaustedException if a limit or the kernel refuses; nothing changed then
     */
    synchronized long allocate(long byteSize, long byteAlignment) {
        return allocate(byteSize, byteAlignment, false);
    }

    /**
     * As {@link #allocate(long, long)}; with {@code zeroed}, the first {@code byteSize} bytes read
     * as zero. A fresh mapping is zero already and stays untouched (a calloc of a gigabyte costs
     * no resident memory until it is written); only a block reused from the cache is cleared.
     */
    synchronized long allocate(long byteSize, long byteAlignment, boolean zeroed) {
        if (closed) {
            throw CoreErrors.closed();
        }
        long committed = committedSizeFor(byteSize);
        long alignment = Math.max(byteAlignment, SegmentLayout.SEGMENT_SIZE);
        LargeBlock block = takeCached(committed, alignment);
        if (block == null) {
            block = map(committed, alignment);
        } else if (zeroed) {
            Memory.fill(block.address, byteSize, (byte) 0);
        }
        block.live = true;
        liveCount++;
        liveBytes += block.committedByteSize;
        mallocCount++;
        return block.address;
    }

    synchronized AddressFault free(long address) {
        LargeBlock block = closed ? null : registry.lookup(address);
        AddressFault fault = block == null ? AddressFault.NOT_OWNED : block.faultOf(address);
        if (fault != null) {
            return fault;
        }
        block.live = false;
        liveCount--;
        liveBytes -= block.committedByteSize;
        freeCount++;
        if (!zeroOnFree && block.committedByteSize <= CACHE_MAX_BYTES) {
            cache.addLast(block);
            block.cachedSinceNanos = clockNanos;
            cacheBytes += block.committedByteSize;
            evictOverflow();
        } else if (zeroOnFree) {
            // Hardening: the contents go with the mapping now, not when the trim thread gets to it.
            release(block);
        } else {
            retire(block);
        }
        return null;
    }

    /** Null if {@code address} is a live large block, else why not. */
    synchronized AddressFault validate(long address) {
        LargeBlock block = closed ? null : registry.lookup(address);
        return block == null ? AddressFault.NOT_OWNED : block.faultOf(address);
    }

    /** The usable size of the live block at {@code address}, or {@code -(fault.ordinal() + 1)}. */
    synchronized long usableSize(long address) {
        AddressFault fault = validate(address);
        return fault != null ? Segment.fault(fault) : registry.lookup(address).committedByteSize;
    }

    /**
     * Resizes the live block at {@code address} to hold {@code newByteSize} (a large size) without
     * copying, moving its pages if it must.
     *
     * @return the block's address afterwards
     * @throws IllegalArgumentException if {@code address} is not a live large block
     * @throws HeapExhaustedException if it must grow and cannot; the block is unchanged
     */
    synchronized long realloc(long address, long newByteSize) {
        LargeBlock block = requireLive(address);
        long before = block.committedByteSize;
        long newAddress = resizer.resize(block, committedSizeFor(newByteSize));
        liveBytes += block.committedByteSize - before;
        return newAddress;
    }

    /**
     * Copies the first {@code byteSize} bytes (at most the usable size) of the live block at
     * {@code address} to {@code destination}, then frees the block; under the lock, so the
     * block cannot be unmapped while it is read.
     *
     * @return null on success, else why {@code address} is not a live block (nothing copied or freed)
     */
    synchronized AddressFault moveOut(long address, long destination, long byteSize) {
        AddressFault fault = validate(address);
        if (fault != null) {
            return fault;
        }
        Memory.copy(address, destination, Math.min(byteSize, registry.lookup(address).committedByteSize));
        return free(address);
    }

    /**
     * Hands the unmapping of evicted blocks to a background thread: {@code requester} wakes it and
     * answers whether it will run {@link #releasePending()}.
     */
    void releaseInBackground(BooleanSupplier requester) {
        this.releaseRequester = java.util.Objects.requireNonNull(requester, "requester");
    }

    /**
     * Unmaps the evicted blocks waiting for it (the trim thread's side of
     * {@link #releaseInBackground}); the kernel calls run without this object's lock.
     *
     * @return the committed bytes given back
     */
    long releasePending() {
        long bytes = 0;
        synchronized (releaseLock) {
            for (LargeBlock block = pendingRelease.poll(); block != null; block = pendingRelease.poll()) {
                if (memory.releaseOrDefer(block.address, block.reservedByteSize, block.committedByteSize)) {
                    bytes += block.committedByteSize;
                }
                pendingReleaseBytes.addAndGet(-block.committedByteSize);
                releasedPendingCount.incrementAndGet();
            }
        }
        return bytes;
    }

    /**
     * Evicted blocks the trim thread or a caller has unmapped (or had deferred by the kernel),
     * ever. A caller that hit a limit compares it with its value from before the attempt: if it
     * moved, room may have come back behind its back, and a retry is worth it.
     */
    long releasedPendingCount() {
        return releasedPendingCount.get();
    }

    /**
     * Runs {@code check} with no evicted block half released: the pending ones are unmapped first
     * and the trim thread cannot start on another meanwhile.
     */
    <T> T withPendingReleased(java.util.function.Supplier<T> check) {
        synchronized (releaseLock) {
            releasePending();
            return check.get();
        }
    }

    /** Unmaps every cached block and every evicted one still pending; returns the committed bytes given back. */
    long trim() {
        return releasePending() + trimCache();
    }

    private synchronized long trimCache() {
        long bytes = 0;
        for (LargeBlock block = cache.pollFirst(); block != null; block = cache.pollFirst()) {
            cacheBytes -= block.committedByteSize;
            bytes += release(block);
        }
        return bytes;
    }

    /** Sets the clock that stamps freed blocks (Decay calls it at the start of each pass). */
    void observeClock(long nowNanos) {
        clockNanos = nowNanos;
    }

    /**
     * Unmaps the cached blocks freed at {@code cutoffNanos} or earlier (oldest first, so the scan
     * stops at the first younger one); returns their committed bytes. A refused unmap is deferred
     * by {@link VirtualMemory#releaseOrDefer} and retried by later passes.
     */
    synchronized long releaseAged(long cutoffNanos) {
        long bytes = 0;
        for (LargeBlock block = cache.peekFirst(); block != null; block = cache.peekFirst()) {
            if (block.cachedSinceNanos - cutoffNanos > 0) {
                break;
            }
            cache.pollFirst();
            cacheBytes -= block.committedByteSize;
            bytes += release(block);
        }
        return bytes;
    }

    synchronized long handedOffCount() {
        return handedOffCount;
    }

    /** Committed bytes of freed blocks kept for reuse. */
    synchronized long cacheBytes() {
        return cacheBytes;
    }

    /**
     * The heap is closing (the trim thread has stopped): unmaps the cached and pending blocks,
     * decommits the live ones and keeps them reserved for {@link #releaseClosed}. A live block
     * whose decommit the kernel refuses stays counted as committed until then. Afterwards
     * allocation throws and every address is NOT_OWNED.
     */
    void close() {
        releasePending();
        closeRegistered();
    }

    private synchronized void closeRegistered() {
        closed = true;
        trimCache();
        registry.forEach(this::decommitClosed);
        registry.clear();
        liveCount = 0;
        liveBytes = 0;
    }

    private void decommitClosed(LargeBlock block) {
        long committed = block.committedByteSize;
        try {
            memory.decommit(block.address, committed);
            committed = 0;
        } catch (MapException e) {
            // Still committed and counted: releaseClosed gives it back with the reservation.
        }
        closedBlocks.add(new KeptRange(block.address, block.reservedByteSize, committed));
    }

    /** A live block's reservation kept by {@link #close}, with the bytes still committed in it. */
    private record KeptRange(long address, long reservedByteSize, long committedByteSize) {
    }

    /**
     * Unmaps the blocks {@link #close} kept reserved: only once no thread can be inside a call of
     * the closed heap any more (a refused unmap is deferred and retried by
     * {@link VirtualMemory#retryDeferredReleases}).
     */
    synchronized void releaseClosed() {
        for (KeptRange range : closedBlocks) {
            memory.releaseOrDefer(range.address(), range.reservedByteSize(), range.committedByteSize());
        }
        closedBlocks.clear();
    }

    synchronized void addTo(StatsTotals totals) {
        totals.liveCount += liveCount;
        totals.liveBytes += liveBytes;
        totals.cachedBytes += cacheBytes;
        totals.largeCount += liveCount;
        totals.mallocCount += mallocCount;
        totals.freeCount += freeCount;
    }

    /**
     * Committed bytes of every block still mapped: live, cached, evicted and pending release, or
     * kept by {@link #close} with a decommit the kernel refused.
     */
    synchronized long committedBytes() {
        long[] bytes = {pendingReleaseBytes.get()};
        closedBlocks.forEach(range -> bytes[0] += range.committedByteSize());
        registry.forEach(block -> bytes[0] += block.committedByteSize);
        return bytes[0];
    }

    /**
     * Expensive check of the registry, the cache and the counters.
     *
     * @return true, for {@code assert large.check()}
     */
    boolean check() {
        // The trim thread takes a block off the queue before its munmap and subtracts its bytes
        // after it, both under releaseLock; not nested in this object's lock (withPendingReleased
        // nests the other way round).
        synchronized (releaseLock) {
            long pending = pendingRelease.stream().mapToLong(b -> b.committedByteSize).sum();
            if (pending != pendingReleaseBytes.get() || pendingRelease.stream().anyMatch(b -> b.live || b.registryIndex >= 0)) {
                throw new IllegalStateException("pending release: bytes=" + pending + "/" + pendingReleaseBytes.get());
            }
        }
        return checkRegistered();
    }

    private synchronized boolean checkRegistered() {
        registry.check();
        long[] live = {0, 0};
        registry.forEach(block -> {
            if (block.live) {
                live[0]++;
                live[1] += block.committedByteSize;
            }
        });
        long cached = cache.stream().peek(b -> {
            if (b.live || b.registryIndex < 0) {
                throw new IllegalStateException("bad cached large block: " + b);
            }
        }).mapToLong(b -> b.committedByteSize).sum();
        if (live[0] != liveCount || live[1] != liveBytes || cached != cacheBytes
                || registry.count() != liveCount + cache.size()) {
            throw new IllegalStateException("large counts: live=" + live[0] + "/" + liveCount + " liveBytes="
                    + live[1] + "/" + liveBytes + " cacheBytes=" + cached + "/" + cacheBytes
                    + " registered=" + registry.count() + " cached=" + cache.size());
        }
        return true;
    }

    // ---- internals ----------------------------------------------------------------------------

    private long committedSizeFor(long byteSize) {
        return Math.max(pageSize, (byteSize + pageSize - 1) & -pageSize);
    }

    private LargeBlock map(long committed, long alignment) {
        long reserved = LargeResizer.roundUpToUnit(committed);
        long address = memory.reserve(reserved, alignment);
        LargeBlock block = new LargeBlock(address, reserved, committed, alignment);
        try {
            memory.commit(address, committed);
        } catch (HeapExhaustedException e) {
            memory.releaseOrDefer(address, reserved, 0);
            throw e;
        }
        registry.register(block);
        return block;
    }

    /** The best-fitting cached block ({@link #fitsBetter}), resized to {@code committed} unless its slack is small, or null. */
    private LargeBlock takeCached(long committed, long alignment) {
        LargeBlock best = null;
        long maxReserved = CACHE_MAX_WASTE_FACTOR * LargeResizer.roundUpToUnit(committed);
        for (LargeBlock block : cache) {
            boolean fits = block.reservedByteSize >= committed && block.reservedByteSize <= maxReserved
                    && block.address % alignment == 0;
            if (fits && (best == null || fitsBetter(block, best, committed))) {
                best = block;
            }
        }
        if (best == null) {
            return null;
        }
        long before = best.committedByteSize;
        if (committed > before || before - committed > Math.max(committed / CACHE_SLACK_DIVISOR, CACHE_MIN_SLACK_BYTES)) {
            resizer.resize(best, committed);
        }
        cache.remove(best);
        cacheBytes -= before;
        return best;
    }

    /**
     * Whether {@code a} serves a request of {@code committed} bytes better than {@code b}: a block
     * committed for at least the request first (no page to fault in), the least committed of
     * those (least slack); else the most committed (fewest pages to fault in).
     */
    private static boolean fitsBetter(LargeBlock a, LargeBlock b, long committed) {
        boolean aCovers = a.committedByteSize >= committed;
        if (aCovers != b.committedByteSize >= committed) {
            return aCovers;
        }
        return aCovers ? a.committedByteSize < b.committedByteSize : a.committedByteSize > b.committedByteSize;
    }

    private void evictOverflow() {
        while (cache.size() > CACHE_MAX_COUNT || cacheBytes > CACHE_MAX_BYTES) {
            LargeBlock oldest = cache.pollFirst();
            cacheBytes -= oldest.committedByteSize;
            retire(oldest);
        }
    }

    /** Unregisters an evicted block and has the trim thread unmap it, or unmaps it now. */
    private void retire(LargeBlock block) {
        long bytes = block.committedByteSize;
        if (pendingReleaseBytes.get() + bytes <= MAX_PENDING_RELEASE_BYTES) {
            registry.unregister(block);
            pendingReleaseBytes.addAndGet(bytes);
            pendingRelease.add(block);
            if (releaseRequester.getAsBoolean()) {
                handedOffCount++;
                return;
            }
            if (pendingRelease.remove(block)) {
                pendingReleaseBytes.addAndGet(-bytes);
                memory.releaseOrDefer(block.address, block.reservedByteSize, bytes);
            }
            return;
        }
        release(block);
    }

    /**
     * Unregisters and unmaps a block.
     *
     * @return its committed bytes if it was unmapped now, 0 if the kernel refused (the release is
     *         deferred and counted when {@link VirtualMemory#retryDeferredReleases} succeeds)
     */
    private long release(LargeBlock block) {
        registry.unregister(block);
        return memory.releaseOrDefer(block.address, block.reservedByteSize, block.committedByteSize)
                ? block.committedByteSize : 0;
    }


    private LargeBlock requireLive(long address) {
        AddressFault fault = validate(address);
        if (fault != null) {
            throw CoreErrors.badAddress(address, fault);
        }
        return registry.lookup(address);
    }
}
