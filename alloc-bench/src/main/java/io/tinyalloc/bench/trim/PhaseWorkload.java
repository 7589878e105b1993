package io.tinyalloc.bench.trim;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.sys.Memory;
import java.util.SplittableRandom;

/**
 * Peaks and valleys of live memory, single-threaded, seeded. Each cycle:
 * <ol>
 *   <li>ramp up: allocate mixed sizes (70% 16 B..1 KiB, 25% 1..64 KiB, 5% 64 KiB..1 MiB) until
 *       {@code peakBytes} are live, touching every page;</li>
 *   <li>churn at the peak: {@code 2 x blocks} replacements of a random block by a new one;</li>
 *   <li>valley: free random blocks until at most {@code valleyBytes} are live (then glibc's
 *       malloc_trim(0) for that variant);</li>
 *   <li>quiet: {@code quietMillis} of light churn in the valley (100 replacements every 10 ms), the
 *       time in which an allocator should give the freed memory back.</li>
 * </ol>
 * Throughput counts mallocs and frees of the ramp, churn and valley steps over their time (the
 * quiet phase is paced, so it is left out).
 */
final class PhaseWorkload {

    private final NativeAllocator allocator;
    private final boolean mallocTrim;
    private final long[] addresses = new long[1 << 20];
    private final long[] sizes = new long[1 << 20];
    private final SplittableRandom random = new SplittableRandom(42);
    private int count;
    private long liveBytes;
    long operations;
    long activeNanos;

    PhaseWorkload(NativeAllocator allocator, boolean mallocTrim) {
        this.allocator = allocator;
        this.mallocTrim = mallocTrim;
    }

    void cycle(long peakBytes, long valleyBytes, long quietMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (liveBytes < peakBytes && count < addresses.length) {
            add();
        }
        for (int i = 2 * count; i > 0; i--) {
            replace();
        }
        while (liveBytes > valleyBytes && count > 0) {
            removeAt(random.nextInt(count));
        }
        if (mallocTrim) {
            MallocTrim.trim();
        }
        activeNanos += System.nanoTime() - start;
        long quietEnd = System.nanoTime() + quietMillis * 1_000_000L;
        while (System.nanoTime() < quietEnd) {
            for (int i = 0; i < 100 && count > 0; i++) {
                replace();
            }
            Thread.sleep(10);
        }
    }

    /** Frees every block. */
    void clear() {
        while (count > 0) {
            removeAt(count - 1);
        }
    }

    private void replace() {
        if (count > 0) {
            removeAt(random.nextInt(count));
        }
        add();
    }

    private void add() {
        int kind = random.nextInt(100);
        long size = kind < 70 ? 16 + random.nextInt(1009)
                : kind < 95 ? 1024 + random.nextInt(63 * 1024) : 65536 + random.nextInt(960 * 1024);
        long address = allocator.malloc(size);
        for (long offset = 0; offset < size; offset += 4096) {
            Memory.putByte(address + offset, (byte) offset);
        }
        addresses[count] = address;
        sizes[count] = size;
        count++;
        liveBytes += size;
        operations++;
    }

    private void removeAt(int index) {
        allocator.free(addresses[index]);
        liveBytes -= sizes[index];
        count--;
        addresses[index] = addresses[count];
        sizes[index] = sizes[count];
        operations++;
    }
}
