package io.tinyalloc.examples;

import io.tinyalloc.Allocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The process-wide allocator: nothing to build or close. Configure it with system properties or
 * environment variables, for example {@code -Dtinyalloc.maxMemory=2g} or
 * {@code TINYALLOC_MAX_MEMORY=2g}.
 */
public final class GlobalAllocatorExample {

    private GlobalAllocatorExample() {
    }

    public static void main(String[] args) {
        Allocator allocator = Allocator.global();

        long counters = allocator.calloc(256, Integer.BYTES);
        MemorySegment histogram = allocator.segment(counters);
        for (byte b : "hello, off-heap world".getBytes()) {
            int slot = b & 0xFF;
            histogram.setAtIndex(ValueLayout.JAVA_INT, slot, histogram.getAtIndex(ValueLayout.JAVA_INT, slot) + 1);
        }
        System.out.println("count of 'l': " + histogram.getAtIndex(ValueLayout.JAVA_INT, 'l'));

        MemorySegment text = allocator.allocateFrom("a C string from the global allocator");
        System.out.println("segment holds: " + text.getString(0));

        allocator.free(text);
        allocator.free(counters);
    }
}
