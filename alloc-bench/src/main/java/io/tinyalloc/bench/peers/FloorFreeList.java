package io.tinyalloc.bench.peers;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The floor: a bare free list of equal blocks threaded through the blocks' own first word, owned by
 * one thread. {@code pop} + {@code push} is the least work any cached malloc + free pair in Java can
 * do (a load of the head, a load of the next link, two stores), with no size-to-class mapping, no
 * thread-cache lookup and no validation: the yardstick of DESIGN.md's hot-path budget.
 *
 * <p>Invariants: {@code head == 0} or {@code head} is a free block of this list; the first word of
 * each free block is the next free block, 0 ending the list; every block is 16-byte aligned and
 * {@code blockByteSize} (rounded up to 16) long. Not thread-safe, by design.
 */
public final class FloorFreeList implements AutoCloseable {

    private static final long ALIGNMENT = 16;

    private final long blockByteSize;
    private final int blocksPerSlab;
    private final Arena slabs = Arena.ofShared();
    private long head;

    public FloorFreeList(long blockByteSize, int blocksPerSlab) {
        if (blockByteSize < Long.BYTES || blockByteSize > Integer.MAX_VALUE) {
            throw PeerErrors.badBlockSize(blockByteSize);
        }
        if (blocksPerSlab < 1) {
            throw new IllegalArgumentException("blocksPerSlab must be >= 1: blocksPerSlab=" + blocksPerSlab);
        }
        this.blockByteSize = (blockByteSize + ALIGNMENT - 1) & -ALIGNMENT;
        this.blocksPerSlab = blocksPerSlab;
    }

    /** Budget: two loads and one store; an empty list refills from a new slab out of line. */
    public long pop() {
        long address = head;
        if (address == 0) {
            return popFromNewSlab();
        }
        head = Memory.getLong(address);
        return address;
    }

    /** Budget: two stores. The address must come from {@link #pop()} of this list. */
    public void push(long address) {
        Memory.putLong(address, head);
        head = address;
    }

    public long blockByteSize() {
        return blockByteSize;
    }

    /** Unmaps every slab: all blocks, popped or not, are gone. */
    @Override
    public void close() {
        head = 0;
        slabs.close();
    }

    private long popFromNewSlab() {
        MemorySegment slab = slabs.allocate(blockByteSize * blocksPerSlab, ALIGNMENT);
        long first = slab.address();
        for (int index = blocksPerSlab - 1; index >= 0; index--) {
            push(first + index * blockByteSize);
        }
        return pop();
    }
}
