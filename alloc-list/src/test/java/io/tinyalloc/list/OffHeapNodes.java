package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A block of zeroed off-heap nodes for tests: node i starts at {@code address(i)} and carries
 * its index as a long at {@link #ID_OFFSET}. Closing it frees the memory.
 *
 * <pre>
 *  node: | id (8) | spare (8) | link / next pointer at linkOffset ... | up to NODE_BYTE_SIZE
 * </pre>
 */
final class OffHeapNodes implements AutoCloseable {

    static final long NODE_BYTE_SIZE = 64;
    static final long ID_OFFSET = 0;
    /** Where the tests put the link: deliberately not at the start of the node. */
    static final long LINK_OFFSET = 16;

    private final Arena arena;
    private final MemorySegment segment;
    private final int nodeCount;

    private OffHeapNodes(Arena arena, int nodeCount) {
        this.arena = arena;
        this.nodeCount = nodeCount;
        this.segment = arena.allocate(nodeCount * NODE_BYTE_SIZE, 64);
        for (int i = 0; i < nodeCount; i++) {
            Memory.putLong(address(i) + ID_OFFSET, i);
        }
    }

    /** Nodes for one thread. */
    static OffHeapNodes confined(int nodeCount) {
        return new OffHeapNodes(Arena.ofConfined(), nodeCount);
    }

    /** Nodes shared between threads. */
    static OffHeapNodes shared(int nodeCount) {
        return new OffHeapNodes(Arena.ofShared(), nodeCount);
    }

    long address(int index) {
        return segment.address() + index * NODE_BYTE_SIZE;
    }

    int count() {
        return nodeCount;
    }

    /** The index of the node at {@code address}, read from the node itself. */
    static int idOf(long address) {
        return (int) Memory.getLong(address + ID_OFFSET);
    }

    /** The index of the node at {@code address}, computed from the address (independent of memory). */
    int indexOf(long address) {
        long offset = address - segment.address();
        if (offset < 0 || offset % NODE_BYTE_SIZE != 0 || offset / NODE_BYTE_SIZE >= nodeCount) {
            throw new AssertionError("not a node of this block: " + Long.toHexString(address));
        }
        return (int) (offset / NODE_BYTE_SIZE);
    }

    @Override
    public void close() {
        arena.close();
    }
}
