package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;

/**
 * One worker's private working set in the slot-replacing workloads: a fixed number of slots, each
 * empty or holding a live block with its size and the tag it was stamped with. Emptying a slot
 * checks the block with the kernel's {@link Check} before freeing it, so every such kernel frees
 * the same way; {@link #releaseAll()} belongs in a {@code finally}, so that a failing run leaves
 * nothing allocated behind it. Used by one thread at a time.
 */
final class Slots {

    /** Throws {@link BlockCorruptedException} if the block no longer holds what {@code tag} says. */
    @FunctionalInterface
    interface Check {
        void verify(long address, long byteSize, long tag);
    }

    private final NativeAllocator allocator;
    private final Check check;
    private final long[] addresses;
    private final long[] byteSizes;
    private final long[] tags;

    Slots(NativeAllocator allocator, int slotCount, Check check) {
        this.allocator = allocator;
        this.check = check;
        this.addresses = new long[slotCount];
        this.byteSizes = new long[slotCount];
        this.tags = new long[slotCount];
    }

    int slotCount() {
        return addresses.length;
    }

    /** Puts a new block into the empty {@code slot}. */
    void put(int slot, long address, long byteSize, long tag) {
        assert addresses[slot] == 0 : "slot is not empty: slot=" + slot;
        addresses[slot] = address;
        byteSizes[slot] = byteSize;
        tags[slot] = tag;
    }

    /** Checks and frees the block in {@code slot}, if there is one; the slot is empty afterwards. */
    void release(int slot) {
        long address = addresses[slot];
        if (address != 0) {
            check.verify(address, byteSizes[slot], tags[slot]);
            allocator.free(address);
            addresses[slot] = 0;
        }
    }

    void releaseAll() {
        for (int slot = 0; slot < addresses.length; slot++) {
            release(slot);
        }
    }
}
