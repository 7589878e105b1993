package io.tinyalloc.bench.peers;

import io.tinyalloc.Allocator;
import io.tinyalloc.bench.NativeAllocator;

/**
 * TinyAlloc through its long API ({@code malloc}/{@code free} on absolute addresses), on the
 * process-wide allocator ({@link Allocator#global()}), configured as a program would get it. The
 * allocator sits in a {@code static final} field so the JIT sees a constant receiver and inlines
 * the whole fast path into the benchmark.
 */
public final class TinyAllocAllocator implements NativeAllocator {

    public static final String NAME = "tinyalloc";

    private static final Allocator GLOBAL = Allocator.global();

    @Override
    public long malloc(long byteSize) {
        return GLOBAL.malloc(byteSize);
    }

    @Override
    public void free(long address) {
        GLOBAL.free(address);
    }

    @Override
    public long realloc(long address, long newByteSize) {
        return GLOBAL.realloc(address, newByteSize);
    }

    @Override
    public long calloc(long count, long byteSize) {
        return GLOBAL.calloc(count, byteSize);
    }

    @Override
    public String name() {
        return NAME;
    }
}
