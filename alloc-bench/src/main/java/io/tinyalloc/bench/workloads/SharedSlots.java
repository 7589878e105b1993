package io.tinyalloc.bench.workloads;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * Slots shared by every thread of a run, through which blocks outlive the thread that made them
 * and are freed by another. A slot is empty (0) or holds a live block that carries its own check,
 * so one kernel function ({@code release}: verify, then free) can dispose of any of them. Every
 * exchange is one atomic swap, so a block is owned by exactly one slot or one thread at a time.
 * {@link #releaseAll()} belongs in a {@code finally}, so that a failing run leaves nothing behind.
 */
final class SharedSlots {

    private final AtomicLongArray addresses;
    private final LongConsumer release;

    /** {@code release} checks and frees one block; it is never given 0. */
    SharedSlots(int slotCount, LongConsumer release) {
        this.addresses = new AtomicLongArray(slotCount);
        this.release = release;
    }

    /** Puts {@code address} (or 0) into {@code slot} and returns the block it displaced, now the caller's. */
    long swap(int slot, long address) {
        return addresses.getAndSet(slot, address);
    }

    /** Puts {@code address} into {@code slot} and releases the block it displaced, if any. */
    void replace(int slot, long address) {
        releaseBlock(swap(slot, address));
    }

    /** Empties {@code slot}, releasing its block if it had one. */
    void release(int slot) {
        releaseBlock(swap(slot, 0));
    }

    void releaseAll() {
        for (int slot = 0; slot < addresses.length(); slot++) {
            release(slot);
        }
    }

    private void releaseBlock(long address) {
        if (address != 0) {
            release.accept(address);
        }
    }
}
