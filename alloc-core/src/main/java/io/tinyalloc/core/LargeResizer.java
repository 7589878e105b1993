package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.Protection;

/**
 * Resizes a large block without copying: shrink and grow in place inside its reservation, grow
 * the reservation where it lies ({@code mremap} without moving), or move the pages into a fresh
 * aligned reservation ({@code mremap} to a fixed address: page tables move, bytes do not).
 *
 * <p>Failure atomicity: a step that throws leaves the block valid, with its contents, at an
 * address the caller still knows (the old one unless {@link #resize} returned). Steps that only
 * tidy up after success never fail the resize: an unmapping the kernel refuses is deferred
 * ({@link VirtualMemory#releaseOrDefer}), a refused protect or shrink leaves harmless read-write
 * room or a block larger than asked, and everything stays accounted.
 *
 * <p>Not thread-safe: called under the {@link LargeBlocks} lock.
 */
final class LargeResizer {

    private final VirtualMemory memory;
    private final LargeRegistry registry;

    LargeResizer(VirtualMemory memory, LargeRegistry registry) {
        this.memory = memory;
        this.registry = registry;
    }

    /**
     * Gives the block {@code targetCommitted} usable bytes (a page multiple).
     *
     * @return the block's address afterwards
     * @throws HeapExhaustedException if it must grow and cannot; the block is unchanged
     */
    long resize(LargeBlock block, long targetCommitted) {
        if (targetCommitted <= block.committedByteSize) {
            shrink(block, targetCommitted);
        } else if (targetCommitted <= block.reservedByteSize || growReservationInPlace(block, targetCommitted)) {
            commitUpTo(block, targetCommitted);
        } else {
            move(block, targetCommitted);
        }
        assert block.check();
        return block.address;
    }

    /** Gives back whole units past the new size, then decommits and protects the rest of the tail. */
    void shrink(LargeBlock block, long targetCommitted) {
        long keptReserved = roundUpToUnit(targetCommitted);
        if (keptReserved < block.reservedByteSize) {
            releaseUnits(block, keptReserved);
        }
        if (targetCommitted < block.committedByteSize) {
            try {
                memory.uncommit(block.address + targetCommitted, block.committedByteSize - targetCommitted);
                block.committedByteSize = targetCommitted;
            } catch (MapException e) {
                // The block simply stays larger than asked: usable size >= request still holds.
            }
        }
    }

    private void commitUpTo(LargeBlock block, long targetCommitted) {
        if (targetCommitted > block.committedByteSize) {
            memory.commit(block.address + block.committedByteSize, targetCommitted - block.committedByteSize);
            block.committedByteSize = targetCommitted;
        }
    }

    private void releaseUnits(LargeBlock block, long keptReserved) {
        long tail = block.reservedByteSize - keptReserved;
        long committedInTail = Math.max(0, block.committedByteSize - keptReserved);
        // Out of the page map before the kernel has the range back: another thread may map it
        // (a new arena) the moment munmap returns, and its entries must not be cleared then.
        registry.unmapUnits(block.address + keptReserved, tail);
        try {
            memory.release(block.address + keptReserved, tail, committedInTail);
        } catch (MapException e) {
            registry.mapUnits(block, block.address + keptReserved, tail);
            return;
        }
        block.reservedByteSize = keptReserved;
        block.committedByteSize -= committedInTail;
    }

    /** Extends the reservation where it lies, if the address space after it is free. */
    private boolean growReservationInPlace(LargeBlock block, long targetCommitted) {
        long newReserved = roundUpToUnit(targetCommitted);
        long growth = newReserved - block.reservedByteSize;
        memory.chargeReservation(growth);
        boolean grown;
        try {
            grown = block.committedByteSize < block.reservedByteSize
                    ? remapTail(block, newReserved)
                    : remapWhole(block, newReserved, targetCommitted);
        } catch (HeapExhaustedException e) {
            // remapWhole charges the growth of the commit too: at the memory limit, nothing grew.
            memory.refundReservation(growth);
            throw e;
        }
        if (!grown) {
            memory.refundReservation(growth);
            return false;
        }
        registry.mapUnits(block, block.address + block.reservedByteSize, growth);
        block.reservedByteSize = newReserved;
        return true;
    }

    /** The inaccessible tail is its own mapping: grow it (the commit follows). */
    private boolean remapTail(LargeBlock block, long newReserved) {
        long tailAddress = block.address + block.committedByteSize;
        try {
            memory.mapper().remap(tailAddress, block.reservedByteSize - block.committedByteSize,
                    newReserved - block.committedByteSize, false);
            return true;
        } catch (MapException e) {
            return false;
        }
    }

    /** No tail: grow the read-write mapping itself, then protect the room past the target. */
    private boolean remapWhole(LargeBlock block, long newReserved, long targetCommitted) {
        long growth = targetCommitted - block.committedByteSize;
        memory.chargeCommit(growth);
        try {
            memory.mapper().remap(block.address, block.reservedByteSize, newReserved, false);
        } catch (MapException e) {
            memory.refundCommit(growth);
            return false;
        }
        if (targetCommitted < newReserved) {
            try {
                memory.mapper().protect(block.address + targetCommitted, newReserved - targetCommitted, Protection.NONE);
            } catch (MapException e) {
                // Untouched read-write room: no memory behind it, only less strict.
            }
        }
        block.committedByteSize = targetCommitted;
        return true;
    }

    /** Moves the pages into a fresh reservation aligned like the old one. */
    private void move(LargeBlock block, long targetCommitted) {
        long newReserved = roundUpToUnit(targetCommitted);
        long growth = targetCommitted - block.committedByteSize;
        long newAddress = memory.reserve(newReserved, block.byteAlignment);
        try {
            memory.chargeCommit(growth);
        } catch (HeapExhaustedException e) {
            memory.releaseOrDefer(newAddress, newReserved, 0);
            throw e;
        }
        // The old range goes back to the kernel inside remapFixed: out of the page map first (see releaseUnits).
        registry.unmapUnits(block.address, block.reservedByteSize);
        try {
            // Over the whole new reservation, then the room past the target protected again, as
            // remapWhole does: a moved mapping keeps its old page offset and never merges with a
            // mapping made at the new address, so a separate tail would split the block in two
            // once it grows into it, and every later remap of the block would fail (EFAULT).
            memory.mapper().remapFixed(block.address, block.committedByteSize, newAddress, newReserved);
        } catch (MapException e) {
            registry.mapUnits(block, block.address, block.reservedByteSize);
            memory.refundCommit(growth);
            memory.releaseOrDefer(newAddress, newReserved, 0);
            throw HeapExhaustedException.kernel(targetCommitted, e);
        }
        if (targetCommitted < newReserved) {
            try {
                memory.mapper().protect(newAddress + targetCommitted, newReserved - targetCommitted, Protection.NONE);
            } catch (MapException e) {
                // Untouched read-write room: no memory behind it, only less strict.
            }
        }
        adoptMovedPages(block, newAddress, newReserved, targetCommitted);
    }

    /** The pages now live at {@code newAddress}; drop the old reservation's remains and map the new units. */
    private void adoptMovedPages(LargeBlock block, long newAddress, long newReserved, long targetCommitted) {
        long oldAddress = block.address;
        long oldReserved = block.reservedByteSize;
        long oldCommitted = block.committedByteSize;
        block.address = newAddress;
        block.reservedByteSize = newReserved;
        block.committedByteSize = targetCommitted;
        registry.mapUnits(block, newAddress, newReserved);
        memory.refundReservation(oldCommitted);
        if (oldCommitted < oldReserved) {
            memory.releaseOrDefer(oldAddress + oldCommitted, oldReserved - oldCommitted, 0);
        }
    }


    static long roundUpToUnit(long byteSize) {
        return (byteSize + SegmentLayout.SEGMENT_MASK) & ~SegmentLayout.SEGMENT_MASK;
    }
}
