package io.tinyalloc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A shared {@link Arena} whose memory comes from a {@link TinyAllocator}: what
 * {@link Allocator#newArena()} returns.
 *
 * <p>The scope is that of an inner {@link Arena#ofShared()}: each block is bound to it with
 * {@link MemorySegment#reinterpret(long, Arena, Consumer)} and a cleanup that frees the block.
 * Closing the inner arena first makes every segment inaccessible (the JDK's handshake with all
 * threads), then runs the cleanups, so no thread can touch a block after it is freed. An
 * allocation racing with close either registers its cleanup before the close (and is freed by
 * it) or fails to register and frees its block itself: no block leaks, none is freed twice.
 *
 * <p>Each segment starts {@link TinyAllocator#arenaPad} bytes into its block, so its address is
 * an interior pointer to every call that takes an address: {@code free}, {@code realloc},
 * {@code usableSize} and {@code segment} refuse it, and no block is freed or moved behind the
 * arena's back (its segment would still reach the block, and its close would free whatever block
 * the allocator had put there since). A tag in front of the segment, in the block, lets those
 * refusals say that the address is an arena's segment ({@link TinyAllocator#arenaBlock}).
 *
 * <p>Shared, not confined: any thread may allocate, access and close, as with
 * {@link Arena#ofShared()}. Segments are zeroed, as with the JDK's arenas.
 */
final class AllocatorArena implements Arena {

    private final TinyAllocator allocator;
    private final Arena scopeArena = Arena.ofShared();

    AllocatorArena(TinyAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    @SuppressWarnings("restricted") // the address is a fresh block of byteSize bytes or more
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (!scopeArena.scope().isAlive()) {
            throw Errors.arenaClosed();
        }
        long address = allocator.arenaBlock(byteSize, byteAlignment);
        long block = address - TinyAllocator.arenaPad(byteAlignment);
        try {
            return MemorySegment.ofAddress(address).reinterpret(byteSize, scopeArena,
                    segment -> allocator.releaseArenaBlock(address, block));
        } catch (IllegalStateException closedMeanwhile) {
            allocator.releaseArenaBlock(address, block);
            throw Errors.arenaClosed();
        }
    }

    @Override
    public MemorySegment.Scope scope() {
        return scopeArena.scope();
    }

    /**
     * Makes every segment of this arena inaccessible and frees their blocks.
     *
     * @throws IllegalStateException if the arena is already closed, or a segment of it is in use
     *         by a native call (then the arena stays open)
     */
    @Override
    public synchronized void close() {
        try {
            scopeArena.close();
        } finally {
            if (!scopeArena.scope().isAlive()) {
                allocator.forget(this);
            }
        }
    }

    /** For the allocator's close: waits for a close in progress on another thread. */
    synchronized void closeIfOpen() {
        if (!scopeArena.scope().isAlive()) {
            return;
        }
        try {
            close();
        } catch (IllegalStateException e) {
            throw scopeArena.scope().isAlive() ? Errors.arenaInUse(e) : e;
        }
    }

    @Override
    public String toString() {
        return "TinyAlloc Arena[" + (scopeArena.scope().isAlive() ? "open" : "closed") + "]";
    }
}
