package io.tinyalloc.examples;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.InvalidAddressException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An independent allocator with its own memory limit: malloc, write through a segment, grow with
 * realloc, free, and what a bad free looks like. Closing it unmaps all of its memory.
 */
public final class StandaloneAllocatorExample {

    private StandaloneAllocatorExample() {
    }

    public static void main(String[] args) {
        try (Allocator allocator = Allocator.builder().maxMemory(64L << 20).build()) {
            long address = allocator.malloc(10 * Long.BYTES);
            MemorySegment longs = allocator.segment(address);
            for (int i = 0; i < 10; i++) {
                longs.setAtIndex(ValueLayout.JAVA_LONG, i, i * i);
            }

            address = allocator.reallocArray(address, 1000, Long.BYTES);
            long kept = allocator.segment(address).getAtIndex(ValueLayout.JAVA_LONG, 9);
            System.out.println("after realloc, element 9 = " + kept);

            AllocatorStats stats = allocator.stats();
            System.out.println("live blocks: " + stats.liveCount() + ", live bytes: " + stats.liveBytes());

            allocator.free(address);
            try {
                allocator.free(address);
            } catch (InvalidAddressException e) {
                System.out.println("second free rejected: " + e.reason());
            }
        }
    }
}
