package io.tinyalloc.bench.support;

import io.tinyalloc.bench.NativeAllocator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link NativeAllocator} decorator that counts calls and keeps the set of live blocks, so a test
 * can check that a workload frees everything it allocates and never frees a block twice or one it
 * does not own.
 */
public final class CountingAllocator implements NativeAllocator {

    private final NativeAllocator delegate;
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private final LongAdder allocations = new LongAdder();
    private final LongAdder frees = new LongAdder();
    private final LongAdder reallocs = new LongAdder();
    private final LongAdder callocs = new LongAdder();

    public CountingAllocator(NativeAllocator delegate) {
        this.delegate = delegate;
    }

    @Override
    public long malloc(long byteSize) {
        return born(delegate.malloc(byteSize));
    }

    @Override
    public void free(long address) {
        if (address == 0) {
            return;
        }
        if (!live.remove(address)) {
            throw new IllegalStateException("free of a block that is not live: address=0x" + Long.toHexString(address));
        }
        frees.increment();
        delegate.free(address);
    }

    @Override
    public long realloc(long address, long newByteSize) {
        if (address != 0 && !live.remove(address)) {
            throw new IllegalStateException("realloc of a block that is not live: address=0x" + Long.toHexString(address));
        }
        reallocs.increment();
        long moved = delegate.realloc(address, newByteSize);
        if (moved != 0) {
            live.add(moved);
        }
        return moved;
    }

    @Override
    public long calloc(long count, long byteSize) {
        callocs.increment();
        return born(delegate.calloc(count, byteSize));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    public long allocations() {
        return allocations.sum();
    }

    public long callocs() {
        return callocs.sum();
    }

    public long frees() {
        return frees.sum();
    }

    public int liveCount() {
        return live.size();
    }

    private long born(long address) {
        allocations.increment();
        if (!live.add(address)) {
            throw new IllegalStateException("allocator returned a live block: address=0x" + Long.toHexString(address));
        }
        return address;
    }
}
