package io.tinyalloc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a size class's segments behind the cache structures: hands out fresh values
 * {@code FIRST_VALUE, FIRST_VALUE + 1, ...} in batches and records what comes back, all on the
 * Java heap, so that shard and ICC tests (and Lincheck) need no mapped memory. Not thread-safe by
 * itself: the shard calls it under its lock, and tests that share one across threads synchronize.
 */
final class OnHeapBackend implements CacheBackend {

    static final long FIRST_VALUE = 1000;

    private long next = FIRST_VALUE;
    private final List<Long> received = new ArrayList<>();
    private long limit = Long.MAX_VALUE;

    @Override
    public synchronized int allocateCached(int lane, long[] entries, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, entries.length);
        int handed = (int) Math.min(count, limit - next);
        if (handed <= 0) {
            throw HeapExhaustedException.memoryLimit(count, next, limit);
        }
        for (int i = 0; i < handed; i++) {
            entries[offset + i] = next++;
        }
        return handed;
    }

    @Override
    public synchronized int freeCached(long[] entries, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, entries.length);
        for (int i = 0; i < count; i++) {
            received.add(entries[offset + i]);
        }
        return 0;
    }

    /** Hands out no value at or above {@code limit} (then throws as the segments would). */
    synchronized void limitValuesBelow(long limit) {
        this.limit = limit;
    }

    synchronized long handedOutCount() {
        return next - FIRST_VALUE;
    }

    synchronized List<Long> received() {
        return List.copyOf(received);
    }
}
