package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Protection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap's only door to the kernel: a {@link Mapper} plus the accounting of what went
 * through it, checked against {@link HeapConfig#maxMemoryBytes()} and
 * {@link HeapConfig#maxReservationBytes()}.
 *
 * <p>Invariants: committedBytes == bytes committed through {@link #commit} and not yet given back
 * by {@link #decommit} or {@link #release}; reservedBytes likewise for reservations; both stay
 * within their limits. Ranges whose release the kernel refused stay counted, in the deferred
 * list, until a retry succeeds. A call that fails (limit or kernel) changes neither counter, and every
 * failure is a {@link HeapExhaustedException} built here.
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

    VirtualMemory(Mapper mapper, long maxCommittedBytes, long maxReservedBytes) {
        this.mapper = mapper;
        this.maxCommittedBytes = maxCommittedBytes;
        this.maxReservedBytes = maxReservedBytes;
    }

    /** Reserves address space (PROT_NONE), within the reservation limit. */
    long reserve(long byteSize, long byteAlignment) {
        charge(reservedBytes, byteSize, maxReservedBytes, false);
        try {
            return mapper.reserve(byteSize, byteAlignment);
        } catch (MapException e) {
            reservedBytes.addAndGet(-byteSize);
            throw HeapExhaustedException.kernel(byteSize, e);
        }
    }

    /** Makes a reserved range read-write, within the memory limit. */
    void commit(long address, long byteSize) {
        charge(committedBytes, byteSize, maxCommittedBytes, true);
        try {
            mapper.commit(address, byteSize);
        } catch (MapException e) {
            committedBytes.addAndGet(-byteSize);
            throw HeapExhaustedException.kernel(byteSize, e);
        }
    }

    /**
     * Gives the memory of a committed range back; the range stays read-write and reads as zero.
     * On failure the range stays committed (and counted).
     */
    void decommit(long address, long byteSize) {
        mapper.decommit(address, byteSize);
        committedBytes.addAndGet(-byteSize);
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
        mapper.release(address, reservedByteSize);
        reservedBytes.addAndGet(-reservedByteSize);
        committedBytes.addAndGet(-committedByteSize);
    }

    /**
     * Unmaps a range that nothing references any more; if the kernel refuses, the range is kept
     * (still counted) and retried by {@link #retryDeferredReleases()}, so the heap never loses
     * track of address space it holds.
     */
    void releaseOrDefer(long address, long reservedByteSize, long committedByteSize) {
        try {
            release(address, reservedByteSize, committedByteSize);
        } catch (MapException e) {
            synchronized (deferred) {
                deferred.add(new long[] {address, reservedByteSize, committedByteSize});
            }
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
        charge(reservedBytes, byteSize, maxReservedBytes, false);
    }

    void refundReservation(long byteSize) {
        reservedBytes.addAndGet(-byteSize);
    }

    void chargeCommit(long byteSize) {
        charge(committedBytes, byteSize, maxCommittedBytes, true);
    }

    void refundCommit(long byteSize) {
        committedBytes.addAndGet(-byteSize);
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

    private static void charge(AtomicLong counter, long byteSize, long limit, boolean memory) {
        long current;
        do {
            current = counter.get();
            if (byteSize > limit - current) {
                throw memory ? HeapExhaustedException.memoryLimit(byteSize, current, limit)
                        : HeapExhaustedException.reservationLimit(byteSize, current, limit);
            }
        } while (!counter.compareAndSet(current, current + byteSize));
    }
}
