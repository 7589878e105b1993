package io.tinyalloc;

import io.tinyalloc.core.AddressFault;
import io.tinyalloc.core.Heap;
import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.core.HeapExhaustedException;
import io.tinyalloc.core.HeapFront;
import io.tinyalloc.core.HeapStats;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Allocator}: argument checks, error translation and segment lifetimes over a
 * {@link Heap}, which does the allocating.
 *
 * <p>Division of labour: the heap trusts its arguments and reports bad addresses as
 * {@link AddressFault} values and exhaustion as {@link HeapExhaustedException}; this class
 * rejects bad arguments before the heap sees them and turns the heap's reports into the public
 * exceptions (built in {@link Errors}). Every public method checks {@link Lifecycle#closed} first (a
 * plain read on the call paths, see {@link #checkOpen}).
 *
 * <p>Lifetimes. Segments from {@link #allocate} and {@link #segment} are bound to
 * {@link #lifetime}: a shared arena of this allocator (the global arena for {@link #isGlobal}),
 * closed by {@link #close()} before the heap gives its memory back, so a stale segment throws
 * {@link IllegalStateException} instead of touching a closed allocator's memory. Arenas from
 * {@link #newArena()} are registered in {@link #openArenas} while open.
 *
 * <p>Reachability: the heap unmaps a closed allocator's memory only once it is unreachable (see
 * {@link Heap}), so a method that touches a block after its last call into the heap (zeroing,
 * the arena tag) keeps this allocator reachable until it is done
 * ({@link Reference#reachabilityFence}).
 *
 * <p>Invariants:
 * <ul>
 *   <li>closed == false  =>  heap open and lifetime alive.</li>
 *   <li>heap closed  =>  every arena of openArenas closed and lifetime closed (close() closes
 *       them in that order, so no segment of this allocator can reach unmapped memory).</li>
 *   <li>an arena is in openArenas  <=>  it was created by newArena() and is not closed (a
 *       newArena() racing with close() removes and closes its arena itself).</li>
 * </ul>
 *
 * <p>A record, for speed: the JIT trusts a record's final fields, so an allocator kept in a
 * {@code static final} field (as a program keeps {@link Allocator#global()}) has its heap's
 * fast paths ({@link HeapFront}), its lifetime segment and its scope folded into the caller's
 * compiled code: the thread table's bounds check, the view's slice checks and free's scope test
 * go. Equality stays identity.
 */
record TinyAllocator(HeapFront front, Heap heap, HeapConfig config, boolean isGlobal, Arena lifetime,
                     MemorySegment lifetimeSpace, MemorySegment.Scope lifetimeScope, long pageByteSize,
                     ConcurrentHashMap<MemorySegment.Scope, AllocatorArena> openArenas, Lifecycle lifecycle)
        implements Allocator {

    /*
     * Components: front is heap's fast paths; lifetimeSpace is the whole address space in
     * lifetime, and views are slices of it (slicing is not a restricted method, so a view costs no
     * caller check, unlike reinterpret per block); lifetimeScope is lifetime's scope, that of every
     * view this allocator hands out; openArenas holds the arenas of newArena() while they are open.
     */

    /** Marks the 8 bytes in front of an arena segment (see {@link #arenaBlock}); random, so no data forges it. */
    private static final long ARENA_TAG_KEY = Platform.randomLong();

    @SuppressWarnings("restricted") // the lifetime segment spans the address space; views are slices of blocks
    static TinyAllocator create(HeapConfig config, Mapper mapper, boolean global) {
        Heap heap = new Heap(config, mapper);
        Arena lifetime = global ? Arena.global() : Arena.ofShared();
        MemorySegment lifetimeSpace = MemorySegment.NULL.reinterpret(Long.MAX_VALUE, lifetime, null);
        return new TinyAllocator(heap.front(), heap, config, global, lifetime, lifetimeSpace, lifetimeSpace.scope(),
                Platform.pageSize(), new ConcurrentHashMap<>(), new Lifecycle());
    }

    // ---- malloc family -------------------------------------------------------------------------

    @Override
    public long malloc(long byteSize) {
        return block("malloc", byteSize);
    }

    @Override
    public long calloc(long count, long byteSize) {
        checkOpen("calloc");
        long totalByteSize = Arguments.product("calloc", "count", count, byteSize);
        try {
            return heap.calloc(totalByteSize);
        } catch (HeapExhaustedException e) {
            throw outOfMemory("calloc", totalByteSize, e);
        }
    }

    @Override
    public long realloc(long address, long newByteSize) {
        checkOpen("realloc", address);
        return resize("realloc", address, Arguments.byteSize("realloc", "newByteSize", newByteSize));
    }

    @Override
    public long reallocArray(long address, long count, long byteSize) {
        checkOpen("reallocArray", address);
        return resize("reallocArray", address, Arguments.product("reallocArray", "count", count, byteSize));
    }

    @Override
    public long recallocArray(long address, long oldCount, long newCount, long byteSize) {
        String call = "recallocArray";
        checkOpen(call, address);
        long newByteSize = Arguments.product(call, "newCount", newCount, byteSize);
        long oldByteSize = Arguments.product(call, "oldCount", oldCount, byteSize);
        if (address == 0) {
            if (oldCount != 0) {
                throw Errors.oldCountWithoutBlock(oldCount);
            }
            return zeroed(block(call, newByteSize), newByteSize);
        }
        long usableByteSize = heap.usableSize(address);
        if (usableByteSize < 0) {
            throw refused(call, address, usableByteSize);
        }
        if (oldByteSize > usableByteSize) {
            throw Errors.oldSizeBeyondBlock(address, oldCount, byteSize, usableByteSize);
        }
        long newAddress = resize(call, address, newByteSize);
        if (newByteSize > oldByteSize) {
            zeroed(newAddress + oldByteSize, newByteSize - oldByteSize);
        }
        return newAddress;
    }

    @Override
    public long alignedAlloc(long byteAlignment, long byteSize) {
        checkOpen("alignedAlloc");
        return alignedBlock("alignedAlloc", Arguments.byteAlignment("alignedAlloc", byteAlignment),
                Arguments.byteSize("alignedAlloc", "byteSize", byteSize));
    }

    @Override
    public long pageAlloc(long byteSize) {
        checkOpen("pageAlloc");
        return alignedBlock("pageAlloc", pageByteSize, Arguments.byteSize("pageAlloc", "byteSize", byteSize));
    }

    @Override
    public void free(long address) {
        AddressFault fault = front.free(address);
        if (fault != null) {
            refusedFree(address, fault);
        }
    }

    @Override
    public long usableSize(long address) {
        checkOpen("usableSize", address);
        if (address == 0) {
            return 0;
        }
        long usableByteSize = heap.usableSize(address);
        if (usableByteSize < 0) {
            return arenaSegmentUsableSize(address, usableByteSize);
        }
        return usableByteSize;
    }

    // ---- segments ------------------------------------------------------------------------------

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long address = alignedBlock("allocate", Arguments.byteAlignment("allocate", byteAlignment), byteSize);
        return view(address, byteSize);
    }

    @Override
    public void free(MemorySegment segment) {
        if (segment == null) {
            checkOpen("free");
            throw Errors.nullSegment("free");
        }
        if (!segment.isNative()) {
            checkOpen("free");
            throw Errors.heapSegment("free", segment);
        }
        long address = segment.address();
        // This allocator's own views (and any segment of the same scope) skip the arena and
        // liveness checks: the scope is alive while the allocator is open, and is no arena's.
        // The heap still validates the address, and the open check runs when it refuses, as in
        // free(long). 9.3 -> 7.9 ns per allocate+free at 16 B.
        MemorySegment.Scope scope = segment.scope();
        if (scope != lifetimeScope) {
            checkOpen("free", address);
            if (address == 0) {
                return;
            }
            if (openArenas.containsKey(scope)) {
                throw Errors.arenaSegment("free", address);
            }
            if (!scope.isAlive()) {
                throw Errors.deadSegment("free", address);
            }
        }
        AddressFault fault = front.free(address);
        if (fault != null) {
            refusedFree(address, fault);
        }
    }

    @Override
    public MemorySegment segment(long address) {
        checkOpen("segment", address);
        if (address == 0) {
            throw Errors.nullAddress("segment");
        }
        long usableByteSize = heap.usableSize(address);
        if (usableByteSize < 0) {
            throw refused("segment", address, usableByteSize);
        }
        return view(address, usableByteSize);
    }

    @Override
    public Arena newArena() {
        checkOpen("newArena");
        AllocatorArena arena = new AllocatorArena(this);
        openArenas.put(arena.scope(), arena);
        if (lifecycle.closed) {
            arena.closeIfOpen();
            throw Errors.closed("newArena");
        }
        return arena;
    }

    // ---- housekeeping --------------------------------------------------------------------------

    @Override
    public long trim() {
        checkOpen("trim");
        return heap.trim();
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        HeapStats stats = heap.stats();
        return new AllocatorStats(stats.liveCount(), stats.liveBytes(), stats.committedBytes(),
                stats.reservedBytes(), stats.cachedBytes(), stats.segmentCount(), stats.largeCount(),
                stats.mallocCount(), stats.freeCount(), stats.purgedBytes(), stats.releasedBytes(),
                stats.trimPasses(), stats.lastPassNanos(), stats.failedKernelCalls());
    }

    @Override
    public void close() {
        if (isGlobal) {
            throw Errors.globalClose();
        }
        synchronized (this) {
            lifecycle.closed = true;
            InvalidAddressException arenaFault;
            try {
                arenaFault = closeArenas();
                closeLifetime();
            } catch (IllegalStateException inUse) {
                // Nothing was unmapped: the allocator stays open, for every call alike (the heap's
                // fast paths, which check nothing of this object's state, keep serving anyway).
                lifecycle.closed = false;
                throw inUse;
            }
            heap.close();
            if (arenaFault != null) {
                throw arenaFault;
            }
        }
    }

    @Override
    public String toString() {
        return "TinyAllocator[" + (isGlobal ? "global" : lifecycle.closed ? "closed" : "open") + ", " + config + "]";
    }

    /** Identity: two allocators are equal only if they are the same allocator. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    // ---- for AllocatorArena --------------------------------------------------------------------

    /**
     * Zeroed memory for {@link AllocatorArena#allocate}: the address of {@code byteSize} bytes
     * that start {@link #arenaPad} bytes into a block, so that the address is no block's start.
     * At least one byte follows it in the block, so that it is not the next block's start either.
     * The 8 bytes in front of it hold {@code address ^ ARENA_TAG_KEY} while the arena holds the
     * block (see {@link #arenaBlockOf}).
     */
    long arenaBlock(long byteSize, long byteAlignment) {
        String call = "Arena.allocate";
        checkOpen(call);
        long checkedByteSize = Arguments.byteSize(call, "byteSize", byteSize);
        long checkedAlignment = Arguments.byteAlignment(call, byteAlignment);
        long pad = arenaPad(checkedAlignment);
        // A size beyond any address space fails as it is; below it, adding the pad cannot overflow.
        long blockByteSize = checkedByteSize > Heap.MAX_BYTE_SIZE ? checkedByteSize : pad + Math.max(checkedByteSize, 1);
        long address = alignedBlock(call, checkedAlignment, blockByteSize, checkedByteSize) + pad;
        Memory.putLong(address - Long.BYTES, address ^ ARENA_TAG_KEY);
        return zeroed(address, checkedByteSize);
    }

    /** How far into its block an arena segment starts: a multiple of its (checked) alignment. */
    static long arenaPad(long byteAlignment) {
        return Math.max(byteAlignment, Arguments.NATURAL_BYTE_ALIGNMENT);
    }

    /**
     * Frees the block of a closing arena's segment at {@code address}. No {@link #checkOpen}
     * here: {@link #close()} closes the arenas, and so runs this, before it closes the heap.
     */
    void releaseArenaBlock(long address, long block) {
        Memory.putLong(address - Long.BYTES, 0);
        release("Arena.close", block);
    }

    void forget(AllocatorArena arena) {
        openArenas.remove(arena.scope());
    }

    // ---- internals -----------------------------------------------------------------------------

    /**
     * Throws if the allocator is closed. A plain read of {@link Lifecycle#closed}: a call that
     * happens-after {@link #close()} sees it, and a call racing with close() is outside the
     * contract anyway (see {@link Allocator#close()}). A volatile read here cost the malloc+free
     * pair about 2.5 ns (measured: 7.5 ns against 5.0 ns), because the JIT must then reload every
     * field and array slot of the heap's fast paths after it; close() and newArena() still use
     * volatile accesses between themselves.
     */
    private void checkOpen(String call) {
        if (lifecycle.isClosedPlain()) {
            throw Errors.closed(call);
        }
    }

    /** {@link #checkOpen(String)} for a call that takes an address: the message names it. */
    private void checkOpen(String call, long address) {
        if (lifecycle.isClosedPlain()) {
            throw Errors.closed(call, address);
        }
    }

    /**
     * A block from the heap. The checks every call makes (open, size not negative) run here only
     * when the heap refuses: a closed heap's fast path misses (its thread table is empty) and its
     * slow path throws, and a negative size misses the fast path's unsigned size test and is
     * refused by the slow path, so a served malloc never pays for them (5 instructions fewer).
     */
    private long block(String call, long byteSize) {
        return block(call, byteSize, byteSize);
    }

    private long block(String call, long byteSize, long requestedByteSize) {
        try {
            return front.malloc(byteSize);
        } catch (HeapExhaustedException e) {
            throw outOfMemory(call, requestedByteSize, e);
        } catch (RuntimeException e) {
            checkOpen(call);
            Arguments.byteSize(call, "byteSize", byteSize);
            throw e;
        }
    }

    /**
     * free(address) after the heap refused it: free(0) does nothing, anything else names the
     * fault. The open check runs here only, as in {@link #block}: a closed heap refuses every
     * address, so a free after close() still reports the closed allocator.
     */
    private void refusedFree(long address, AddressFault fault) {
        checkOpen("free", address);
        if (address != 0) {
            throw refused("free", address, fault);
        }
    }

    private long alignedBlock(String call, long byteAlignment, long byteSize) {
        return alignedBlock(call, byteAlignment, byteSize, byteSize);
    }

    /** As above; an OutOfMemoryError names {@code requestedByteSize}, what the caller asked for. */
    private long alignedBlock(String call, long byteAlignment, long byteSize, long requestedByteSize) {
        if (byteAlignment <= Arguments.NATURAL_BYTE_ALIGNMENT) {
            return block(call, byteSize, requestedByteSize);
        }
        try {
            return heap.alignedAlloc(byteAlignment, byteSize);
        } catch (HeapExhaustedException e) {
            throw outOfMemory(call, requestedByteSize, e);
        } catch (RuntimeException e) {
            checkOpen(call);
            Arguments.byteSize(call, "byteSize", byteSize);
            throw e;
        }
    }

    /** realloc semantics for an already checked size. */
    private long resize(String call, long address, long newByteSize) {
        if (address == 0) {
            return block(call, newByteSize);
        }
        if (newByteSize == 0) {
            release(call, address);
            return 0;
        }
        AddressFault fault = heap.validate(address);
        if (fault != null) {
            throw refused(call, address, fault);
        }
        try {
            return heap.realloc(address, newByteSize);
        } catch (HeapExhaustedException e) {
            throw outOfMemory(call, newByteSize, e);
        } catch (IllegalArgumentException freedMeanwhile) {
            // Another thread freed the block after the check (a race in the program); the heap
            // left it as that free did. Report it as any other refused address.
            AddressFault now = heap.validate(address);
            throw refused(call, address, now != null ? now : AddressFault.DOUBLE_FREE);
        }
    }

    private void release(String call, long address) {
        AddressFault fault = front.free(address);
        if (fault != null) {
            throw refused(call, address, fault);
        }
    }

    /** The exception for an address the heap refused; an arena segment's address says so. */
    private InvalidAddressException refused(String call, long address, AddressFault fault) {
        return fault == AddressFault.INTERIOR && arenaBlockOf(address) != 0 ? Errors.arenaSegment(call, address)
                : Errors.invalidAddress(call, address, fault);
    }

    /** usableSize of an address the heap refused: the rest of its block if it is an arena segment's. */
    private long arenaSegmentUsableSize(long address, long negativeUsableSize) {
        long block = Errors.faultOf(negativeUsableSize) == AddressFault.INTERIOR ? arenaBlockOf(address) : 0;
        long blockByteSize = block != 0 ? heap.usableSize(block) : -1;
        if (blockByteSize < 0) {
            throw refused("usableSize", address, negativeUsableSize);
        }
        return blockByteSize - (address - block);
    }

    /**
     * The block of the arena segment at {@code address}, an address the heap called INTERIOR, or
     * 0. The block would start one of the pads an arena uses before it, with the segment's tag in
     * front of it; the tag is read only once the heap vouches for a live block that covers it.
     * Off the hot paths: only refused addresses come here.
     */
    private long arenaBlockOf(long address) {
        if (openArenas.isEmpty()) {
            return 0;
        }
        for (long pad = Arguments.NATURAL_BYTE_ALIGNMENT; pad <= Arguments.MAX_BYTE_ALIGNMENT && pad < address;
                pad <<= 1) {
            long usableByteSize = heap.usableSize(address - pad);
            if (usableByteSize > pad) {
                boolean tagged = Memory.getLong(address - Long.BYTES) == (address ^ ARENA_TAG_KEY);
                Reference.reachabilityFence(this);
                return tagged ? address - pad : 0;
            }
        }
        return 0;
    }

    /** {@link #refused(String, long, AddressFault)} for the negative result of {@code Heap.usableSize}. */
    private InvalidAddressException refused(String call, long address, long negativeUsableSize) {
        return refused(call, address, Errors.faultOf(negativeUsableSize));
    }

    /** Zeroes a block this allocator handed out; keeps the allocator (and its heap's mappings) reachable meanwhile. */
    private long zeroed(long address, long byteSize) {
        Memory.fill(address, byteSize, (byte) 0);
        Reference.reachabilityFence(this);
        return address;
    }

    /**
     * A view of a block in this allocator's lifetime. If close() raced with the call that got the
     * block, the view belongs to a closed scope: every access to it throws, none reaches memory.
     */
    private MemorySegment view(long address, long byteSize) {
        return lifetimeSpace.asSlice(address, byteSize);
    }

    private TinyAllocOutOfMemoryError outOfMemory(String call, long byteSize, HeapExhaustedException e) {
        return switch (e.kind()) {
            case MEMORY_LIMIT -> Errors.outOfMemory(call, byteSize, e, config.maxMemoryBytes(),
                    heap.stats().committedBytes());
            case RESERVATION_LIMIT -> Errors.outOfMemory(call, byteSize, e, config.maxReservationBytes(),
                    heap.stats().reservedBytes());
            case KERNEL -> Errors.outOfMemory(call, byteSize, e, 0, 0);
        };
    }

    /**
     * Closes every open arena. A block freed behind an arena's back (free(long) of its address)
     * makes that arena's close report it; the first such report is returned so that close() can
     * finish unmapping before throwing it. An arena in use by a native call stops close() at
     * once, before anything is unmapped.
     */
    private InvalidAddressException closeArenas() {
        InvalidAddressException first = null;
        for (AllocatorArena arena : openArenas.values()) {
            try {
                arena.closeIfOpen();
            } catch (InvalidAddressException fault) {
                if (first == null) {
                    first = fault;
                } else {
                    first.addSuppressed(fault);
                }
            }
        }
        return first;
    }

    private void closeLifetime() {
        if (!lifetime.scope().isAlive()) {
            return;
        }
        try {
            lifetime.close();
        } catch (IllegalStateException inUse) {
            if (lifetime.scope().isAlive()) {
                throw Errors.arenaInUse(inUse);
            }
        }
    }

    /**
     * The one mutable part of an allocator: whether it is closed. A record's components are final,
     * and the JIT trusts them (see {@link HeapFront}), so the state lives here.
     */
    static final class Lifecycle {

        /** Plain-mode access to {@link #closed} for {@link #isClosedPlain}. */
        private static final VarHandle CLOSED = closedHandle();

        volatile boolean closed;

        /** A plain read of {@link #closed}, for {@link TinyAllocator#checkOpen}. */
        boolean isClosedPlain() {
            return (boolean) CLOSED.get(this);
        }

        private static VarHandle closedHandle() {
            try {
                return MethodHandles.lookup().findVarHandle(Lifecycle.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
