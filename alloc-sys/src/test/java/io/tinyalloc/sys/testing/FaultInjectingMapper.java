package io.tinyalloc.sys.testing;

import io.tinyalloc.sys.Errno;
import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Protection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link Mapper} for tests: passes every call to another mapper, except the calls it has been
 * told to fail, which throw {@link MapException} with errno {@code ENOMEM} and a detail that
 * says the failure was injected. An injected failure happens before the delegate is called, so
 * it changes nothing in the kernel, like a real refused call.
 *
 * <p>Rules, which may be combined:
 * <ul>
 *   <li>{@link #failNth(MapOperation, int)}: the n-th next call of an operation fails (once);</li>
 *   <li>{@link #failAlways(MapOperation)}: every call of an operation fails;</li>
 *   <li>{@link #failAboveBytes(long)}: a reserve (commit) that would take the reserved
 *       (committed) bytes above the budget fails; so does a remap whose growth would.</li>
 * </ul>
 *
 * <p>It counts calls per operation (failed ones included) and keeps the reserved and committed
 * ranges made through it, so {@link #reservedBytes()} and {@link #committedBytes()} are exact:
 * committing a range twice counts it once, decommit and release subtract what was there, remap
 * moves what was committed. Purge and protect leave the counts alone.
 *
 * <p>Thread-safe: calls are serialized (the decision, the delegate call and the bookkeeping
 * happen under one lock), so a budget is never overshot by a race.
 */
public final class FaultInjectingMapper implements Mapper {

    /** The detail every injected failure carries. */
    public static final String INJECTED = "injected by FaultInjectingMapper";

    private final Mapper delegate;
    private final Map<MapOperation, Long> callCounts = new EnumMap<>(MapOperation.class);
    private final Map<MapOperation, Set<Long>> failingCalls = new EnumMap<>(MapOperation.class);
    private final Set<MapOperation> alwaysFailing = EnumSet.noneOf(MapOperation.class);
    private final RangeSet reserved = new RangeSet();
    private final RangeSet committed = new RangeSet();
    private long reservedBudget = Long.MAX_VALUE;
    private long committedBudget = Long.MAX_VALUE;
    private long injectedFailures;

    public FaultInjectingMapper(Mapper delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        reset();
    }

    /** Wraps the system mapper. */
    public FaultInjectingMapper() {
        this(Mapper.system());
    }

    // ---- rules --------------------------------------------------------------------------------

    /** The {@code n}-th next call of {@code operation} fails ({@code n == 1}: the very next). */
    public synchronized FaultInjectingMapper failNth(MapOperation operation, int n) {
        Objects.requireNonNull(operation, "operation");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1: n=" + n + " operation=" + operation);
        }
        failingCalls.get(operation).add(callCounts.get(operation) + n);
        return this;
    }

    /** Every call of {@code operation} fails until {@link #reset()}. */
    public synchronized FaultInjectingMapper failAlways(MapOperation operation) {
        alwaysFailing.add(Objects.requireNonNull(operation, "operation"));
        return this;
    }

    /** Reserves above {@code budget} reserved bytes fail, and commits above {@code budget} committed bytes. */
    public synchronized FaultInjectingMapper failAboveBytes(long budget) {
        failReservationsAboveBytes(budget);
        return failCommitsAboveBytes(budget);
    }

    /** Reserves (and remap growth) that would take the reserved bytes above {@code budget} fail. */
    public synchronized FaultInjectingMapper failReservationsAboveBytes(long budget) {
        reservedBudget = requireBudget(budget);
        return this;
    }

    /** Commits (and remap growth of committed ranges) that would take the committed bytes above {@code budget} fail. */
    public synchronized FaultInjectingMapper failCommitsAboveBytes(long budget) {
        committedBudget = requireBudget(budget);
        return this;
    }

    /** Drops every rule and zeroes the call counts; the reserved and committed bookkeeping stays. */
    public synchronized void reset() {
        for (MapOperation operation : MapOperation.values()) {
            callCounts.put(operation, 0L);
            failingCalls.put(operation, new TreeSet<>());
        }
        alwaysFailing.clear();
        reservedBudget = Long.MAX_VALUE;
        committedBudget = Long.MAX_VALUE;
        injectedFailures = 0;
    }

    // ---- observations -------------------------------------------------------------------------

    /** Calls of {@code operation} since construction or {@link #reset()}, failed ones included. */
    public synchronized long calls(MapOperation operation) {
        return callCounts.get(Objects.requireNonNull(operation, "operation"));
    }

    /** Failures injected since construction or {@link #reset()}. */
    public synchronized long injectedFailures() {
        return injectedFailures;
    }

    /** Bytes reserved through this mapper and not released. */
    public synchronized long reservedBytes() {
        return reserved.totalBytes();
    }

    /** Bytes committed through this mapper and not decommitted or released. */
    public synchronized long committedBytes() {
        return committed.totalBytes();
    }

    public Mapper delegate() {
        return delegate;
    }

    // ---- Mapper -------------------------------------------------------------------------------

    @Override
    public synchronized long reserve(long byteSize, long byteAlignment) {
        countAndMaybeFail(MapOperation.RESERVE, 0L, byteSize);
        if (byteSize > 0 && reserved.totalBytes() > reservedBudget - byteSize) {
            throw overBudget(MapOperation.RESERVE, 0L, byteSize, "reserved", reserved.totalBytes(), reservedBudget);
        }
        long address = delegate.reserve(byteSize, byteAlignment);
        reserved.add(address, byteSize);
        return address;
    }

    @Override
    public synchronized void commit(long address, long byteSize) {
        countAndMaybeFail(MapOperation.COMMIT, address, byteSize);
        if (byteSize > 0) {
            long growth = byteSize - committed.overlapBytes(address, byteSize);
            if (committed.totalBytes() > committedBudget - growth) {
                throw overBudget(MapOperation.COMMIT, address, byteSize, "committed", committed.totalBytes(),
                        committedBudget);
            }
        }
        delegate.commit(address, byteSize);
        committed.add(address, byteSize);
    }

    @Override
    public synchronized void decommit(long address, long byteSize) {
        countAndMaybeFail(MapOperation.DECOMMIT, address, byteSize);
        delegate.decommit(address, byteSize);
        committed.remove(address, byteSize);
    }

    @Override
    public synchronized void purge(long address, long byteSize) {
        countAndMaybeFail(MapOperation.PURGE, address, byteSize);
        delegate.purge(address, byteSize);
    }

    @Override
    public synchronized void protect(long address, long byteSize, Protection protection) {
        countAndMaybeFail(MapOperation.PROTECT, address, byteSize);
        delegate.protect(address, byteSize, protection);
    }

    @Override
    public synchronized long remap(long address, long oldByteSize, long newByteSize, boolean mayMove) {
        countAndMaybeFail(MapOperation.REMAP, address, newByteSize);
        checkRemapBudget(address, oldByteSize, newByteSize);
        long newAddress = delegate.remap(address, oldByteSize, newByteSize, mayMove);
        moveBookkeeping(address, oldByteSize, newAddress, newByteSize);
        return newAddress;
    }

    @Override
    public synchronized void remapFixed(long address, long oldByteSize, long newAddress, long newByteSize) {
        countAndMaybeFail(MapOperation.REMAP, address, newByteSize);
        checkRemapBudget(address, oldByteSize, newByteSize);
        delegate.remapFixed(address, oldByteSize, newAddress, newByteSize);
        moveBookkeeping(address, oldByteSize, newAddress, newByteSize);
    }

    @Override
    public synchronized void adviseHugePages(long address, long byteSize, boolean enable) {
        countAndMaybeFail(MapOperation.ADVISE, address, byteSize);
        delegate.adviseHugePages(address, byteSize, enable);
    }

    @Override
    public synchronized void release(long address, long byteSize) {
        countAndMaybeFail(MapOperation.RELEASE, address, byteSize);
        delegate.release(address, byteSize);
        reserved.remove(address, byteSize);
        committed.remove(address, byteSize);
    }

    @Override
    public synchronized String toString() {
        return "FaultInjectingMapper[delegate=" + delegate + " calls=" + callCounts + " alwaysFailing="
                + alwaysFailing + " reservedBytes=" + reserved.totalBytes() + " committedBytes="
                + committed.totalBytes() + "]";
    }

    // ---- internals ----------------------------------------------------------------------------

    private void countAndMaybeFail(MapOperation operation, long address, long byteSize) {
        long call = callCounts.merge(operation, 1L, Long::sum);
        boolean scheduled = failingCalls.get(operation).remove(call);
        if (scheduled || alwaysFailing.contains(operation)) {
            injectedFailures++;
            throw new MapException(operation, address, byteSize, Errno.ENOMEM,
                    INJECTED + ": call #" + call + " of " + operation + (scheduled ? " (failNth)" : " (failAlways)"));
        }
    }

    private void checkRemapBudget(long address, long oldByteSize, long newByteSize) {
        long growth = newByteSize - oldByteSize;
        if (growth <= 0) {
            return;
        }
        if (reserved.totalBytes() > reservedBudget - growth) {
            throw overBudget(MapOperation.REMAP, address, newByteSize, "reserved", reserved.totalBytes(), reservedBudget);
        }
        boolean fullyCommitted = committed.overlapBytes(address, oldByteSize) == oldByteSize;
        if (fullyCommitted && committed.totalBytes() > committedBudget - growth) {
            throw overBudget(MapOperation.REMAP, address, newByteSize, "committed", committed.totalBytes(),
                    committedBudget);
        }
    }

    /** The committed parts move with the mapping; growth of a committed mapping is committed too. */
    private void moveBookkeeping(long address, long oldByteSize, long newAddress, long newByteSize) {
        boolean fullyCommitted = committed.overlapBytes(address, oldByteSize) == oldByteSize;
        List<long[]> moved = new ArrayList<>(committed.intersection(address, Math.min(oldByteSize, newByteSize)));
        committed.remove(address, oldByteSize);
        reserved.remove(address, oldByteSize);
        committed.remove(newAddress, newByteSize);
        reserved.add(newAddress, newByteSize);
        long shift = newAddress - address;
        for (long[] piece : moved) {
            committed.add(piece[0] + shift, piece[1] - piece[0]);
        }
        if (fullyCommitted && newByteSize > oldByteSize) {
            committed.add(newAddress + oldByteSize, newByteSize - oldByteSize);
        }
    }

    private MapException overBudget(MapOperation operation, long address, long byteSize, String what,
                                    long currentBytes, long budget) {
        injectedFailures++;
        return new MapException(operation, address, byteSize, Errno.ENOMEM, INJECTED + ": " + what
                + " bytes would exceed the budget: " + what + "Bytes=" + currentBytes + " budget=" + budget);
    }

    private static long requireBudget(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be >= 0: budget=" + budget);
        }
        return budget;
    }
}
