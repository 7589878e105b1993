package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.sys.Memory;
import java.util.SplittableRandom;

/**
 * glibc-thread (glibc's bench-malloc-thread, as run by mimalloc-bench): {@code threadCount}
 * threads, each with a private working set of {@code workingSetSlots} blocks; each step frees a
 * random slot and allocates into it a size drawn from a power law over [4, 32768] bytes (small
 * sizes far more likely), and writes every byte of the new block. No block crosses threads.
 * Metric: allocations per second.
 *
 * <p>The fill byte of each block is checked (first, middle and last byte) before it is freed.
 */
public final class GlibcThread extends AbstractKernel<GlibcThread.Config> {

    public static final String NAME = "glibc-thread";
    static final int MIN_BYTE_SIZE = 4;
    static final int MAX_BYTE_SIZE = 32_768;
    /** The density of sizes falls as size^-EXPONENT. */
    private static final double EXPONENT = 0.85;
    private static final int SIZE_TABLE_LENGTH = 4096;

    public record Config(int workingSetSlots, int stepsPerThread) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(64, 500);
                case BENCH -> new Config(1024, 20_000);
            };
        }
    }

    private static final int[] SIZE_TABLE = powerLawSizes();

    public GlibcThread(Config config) {
        super(NAME, "allocations", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        return new Workers(NAME).sumAll(threadCount, thread -> work(allocator, thread));
    }

    /** The inverse of the power law's distribution function, at evenly spaced quantiles. */
    static int[] powerLawSizes() {
        double power = 1 - EXPONENT;
        double low = Math.pow(MIN_BYTE_SIZE, power);
        double high = Math.pow(MAX_BYTE_SIZE, power);
        int[] sizes = new int[SIZE_TABLE_LENGTH];
        for (int index = 0; index < sizes.length; index++) {
            double quantile = (index + 0.5) / sizes.length;
            double size = Math.pow(low + quantile * (high - low), 1 / power);
            sizes[index] = (int) Math.max(MIN_BYTE_SIZE, Math.min(MAX_BYTE_SIZE, Math.round(size)));
        }
        return sizes;
    }

    /** One thread's steps; the tag of a slot is the byte its block is filled with. */
    private long work(NativeAllocator allocator, int thread) {
        SplittableRandom random = new SplittableRandom(88172645463325252L + thread);
        Slots slots = new Slots(allocator, config.workingSetSlots, GlibcThread::checkFill);
        try {
            for (int step = 0; step < config.stepsPerThread; step++) {
                int slot = random.nextInt(slots.slotCount());
                slots.release(slot);
                int byteSize = SIZE_TABLE[random.nextInt(SIZE_TABLE.length)];
                byte fill = (byte) random.nextInt();
                long address = allocator.malloc(byteSize);
                Memory.fill(address, byteSize, fill);
                slots.put(slot, address, byteSize, fill);
            }
        } finally {
            slots.releaseAll();
        }
        return config.stepsPerThread;
    }

    /** First, middle and last byte. */
    private static void checkFill(long address, long byteSize, long fill) {
        checkByte(address, 0, (byte) fill);
        checkByte(address, byteSize / 2, (byte) fill);
        checkByte(address, byteSize - 1, (byte) fill);
    }

    private static void checkByte(long address, long offset, byte fill) {
        byte actual = Memory.getByte(address + offset);
        if (actual != fill) {
            throw WorkloadErrors.corrupted(NAME, address, offset, fill, actual);
        }
    }
}
