package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;

/**
 * Blocks that carry their own check, for the stress tests: the first 8 bytes hold the address
 * XOR {@code tag}, the next 8 the requested size, and up to {@code patternBytes} more a byte
 * derived from the address, size and tag. A block handed out twice, or written after a free,
 * fails {@link #verify}. Every block has at least 16 usable bytes (the smallest class), so even
 * malloc(0) carries its tag.
 */
record TaggedBlocks(Heap heap, long tag, long seed, int patternBytes) {

    long allocate(long size) {
        long block = heap.malloc(size);
        Memory.putLong(block, block ^ tag);
        Memory.putLong(block + 8, size);
        Memory.fill(block + 16, patternByteSize(size), pattern(block, size));
        return block;
    }

    void verify(long block) {
        long size = Memory.getLong(block + 8);
        assertThat(Memory.getLong(block)).as("seed=%d block=0x%x tag", seed, block).isEqualTo(block ^ tag);
        assertThat(heap.usableSize(block)).as("seed=%d block=0x%x", seed, block).isGreaterThanOrEqualTo(size);
        assertThat(Memory.isFilledWith(block + 16, patternByteSize(size), pattern(block, size)))
                .as("seed=%d block=0x%x pattern", seed, block).isTrue();
    }

    /** Verifies, clears the tag (so a block handed out again without a malloc fails) and frees; 0 is skipped. */
    void verifyAndFree(long block) {
        if (block == 0) {
            return;
        }
        verify(block);
        Memory.putLong(block, 0);
        assertThat(heap.free(block)).as("seed=%d block=0x%x", seed, block).isNull();
    }

    private long patternByteSize(long size) {
        return Math.min(Math.max(size, 16) - 16, patternBytes);
    }

    private byte pattern(long block, long size) {
        return (byte) ((block >>> 4) ^ size ^ tag);
    }
}
