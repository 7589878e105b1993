package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Platform;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A real allocator next to a model of what it should hold: address -> (requested size,
 * alignment, fill byte). Every operation is applied to both and checked on the spot; the
 * invariants compare the whole model with the allocator.
 *
 * <p>Each live block is filled with its own byte, so overlapping blocks, lost contents and
 * wrong copies show up as a wrong byte.
 */
final class AllocatorModel {

    /** A live block; {@code segment} is set when it came from {@code allocate}. */
    record Block(long address, long byteSize, long byteAlignment, byte fill, MemorySegment segment) {
    }

    private final Allocator allocator;
    private final TreeMap<Long, Block> live = new TreeMap<>();
    private int fillCounter;

    AllocatorModel(Allocator allocator) {
        this.allocator = allocator;
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    /** The live block number {@code index} (modulo the count), in address order. */
    private Block pick(int index) {
        List<Block> blocks = new ArrayList<>(live.values());
        return blocks.get(index % blocks.size());
    }

    // ---- operations ----------------------------------------------------------------------------

    void malloc(long byteSize) {
        adopt(allocator.malloc(byteSize), byteSize, 16, null);
    }

    void calloc(long count, long byteSize) {
        long address = allocator.calloc(count, byteSize);
        assertThat(Memory.isFilledWith(address, count * byteSize, (byte) 0)).as("calloc zeroed").isTrue();
        adopt(address, count * byteSize, 16, null);
    }

    void alignedAlloc(long byteAlignment, long byteSize) {
        adopt(allocator.alignedAlloc(byteAlignment, byteSize), byteSize, Math.max(byteAlignment, 16), null);
    }

    void pageAlloc(long byteSize) {
        adopt(allocator.pageAlloc(byteSize), byteSize, Platform.pageSize(), null);
    }

    void allocate(long byteSize, long byteAlignment) {
        MemorySegment segment = allocator.allocate(byteSize, byteAlignment);
        assertThat(segment.byteSize()).isEqualTo(byteSize);
        adopt(segment.address(), byteSize, Math.max(byteAlignment, 16), segment);
    }

    void realloc(int index, long newByteSize) {
        Block old = pick(index);
        long address = allocator.realloc(old.address(), newByteSize);
        replace(old, address, newByteSize, Math.min(old.byteSize(), newByteSize));
    }

    void reallocArray(int index, long count, long byteSize) {
        Block old = pick(index);
        long address = allocator.reallocArray(old.address(), count, byteSize);
        replace(old, address, count * byteSize, Math.min(old.byteSize(), count * byteSize));
    }

    void recallocArray(int index, long newCount, long byteSize) {
        Block old = pick(index);
        long oldCount = old.byteSize() / byteSize;
        long oldByteSize = oldCount * byteSize;
        long newByteSize = newCount * byteSize;
        long address = allocator.recallocArray(old.address(), oldCount, newCount, byteSize);
        if (newByteSize > oldByteSize) {
            assertThat(Memory.isFilledWith(address + oldByteSize, newByteSize - oldByteSize, (byte) 0))
                    .as("recallocArray zeroed the growth").isTrue();
        }
        replace(old, address, newByteSize, Math.min(oldByteSize, newByteSize));
    }

    void free(int index) {
        Block block = pick(index);
        if (block.segment() != null) {
            allocator.free(block.segment());
        } else {
            allocator.free(block.address());
        }
        live.remove(block.address());
    }

    void usableSize(int index) {
        Block block = pick(index);
        assertThat(allocator.usableSize(block.address())).isGreaterThanOrEqualTo(block.byteSize());
    }

    void segment(int index) {
        Block block = pick(index);
        MemorySegment segment = allocator.segment(block.address());
        assertThat(segment.address()).isEqualTo(block.address());
        assertThat(segment.byteSize()).isEqualTo(allocator.usableSize(block.address()));
        if (block.byteSize() > 0) {
            assertThat(segment.get(ValueLayout.JAVA_BYTE, block.byteSize() - 1))
                    .isEqualTo(block.fill());
        }
    }

    // ---- invariants ----------------------------------------------------------------------------

    /** Contents, alignment, sizes, no overlap, and the allocator's live counters. */
    void checkInvariants() {
        long previousEnd = Long.MIN_VALUE;
        long usableTotal = 0;
        for (Block block : live.values()) {
            long usable = allocator.usableSize(block.address());
            assertThat(usable).as("usableSize of %s", block).isGreaterThanOrEqualTo(block.byteSize());
            assertThat(block.address() % block.byteAlignment()).as("alignment of %s", block).isZero();
            assertThat(block.address()).as("%s overlaps the block before it", block).isGreaterThanOrEqualTo(previousEnd);
            assertThat(Memory.isFilledWith(block.address(), block.byteSize(), block.fill()))
                    .as("contents of %s", block).isTrue();
            previousEnd = block.address() + usable;
            usableTotal += usable;
        }
        AllocatorStats stats = allocator.stats();
        assertThat(stats.liveCount()).as("liveCount").isEqualTo(live.size());
        assertThat(stats.liveBytes()).as("liveBytes").isEqualTo(usableTotal);
    }

    void close() {
        allocator.close();
    }

    @Override
    public String toString() {
        return "AllocatorModel[" + live.size() + " live blocks]";
    }

    // ---- internals -----------------------------------------------------------------------------

    private void adopt(long address, long byteSize, long byteAlignment, MemorySegment segment) {
        assertThat(address).isNotZero();
        assertThat(live).as("a live block at the new address").doesNotContainKey(address);
        byte fill = nextFill();
        Memory.fill(address, byteSize, fill);
        live.put(address, new Block(address, byteSize, byteAlignment, fill, segment));
    }

    /** Checks that {@code keptByteSize} bytes survived a resize, then refills the new block. */
    private void replace(Block old, long address, long newByteSize, long keptByteSize) {
        live.remove(old.address());
        if (newByteSize == 0) {
            assertThat(address).as("resize to 0 frees and returns 0").isZero();
            return;
        }
        assertThat(Memory.isFilledWith(address, keptByteSize, old.fill())).as("contents kept by resize").isTrue();
        adopt(address, newByteSize, 16, null);
    }

    private byte nextFill() {
        fillCounter = fillCounter % 255 + 1;
        return (byte) fillCounter;
    }
}
