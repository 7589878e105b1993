package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import java.util.SplittableRandom;

/**
 * thread-exit leak: {@code roundCount} rounds of {@value #THREADS_PER_ROUND} short-lived threads,
 * at most {@code threadCount} alive at once; each thread callocs {@code allocationsPerThread}
 * blocks of {@value #BYTE_SIZE} bytes into random slots of one shared array of
 * {@value #SLOT_COUNT} slots, freeing the block it displaces (usually made by a thread that has
 * ended). An allocator that strands the caches of dead threads grows here; that shows in peak RSS,
 * the metric that matters. Throughput metric: allocations per second.
 *
 * <p>Each calloc'ed block is checked to be zero, then carries a self-checking stamp verified when it
 * is displaced.
 */
public final class ThreadExitLeak extends AbstractKernel<ThreadExitLeak.Config> {

    public static final String NAME = "thread-exit";
    static final int THREADS_PER_ROUND = 10;
    static final int SLOT_COUNT = 1000;
    static final int BYTE_SIZE = 128;

    public record Config(int roundCount, int allocationsPerThread) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(2, 40);
                case BENCH -> new Config(10, 1000);
            };
        }
    }

    public ThreadExitLeak(Config config) {
        super(NAME, "allocations", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        SharedSlots slots = new SharedSlots(SLOT_COUNT, address -> release(allocator, address));
        long allocations = 0;
        Workers workers = new Workers(NAME);
        try {
            for (int round = 0; round < config.roundCount; round++) {
                for (int first = 0; first < THREADS_PER_ROUND; first += threadCount) {
                    int seedBase = round * THREADS_PER_ROUND + first;
                    int group = Math.min(threadCount, THREADS_PER_ROUND - first);
                    allocations += workers.sumAll(group, thread -> churn(allocator, slots, seedBase + thread));
                }
            }
        } finally {
            slots.releaseAll();
        }
        return allocations;
    }

    /** One short-lived thread's callocs; returns how many it made. */
    private long churn(NativeAllocator allocator, SharedSlots slots, int seed) {
        SplittableRandom random = new SplittableRandom(31L * seed + 7);
        for (int index = 0; index < config.allocationsPerThread; index++) {
            long address = allocator.calloc(1, BYTE_SIZE);
            BlockCheck.verifyZeroed(NAME, address, BYTE_SIZE);
            BlockCheck.stampSelfChecking(address, BYTE_SIZE, ((long) seed << 32) | index);
            slots.replace(random.nextInt(SLOT_COUNT), address);
        }
        return config.allocationsPerThread;
    }

    private static void release(NativeAllocator allocator, long address) {
        BlockCheck.verifySelfChecking(NAME, address, BYTE_SIZE);
        allocator.free(address);
    }
}
