package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Off-heap nodes for the Lincheck scenarios: {@code [next (8) | value (4) | pad (4)]}.
 *
 * <p>The memory is allocated once per JVM (Lincheck builds a fresh test instance for every
 * invocation; allocating per instance would only churn native memory) and each instance owns a
 * fresh pool of claim flags over it; invocations never overlap. A push claims the lowest free
 * node and a pop frees its node again, so addresses come back quickly: exactly the reuse that
 * exposes ABA in a stack without a tag.
 */
final class LincheckNodePool {

    static final long NEXT_OFFSET = 0;
    static final long VALUE_OFFSET = 8;
    static final long NODE_BYTE_SIZE = 16;
    /** More than the operations of the largest scenario, so a push always finds a node. */
    static final int NODE_COUNT = 48;

    private static final MemorySegment MEMORY = Arena.global().allocate(NODE_COUNT * NODE_BYTE_SIZE, 64);

    private final AtomicIntegerArray claimed = new AtomicIntegerArray(NODE_COUNT);

    /** Claims a free node and stores {@code value} in it. */
    long claim(int value) {
        for (int i = 0; i < NODE_COUNT; i++) {
            if (claimed.compareAndSet(i, 0, 1)) {
                long node = MEMORY.address() + i * NODE_BYTE_SIZE;
                Memory.putInt(node + VALUE_OFFSET, value);
                return node;
            }
        }
        throw new IllegalStateException("all " + NODE_COUNT + " nodes are in use: scenario too large");
    }

    /** Reads the node's value and frees it. */
    int release(long node) {
        int value = Memory.getInt(node + VALUE_OFFSET);
        claimed.set((int) ((node - MEMORY.address()) / NODE_BYTE_SIZE), 0);
        return value;
    }
}
