package io.tinyalloc.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One shard of the {@link InterConnectCache}: per size class, a bounded stack of
 * {@link CacheEntry} values (free blocks, marked CACHED in their segments) that thread caches
 * push and pop in batches, and that virtual threads use one entry at a time.
 *
 * <p>Invariants (checked by {@link #check}): {@code 0 <= count[c] <= capacity(c)}; entries
 * {@code stack[c][0 .. count[c])} are the shard's blocks of class c, each exactly once; slots
 * above the count are stale and never read.
 *
 * <p>Thread-safe: every operation holds the shard's lock, a 128-byte array of its own so that the
 * monitors of two shards never share a cache line. {@link #countHint} reads a count without the
 * lock (opaque), for a thief deciding whether a shard is worth locking: it may be stale, never
 * torn; a stale hint costs a wasted lock or a missed batch (the thief then goes to the segments),
 * never a wrong result.
 */
final class CacheShard {

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final Object lock = new long[16];
    private final long[][] stacks;
    private final int[] counts;
    /** Blocks handed to and taken from virtual threads, which have no thread cache; guarded by lock. */
    private long mallocCount;
    private long freeCount;

    /** A shard holding up to {@code capacities[c]} entries of class c. */
    CacheShard(int[] capacities) {
        stacks = new long[capacities.length][];
        counts = new int[capacities.length];
        for (int c = 0; c < capacities.length; c++) {
            if (capacities[c] < 0) {
                throw new IllegalArgumentException("capacity must be >= 0: classIndex=" + c + " capacity=" + capacities[c]);
            }
            stacks[c] = new long[capacities[c]];
        }
    }

    /**
     * Takes as many of {@code src[offset .. offset+count)} as there is room for, from the start of
     * the slice, in one copy.
     *
     * @return how many were taken; the caller keeps {@code src[offset+taken .. offset+count)}
     */
    int push(int classIndex, long[] src, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, src.length);
        synchronized (lock) {
            int size = counts[classIndex];
            int taken = Math.min(count, stacks[classIndex].length - size);
            System.arraycopy(src, offset, stacks[classIndex], size, taken);
            setCount(classIndex, size + taken);
            return taken;
        }
    }

    /**
     * Moves up to {@code count} entries from the top into {@code dst[offset ..]}, in one copy.
     *
     * @return how many were moved (0 if the stack is empty)
     */
    int pop(int classIndex, long[] dst, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, dst.length);
        synchronized (lock) {
            int size = counts[classIndex];
            int moved = Math.min(count, size);
            System.arraycopy(stacks[classIndex], size - moved, dst, offset, moved);
            setCount(classIndex, size - moved);
            return moved;
        }
    }

    /**
     * A virtual thread's free: pushes one entry, first spilling the older half of a full stack
     * to {@code backend} (under this lock, so the stack never overflows).
     */
    void pushOne(int classIndex, long entry, CacheBackend backend) {
        synchronized (lock) {
            long[] stack = stacks[classIndex];
            int size = counts[classIndex];
            if (size == stack.length) {
                size = spillOldest(classIndex, backend, Math.max(1, size / 2));
            }
            stack[size] = entry;
            setCount(classIndex, size + 1);
            freeCount++;
        }
    }

    /**
     * A virtual thread's malloc: pops one entry, first refilling an empty stack with half its
     * capacity from {@code backend} (as {@code lane}, this shard's index).
     *
     * @throws HeapExhaustedException if the stack is empty and the backend has no memory
     */
    long popOne(int lane, int classIndex, CacheBackend backend) {
        synchronized (lock) {
            long[] stack = stacks[classIndex];
            int size = counts[classIndex];
            if (size == 0) {
                size = backend.allocateCached(lane, stack, 0, Math.max(1, stack.length / 2));
            }
            mallocCount++;
            setCount(classIndex, size - 1);
            return stack[size - 1];
        }
    }

    /** Pops one entry if there is one, else returns 0: a virtual thread stealing from this shard. */
    long tryPopOne(int classIndex) {
        synchronized (lock) {
            int size = counts[classIndex];
            if (size == 0) {
                return 0;
            }
            mallocCount++;
            setCount(classIndex, size - 1);
            return stacks[classIndex][size - 1];
        }
    }

    /** Gives every entry of every class back to the segments; returns how many entries went back. */
    long drainTo(CacheBackend[] backends) {
        long drained = 0;
        synchronized (lock) {
            for (int c = 0; c < stacks.length; c++) {
                drained += counts[c];
                spillOldest(c, backends[c], counts[c]);
            }
        }
        return drained;
    }

    /** Forgets every entry (the heap is closing and its memory goes away). */
    void clear() {
        synchronized (lock) {
            for (int c = 0; c < counts.length; c++) {
                setCount(c, 0);
            }
        }
    }

    /** The entry count of a class, read without the lock: may be stale. */
    int countHint(int classIndex) {
        return (int) COUNTS.getOpaque(counts, classIndex);
    }

    int count(int classIndex) {
        synchronized (lock) {
            return counts[classIndex];
        }
    }

    int capacity(int classIndex) {
        return stacks[classIndex].length;
    }

    long mallocCount() {
        synchronized (lock) {
            return mallocCount;
        }
    }

    long freeCount() {
        synchronized (lock) {
            return freeCount;
        }
    }

    /** Calls {@code action} with every entry of every class, under the lock. */
    void forEachEntry(EntryConsumer action) {
        synchronized (lock) {
            for (int c = 0; c < stacks.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    action.accept(c, stacks[c][i]);
                }
            }
        }
    }

    /** Receives one cached entry and its class. */
    @FunctionalInterface
    interface EntryConsumer {
        void accept(int classIndex, long entry);
    }

    /**
     * Checks the invariants.
     *
     * @return true, for {@code assert shard.check()}
     */
    boolean check() {
        synchronized (lock) {
            for (int c = 0; c < stacks.length; c++) {
                if (counts[c] < 0 || counts[c] > stacks[c].length) {
                    throw new IllegalStateException("cache shard: classIndex=" + c + " count=" + counts[c]
                            + " capacity=" + stacks[c].length);
                }
            }
            return true;
        }
    }

    /** Under the lock: sends the {@code count} oldest entries (bottom of the stack) to the segments. */
    private int spillOldest(int classIndex, CacheBackend backend, int count) {
        long[] stack = stacks[classIndex];
        int size = counts[classIndex];
        backend.freeCached(stack, 0, count);
        System.arraycopy(stack, count, stack, 0, size - count);
        setCount(classIndex, size - count);
        return size - count;
    }

    /** Under the lock: an opaque store, so that {@link #countHint} never needs the lock. */
    private void setCount(int classIndex, int count) {
        COUNTS.setOpaque(counts, classIndex, count);
    }
}
