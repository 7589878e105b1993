package io.tinyalloc.core;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Index of the registered large blocks: a slot array whose index is the payload of the blocks'
 * page-map entries, so {@link #lookup} goes from any address to its block in two array reads.
 * Freed slot indexes are reused (a stack), so the array stays as long as the most blocks ever
 * registered at once.
 *
 * <p>Invariants: slots[i] == b <=> b.registryIndex == i; count == non-null slots; each registered
 * block's units map to largeEntry(b.registryIndex). Guarded by the {@link LargeBlocks} lock.
 */
final class LargeRegistry {

    private final PageMap pageMap;
    private LargeBlock[] slots = new LargeBlock[16];
    private int[] freeIndexes = new int[16];
    private int freeIndexCount;
    private int highWater;
    private int count;

    LargeRegistry(PageMap pageMap) {
        this.pageMap = pageMap;
    }

    void register(LargeBlock block) {
        int index = freeIndexCount > 0 ? freeIndexes[--freeIndexCount] : nextFreshIndex();
        try {
            pageMap.set(block.address, block.unitCount(), PageMap.largeEntry(index));
        } catch (IllegalArgumentException e) {
            pushFreeIndex(index);
            throw e;
        }
        slots[index] = block;
        block.registryIndex = index;
        count++;
    }

    void unregister(LargeBlock block) {
        pageMap.clear(block.address, block.unitCount());
        int index = block.registryIndex;
        slots[index] = null;
        block.registryIndex = -1;
        count--;
        pushFreeIndex(index);
    }

    private void pushFreeIndex(int index) {
        if (freeIndexCount == freeIndexes.length) {
            freeIndexes = Arrays.copyOf(freeIndexes, freeIndexes.length * 2);
        }
        freeIndexes[freeIndexCount++] = index;
    }

    /** Maps the units {@code [fromAddress, fromAddress + byteSize)} (new room of the block) to it. */
    void mapUnits(LargeBlock block, long fromAddress, long byteSize) {
        pageMap.set(fromAddress, byteSize >>> SegmentLayout.SEGMENT_SHIFT, PageMap.largeEntry(block.registryIndex));
    }

    /** Unmaps units that no longer belong to the block. */
    void unmapUnits(long fromAddress, long byteSize) {
        pageMap.clear(fromAddress, byteSize >>> SegmentLayout.SEGMENT_SHIFT);
    }

    /** The registered block whose reservation covers {@code address}, or null. */
    LargeBlock lookup(long address) {
        long entry = pageMap.get(address);
        if (!PageMap.isLarge(entry)) {
            return null;
        }
        int index = PageMap.payload(entry);
        LargeBlock block = index < highWater ? slots[index] : null;
        return block != null && block.covers(address) ? block : null;
    }

    int count() {
        return count;
    }

    void forEach(Consumer<LargeBlock> action) {
        for (int i = 0; i < highWater; i++) {
            if (slots[i] != null) {
                action.accept(slots[i]);
            }
        }
    }

    /** Drops every block without touching the page map (the heap clears it as a whole). */
    void clear() {
        Arrays.fill(slots, null);
        freeIndexCount = 0;
        highWater = 0;
        count = 0;
    }

    /**
     * Expensive check: indexes agree, counts agree, every unit of every block maps to it.
     *
     * @return true, for {@code assert registry.check()}
     */
    boolean check() {
        int found = 0;
        for (int i = 0; i < highWater; i++) {
            LargeBlock block = slots[i];
            if (block == null) {
                continue;
            }
            found++;
            block.check();
            for (long unit = 0; unit < block.unitCount(); unit++) {
                long unitAddress = block.address + (unit << SegmentLayout.SEGMENT_SHIFT);
                if (block.registryIndex != i || lookup(unitAddress) != block) {
                    throw new IllegalStateException("large block not mapped: index=" + i + " unit=" + unit + " " + block);
                }
            }
        }
        if (found != count || found + freeIndexCount != highWater) {
            throw new IllegalStateException("large registry counts: found=" + found + " count=" + count
                    + " freeIndexCount=" + freeIndexCount + " highWater=" + highWater);
        }
        return true;
    }

    private int nextFreshIndex() {
        if (highWater == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        return highWater++;
    }
}
