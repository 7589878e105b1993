package io.tinyalloc.examples;

import io.tinyalloc.Allocator;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Aligned blocks: cache-line aligned counters (no false sharing), page-aligned buffers (for
 * direct I/O or mprotect), and segments aligned as their layout demands.
 */
public final class AlignedAllocationExample {

    private static final long CACHE_LINE = 64;

    private AlignedAllocationExample() {
    }

    public static void main(String[] args) {
        try (Allocator allocator = Allocator.builder().build()) {
            long counters = allocator.alignedAlloc(CACHE_LINE, 8 * CACHE_LINE);
            System.out.println("cache-line aligned: " + (counters % CACHE_LINE == 0));

            long buffer = allocator.pageAlloc(1 << 20);
            System.out.println("page aligned: " + (buffer % 4096 == 0));

            MemoryLayout vector = MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_DOUBLE).withByteAlignment(32);
            MemorySegment lanes = allocator.allocate(vector);
            System.out.println("32-byte aligned vector of " + lanes.byteSize() + " bytes: "
                    + (lanes.address() % 32 == 0));

            long huge = allocator.alignedAlloc(1L << 21, 4L << 20);
            System.out.println("2 MiB aligned: " + (huge % (1L << 21) == 0));

            allocator.free(lanes);
            allocator.free(huge);
            allocator.free(buffer);
            allocator.free(counters);
        }
    }
}
