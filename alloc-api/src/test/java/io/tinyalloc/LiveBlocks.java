package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks a test holds, each filled with its own byte, so that after any error the test can check
 * that nothing already allocated was lost or corrupted.
 */
final class LiveBlocks {

    record Block(long address, long byteSize, byte pattern) {
    }

    private final Allocator allocator;
    private final Map<Long, Block> blocks = new LinkedHashMap<>();
    private int nextPattern = 1;

    LiveBlocks(Allocator allocator) {
        this.allocator = allocator;
    }

    /** Allocates blocks of the given sizes (small, medium and large) and fills them. */
    static LiveBlocks of(Allocator allocator, long... byteSizes) {
        LiveBlocks live = new LiveBlocks(allocator);
        for (long byteSize : byteSizes) {
            live.add(allocator.malloc(byteSize), byteSize);
        }
        return live;
    }

    /** A spread of sizes: tiny, small classes, a page, a large block. */
    static LiveBlocks typical(Allocator allocator) {
        return of(allocator, 0, 1, 16, 24, 100, 1000, 4096, 70_000, 300_000, 3 << 20);
    }

    long add(long address, long byteSize) {
        byte pattern = (byte) (nextPattern++ % 255 + 1);
        Memory.fill(address, byteSize, pattern);
        blocks.put(address, new Block(address, byteSize, pattern));
        return address;
    }

    Block remove(long address) {
        return blocks.remove(address);
    }

    List<Block> blocks() {
        return new ArrayList<>(blocks.values());
    }

    int size() {
        return blocks.size();
    }

    void assertIntact() {
        for (Block block : blocks.values()) {
            assertThat(allocator.usableSize(block.address())).as("usableSize of %s", block)
                    .isGreaterThanOrEqualTo(block.byteSize());
            assertThat(Memory.isFilledWith(block.address(), block.byteSize(), block.pattern()))
                    .as("contents of %s", block).isTrue();
        }
    }

    void freeAll() {
        for (Block block : blocks.values()) {
            allocator.free(block.address());
        }
        blocks.clear();
    }
}
