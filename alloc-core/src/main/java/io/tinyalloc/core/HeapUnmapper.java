package io.tinyalloc.core;

import java.lang.ref.Cleaner;

/**
 * Unmaps a closed heap's address space once no thread can reach the heap any more: the
 * {@link Cleaner} action of every {@link Heap}.
 *
 * <p>Why not in close(): the fast paths take no lock and publish nothing, so close() cannot tell
 * whether another thread is still between its look at a segment header and its write of a state
 * byte there (a program that closes while other threads call in, which the API calls a caller
 * error, but which must not crash the JVM). close() therefore only gives the memory back
 * ({@link Arenas#close}, {@link LargeBlocks#close}): every mapping stays reserved and read-write,
 * reads as zeros, and a racing write just faults a zero page in. A thread inside a call of the
 * heap holds it (every entry point keeps its heap reachable until it has touched its last byte,
 * see {@link Heap}), so once the heap is phantom reachable no call is in flight and none can
 * start: then this action unmaps the arenas and the kept large blocks.
 *
 * <p>A heap that was never closed is left alone when it becomes unreachable: its live blocks may
 * still be in use through raw addresses, and unmapping them would crash the program that kept
 * them. That memory stays mapped, as it did before this action existed.
 *
 * <p>Holds only what it unmaps, never the heap, or the heap would never become unreachable.
 * Runs at most once: on the cleaner's thread, or earlier through the {@link Cleaner.Cleanable}
 * that {@link #watch} returns, for a caller that knows no thread is inside a call of the heap
 * (tests).
 */
final class HeapUnmapper implements Runnable {

    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread thread = new Thread(task, "tinyalloc-unmapper");
        thread.setDaemon(true);
        return thread;
    });

    private final Arenas arenas;
    private final LargeBlocks large;
    private final VirtualMemory memory;
    /** Set by the heap's close(): only a closed heap's memory is unmapped. */
    private volatile boolean closed;

    /** The unmapper of the mappings of a heap's {@code arenas} and {@code large} blocks. */
    HeapUnmapper(Arenas arenas, LargeBlocks large, VirtualMemory memory) {
        this.arenas = arenas;
        this.large = large;
        this.memory = memory;
    }

    /**
     * Runs this action once {@code heap} is phantom reachable; the returned cleanable runs it
     * earlier instead (at most once in all).
     */
    Cleaner.Cleanable watch(Object heap) {
        return CLEANER.register(heap, this);
    }

    /** The heap has closed: its mappings go once it is unreachable (or its cleanable is cleaned). */
    void heapClosed() {
        closed = true;
    }

    @Override
    public void run() {
        if (!closed) {
            return;
        }
        large.releaseClosed();
        arenas.releaseAll();
        memory.retryDeferredReleases();
    }
}
