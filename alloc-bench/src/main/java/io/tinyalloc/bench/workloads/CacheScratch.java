package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.sys.Memory;
import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;

/**
 * cache-scratch (Hoard's passive false-sharing test, as run by mimalloc-bench): the calling thread
 * allocates {@code threadCount} adjacent {@code objectByteSize}-byte objects (likely on one cache
 * line) and hands object {@code i} to thread {@code i}, which frees it and then, {@code iterations}
 * times, allocates an object of the same size, writes each of its bytes {@code repetitions} times and
 * frees it. An allocator that gives thread {@code i} back the block it freed, which shares a cache
 * line with the other threads' blocks, makes the writes crawl. Metric: byte writes per second.
 *
 * <p>The writes are opaque so the JIT keeps every one; the value left after the repetitions is
 * checked, so a block shared by two threads is caught.
 */
public final class CacheScratch extends AbstractKernel<CacheScratch.Config> {

    public static final String NAME = "cache-scratch";
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    public record Config(int objectByteSize, int iterations, int repetitions) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(1, 8, 16);
                case BENCH -> new Config(1, 1000, 1000);
            };
        }
    }

    public CacheScratch(Config config) {
        super(NAME, "writes", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        long[] objects = new long[threadCount];
        for (int index = 0; index < threadCount; index++) {
            objects[index] = allocator.malloc(config.objectByteSize);
        }
        return new Workers(NAME).sumAll(threadCount, thread -> scratch(allocator, objects[thread]));
    }

    /** One thread's part: frees the handed object, then scratches its own; returns the byte writes. */
    private long scratch(NativeAllocator allocator, long handedObject) {
        allocator.free(handedObject);
        for (int iteration = 0; iteration < config.iterations; iteration++) {
            long address = allocator.malloc(config.objectByteSize);
            try {
                for (int repetition = 0; repetition < config.repetitions; repetition++) {
                    writeEachByte(address, (byte) iteration);
                }
                checkEachByte(address, (byte) (iteration + 1));
            } finally {
                allocator.free(address);
            }
        }
        return (long) config.iterations * config.repetitions * config.objectByteSize;
    }

    private void writeEachByte(long address, byte value) {
        for (long offset = 0; offset < config.objectByteSize; offset++) {
            BYTE.setOpaque(Memory.EVERYTHING, address + offset, value);
            byte read = (byte) BYTE.getOpaque(Memory.EVERYTHING, address + offset);
            BYTE.setOpaque(Memory.EVERYTHING, address + offset, (byte) (read + 1));
        }
    }

    private void checkEachByte(long address, byte expected) {
        for (long offset = 0; offset < config.objectByteSize; offset++) {
            byte actual = Memory.getByte(address + offset);
            if (actual != expected) {
                throw WorkloadErrors.corrupted(NAME, address, offset, expected, actual);
            }
        }
    }
}
