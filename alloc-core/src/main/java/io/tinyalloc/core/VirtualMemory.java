package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Platform;
import io.tinyalloc.sys.Protection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap's only door to the kernel: a {@link Mapper} plus the accounting of what went
 * through it, checked against {@link HeapConfig#maxMemoryBytes()} and
 * {@link HeapConfig#maxReservationBytes()}.
 *
 * <p>Invariants: committedBytes == bytes committed through {@link #commit} (or recommitted by
 * {@link #recommitHeld}) and not yet given back by {@link #decommit}, {@link #purge},
 * {@link #purgeHeld} or {@link #release}; reservedBytes likewise for reservations;
 * committedBytes + heldBytes and reservedBytes stay within their limits. Ranges whose release the kernel refused stay counted, in the deferred
 * list, until a retry succeeds. A call that fails (limit or kernel) changes neither counter, and every
 * failure is a {@link HeapExhaustedException} built here.
 *
 * <p>Trim policy: {@link #purge} gives memory back the configured way ({@link PurgeMode}),
 * {@link #decommit} always at once; both count {@link #purgedBytes()}, releases count
 * {@link #releasedBytes()}, and every madvise/munmap the kernel refuses counts
 * {@link #failedCallCount()}. Reservations of at least a huge page get the configured
 * {@link ThpMode} advice.
 *
 * <p>Held bytes: pages given back inside segments that are still in use ({@link SegmentPurge}).
 * They no longer count as committed (RSS fell, and the heap's stats say so), but the memory limit
 * keeps room for them: the segment will touch them again when it reuses their blocks, and that
 * must not fail on the limit in the middle of an allocation, nor need a trim to make room.
 *
 * <p>Thread-safe: counters are atomics updated with a compare-and-set against the limit, so two
 * racing callers never overshoot it together.
 */
final class VirtualMemory {

    private final Mapper mapper;
    private final long maxCommittedBytes;
    private final long maxReservedBytes;
    private final AtomicLong committedBytes = new AtomicLong();
    private final AtomicLong reservedBytes = new AtomicLong();
    /** Ranges {address, reservedByteSize, committedByteSize} whose unmapping the kernel refused. */
    private final List<long[]> deferred = new ArrayList<>();
    private final PurgeMode purgeMode;
    private final ThpMode thpMode;
    private final AtomicLong purgedBytes = new AtomicLong();
    private final AtomicLong releasedBytes = new AtomicLong();
    private final AtomicLong failedCallCount = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();
    /** Told of every commit (starts the trim thread lazily); a no-op until set. */
    private volatile Runnable commitListener = () -> { };

    VirtualMemory(Mapper mapper, long maxCommittedBytes, long maxReservedBytes) {
        this(mapper, maxCommittedBytes, maxReservedBytes, PurgeMode.DONTNEED, ThpMode.DEFAULT);
    }

    VirtualMemory(Mapper mapper, long maxCommittedBytes, long maxReservedBytes, PurgeMode purgeMode,
                  ThpMode thpMode) {
        this.mapper = mapper;
        this.maxCommittedBytes = maxCommittedBytes;
        this.maxReservedBytes = maxReservedBytes;
        this.purgeMode = purgeMode;
        this.thpMode = thpMode;
    }

    void setCommitListener(Runnable listener) {
        commitListener = listener;
    }

    /** Reserves address space (PROT_NONE), within the reservation limit. */
    long reserve(long byteSize, long byteAlignment) {
        charge(reservedBytes, null, byteSize, maxReservedBytes, false);
        boolean huge = thpMode != ThpMode.DEFAULT && byteSize >= Platform.hugePageSize();
        long address;
        try {
            address = mapper.reserve(byteSize, huge && thpMode == ThpMode.FORCE
                    ? Math.max(byteAlignment, Platform.hugePageSize()) : byteAlignment);
        } catch (MapException e) {
            reservedBytes.addAndGet(-byteSize);
            throw HeapExhaustedException.kernel(byteSize, e);
        }
        if (huge) {
            adviseHugePages(address, byteSize);
        }
        return address;
    }

    /** THP advice is a hint: a refusal (old kernel, THP compiled out) is counted, not thrown. */
    private void adviseHugePages(long address, long byteSize) {
        try {
            mapper.adviseHugePages(address, byteSize, thpMode == ThpMode.FORCE);
        } catch (MapException e) {
            failedCallCount.incrementAndGet();
        }
    }

    /** Makes a reserved range read-write, within the memory limit. */
    void commit(long address, long byteSize) {
        charge(committedBytes, heldBytes, byteSize, maxCommittedBytes, true);
        try {
            mapper.commit(address, byteSize);
        } catch (MapException e) {
            committedBytes.addAndGet(-byteSize);
            throw HeapExhaustedException.kernel(byteSize, e);
        }
        commitListener.run();
    }

    /**
     * Gives the memory of a committed range back; the range stays read-write and reads as zero.
     * On failure the range stays committed (and counted).
     */
    void decommit(long address, long byteSize) {
        try {
            mapper.decommit(address, byteSize);
        } catch (MapException e) {
            failedCallCount.incrementAndGet();
            throw e;
        }
        committedBytes.addAndGet(-byteSize);
        purgedBytes.addAndGet(byteSize);
    }

    /**
     * Gives the memory of a committed range back the configured way ({@link PurgeMode}): at once
     * or when the kernel needs it. Either way it no longer counts as committed and its contents
     * are undefined. On failure the range stays committed (and counted).
     */
    void purge(long address, long byteSize) {
        adviseInPurgeMode(address, byteSize);
        committedBytes.addAndGet(-byteSize);
        purgedBytes.addAndGet(byteSize);
    }

    /**
     * Gives back pages inside a segment still in use ({@link SegmentPurge}), the configured way:
     * they leave committedBytes but stay counted against the memory limit as held bytes, until
     * {@link #recommitHeld} or {@link #releaseHeld}. On failure (counted) nothing changes.
     */
    void purgeHeld(long address, long byteSize) {
        adviseInPurgeMode(address, byteSize);
        // Held first, then committed: a racing charge sees the sum too high for a moment, never too low.
        heldBytes.addAndGet(byteSize);
        committedBytes.addAndGet(-byteSize);
        purgedBytes.addAndGet(byteSize);
    }

    /**
     * A segment reuses {@code heldByteSize} held bytes inside the committed range
     * {@code [address, address + byteSize)}: they count as committed again (within the limit by
     * construction). The commit call keeps the mapper's books (a purged range stays read-write,
     * so the kernel has nothing to do); if it is refused the failure is counted and the memory is
     * used anyway, since it is still mapped read-write.
     */
    void recommitHeld(long address, long byteSize, long heldByteSize) {
        try {
            mapper.commit(address, byteSize);
        } catch (MapException e) {
            failedCallCount.incrementAndGet();
        }
        committedBytes.addAndGet(heldByteSize);
        heldBytes.addAndGet(-heldByteSize);
    }

    /**
     * The segments holding {@code heldByteSize} held bytes are about to be unmapped with their
     * arenas, which subtract whole segments from committedBytes: count those bytes as committed
     * again first, so nothing is subtracted twice.
     */
    void releaseHeld(long heldByteSize) {
        committedBytes.addAndGet(heldByteSize);
        heldBytes.addAndGet(-heldByteSize);
    }

    /** Decommits a committed range and makes it inaccessible again (the tail of a shrunk large block). */
    void uncommit(long address, long byteSize) {
        decommit(address, byteSize);
        try {
            mapper.protect(address, byteSize, Protection.NONE);
        } catch (MapException e) {
            // Still read-write but empty and no longer counted: harmless, just less strict.
        }
    }

    /** Unmaps a reservation of which {@code committedByteSize} bytes were committed. */
    void release(long address, long reservedByteSize, long committedByteSize) {
        try {
            mapper.release(address, reservedByteSize);
        } catch (MapException e) {
            failedCallCount.incrementAndGet();
            throw e;
        }
        releasedBytes.addAndGet(reservedByteSize);
        reservedBytes.addAndGet(-reservedByteSize);
        committedBytes.addAndGet(-committedByteSize);
    }

    /**
     * Unmaps a range that nothing references any more; if the kernel refuses, the range is kept
     * (still counted) and retried by {@link #retryDeferredReleases()}, so the heap never loses
     * track of address space it holds.
     *
     * @return true if the range was unmapped now, false if its release was deferred
     */
    boolean releaseOrDefer(long address, long reservedByteSize, long committedByteSize) {
        try {
            release(address, reservedByteSize, committedByteSize);
            return true;
        } catch (MapException e) {
            synchronized (deferred) {
                deferred.add(new long[] {address, reservedByteSize, committedByteSize});
            }
            return false;
        }
    }

    /** Retries the releases the kernel refused earlier; returns the committed bytes given back. */
    long retryDeferredReleases() {
        long bytes = 0;
        synchronized (deferred) {
            for (var iterator = deferred.iterator(); iterator.hasNext(); ) {
                long[] range = iterator.next();
                try {
                    release(range[0], range[1], range[2]);
                } catch (MapException e) {
                    continue;
                }
                iterator.remove();
                bytes += range[2];
            }
        }
        return bytes;
    }

    /** Committed bytes of the ranges whose release is still deferred. */
    long deferredCommittedBytes() {
        synchronized (deferred) {
            return deferred.stream().mapToLong(range -> range[2]).sum();
        }
    }

    /** Counts {@code byteSize} more reserved bytes, made by a remap of an existing reservation. */
    void chargeReservation(long byteSize) {
        charge(reservedBytes, null, byteSize, maxReservedBytes, false);
    }

    void refundReservation(long byteSize) {
        reservedBytes.addAndGet(-byteSize);
    }

    void chargeCommit(long byteSize) {
        charge(committedBytes, heldBytes, byteSize, maxCommittedBytes, true);
    }

    void refundCommit(long byteSize) {
        committedBytes.addAndGet(-byteSize);
    }

    long purgedBytes() {
        return purgedBytes.get();
    }

    /** Pages given back inside segments in use: not committed, but kept room for under the memory limit. */
    long heldBytes() {
        return heldBytes.get();
    }

    long releasedBytes() {
        return releasedBytes.get();
    }

    long failedCallCount() {
        return failedCallCount.get();
    }

    /** Ranges whose release is still deferred. */
    int deferredCount() {
        synchronized (deferred) {
            return deferred.size();
        }
    }

    Mapper mapper() {
        return mapper;
    }

    long committedBytes() {
        return committedBytes.get();
    }

    long reservedBytes() {
        return reservedBytes.get();
    }

    /** Bytes that may still be reserved before the reservation limit. */
    long reservationRoom() {
        return maxReservedBytes - reservedBytes.get();
    }

    /** True when {@link #purge} leaves pages resident until the kernel needs them (MADV_FREE). */
    boolean purgesLazily() {
        return purgeMode == PurgeMode.FREE;
    }

    /**
     * Drops now (MADV_DONTNEED) the pages of a range that {@link #purge} or {@link #purgeHeld}
     * gave back lazily and nothing has touched since. The counters already left it out.
     *
     * @return false if the kernel refused (counted in {@link #failedCallCount()})
     */
    boolean dropLazilyFreed(long address, long byteSize) {
        try {
            mapper.decommit(address, byteSize);
            return true;
        } catch (MapException e) {
            failedCallCount.incrementAndGet();
            return false;
        }
    }

    /** The kernel call of a purge in the configured mode; a refusal is counted and rethrown. */
    private void adviseInPurgeMode(long address, long byteSize) {
        try {
            if (purgeMode == PurgeMode.DONTNEED) {
                mapper.decommit(address, byteSize);
            } else {
                mapper.purge(address, byteSize);
            }
        } catch (MapException e) {
            failedCallCount.incrementAndGet();
            throw e;
        }
    }

    /** Adds {@code byteSize} to {@code counter} unless counter + {@code alsoCounted} would pass {@code limit}. */
    private static void charge(AtomicLong counter, AtomicLong alsoCounted, long byteSize, long limit, boolean memory) {
        long current;
        do {
            current = counter.get();
            long counted = alsoCounted == null ? current : current + alsoCounted.get();
            if (byteSize > limit - counted) {
                throw memory ? HeapExhaustedException.memoryLimit(byteSize, counted, limit)
                        : HeapExhaustedException.reservationLimit(byteSize, current, limit);
            }
        } while (!counter.compareAndSet(current, current + byteSize));
    }
}
