package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.sys.Memory;
import java.util.SplittableRandom;

/**
 * malloc-large (mimalloc-bench's large-buffer test): {@code threadCount} threads, each with
 * {@code slotCount} slots; each step replaces a random slot with a new buffer of a uniformly random
 * size in [min, max] bytes (5..25 MiB), zeroed the way {@code new char[n]()} is: malloc, then every
 * byte written. This is where mmap thresholds, in-place reuse and returning memory to the OS show.
 * Metric: allocations per second.
 *
 * <p>Each buffer carries a stamp at both ends, checked before it is freed.
 */
public final class MallocLarge extends AbstractKernel<MallocLarge.Config> {

    public static final String NAME = "malloc-large";

    public record Config(int slotCount, long minByteSize, long maxByteSize, int replacementsPerThread) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(4, 64 << 10, 256 << 10, 24);
                case BENCH -> new Config(20, 5L << 20, 25L << 20, 50);
            };
        }
    }

    public MallocLarge(Config config) {
        super(NAME, "allocations", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        return new Workers(NAME).sumAll(threadCount, thread -> work(allocator, thread));
    }

    private long work(NativeAllocator allocator, int thread) {
        SplittableRandom random = new SplittableRandom(1234567L + thread);
        Slots slots = new Slots(allocator, config.slotCount,
                (address, byteSize, tag) -> BlockCheck.verifySelfChecking(NAME, address, byteSize, tag));
        try {
            for (int step = 0; step < config.replacementsPerThread; step++) {
                int slot = random.nextInt(config.slotCount);
                slots.release(slot);
                long byteSize = config.minByteSize + random.nextLong(config.maxByteSize - config.minByteSize + 1);
                long address = allocator.malloc(byteSize);
                Memory.fill(address, byteSize, (byte) 0);
                long tag = ((long) thread << 32) | step;
                BlockCheck.stampSelfChecking(address, byteSize, tag);
                slots.put(slot, address, byteSize, tag);
            }
        } finally {
            slots.releaseAll();
        }
        return config.replacementsPerThread;
    }
}
