package io.tinyalloc.bench.support;

import io.tinyalloc.bench.NativeAllocator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broken allocator for testing the workloads' content checks: every {@code period}-th allocation
 * of a thread returns that thread's previous block again while it is still live (only when that
 * block is large enough, so a test never writes out of bounds), as an allocator with a corrupted
 * free list would. Blocks are reference-counted so the real allocator sees each freed once.
 */
public final class AliasingAllocator implements NativeAllocator {

    private record Owners(int count, long byteSize) {
    }

    private final NativeAllocator delegate;
    private final int period;
    private final ConcurrentHashMap<Long, Owners> blocks = new ConcurrentHashMap<>();
    private final ThreadLocal<long[]> lastBlockAndCount = ThreadLocal.withInitial(() -> new long[2]);
    private final AtomicLong aliasCount = new AtomicLong();

    public AliasingAllocator(NativeAllocator delegate, int period) {
        this.delegate = delegate;
        this.period = period;
    }

    @Override
    public long malloc(long byteSize) {
        return hand(byteSize, delegate.malloc(byteSize));
    }

    @Override
    public long calloc(long count, long byteSize) {
        return hand(count * byteSize, delegate.calloc(count, byteSize));
    }

    @Override
    public void free(long address) {
        if (address == 0) {
            return;
        }
        Owners left = blocks.computeIfPresent(address,
                (key, owners) -> owners.count == 1 ? null : new Owners(owners.count - 1, owners.byteSize));
        if (left == null) {
            delegate.free(address);
        }
    }

    @Override
    public long realloc(long address, long newByteSize) {
        throw new UnsupportedOperationException("the workloads under test do not realloc");
    }

    @Override
    public String name() {
        return "aliasing-" + delegate.name();
    }

    public long aliasCount() {
        return aliasCount.get();
    }

    /** Returns {@code fresh}, or every period-th time frees it and returns the previous live block. */
    private long hand(long byteSize, long fresh) {
        long[] state = lastBlockAndCount.get();
        long previous = state[0];
        state[1]++;
        if (state[1] % period == 0 && previous != 0) {
            boolean[] aliased = {false};
            blocks.computeIfPresent(previous, (key, owners) -> {
                if (owners.byteSize < byteSize) {
                    return owners;
                }
                aliased[0] = true;
                return new Owners(owners.count + 1, owners.byteSize);
            });
            if (aliased[0]) {
                delegate.free(fresh);
                aliasCount.incrementAndGet();
                return previous;
            }
        }
        blocks.put(fresh, new Owners(1, byteSize));
        state[0] = fresh;
        return fresh;
    }
}
