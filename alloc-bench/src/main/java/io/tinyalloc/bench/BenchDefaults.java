package io.tinyalloc.bench;

/**
 * Conventions shared by every benchmark in this module, as compile-time constants so that JMH
 * annotations can use them:
 *
 * <pre>{@code
 * @Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS,
 *         BenchDefaults.HEAP_MIN, BenchDefaults.HEAP_MAX})
 * @Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS,
 *         timeUnit = TimeUnit.MILLISECONDS)
 * @Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS,
 *         time = BenchDefaults.MEASUREMENT_MILLIS, timeUnit = TimeUnit.MILLISECONDS)
 * }</pre>
 *
 * <p>Why these values: the machines are small and noisy, so a result is only ever read as a ratio
 * to a peer measured in the same run; one fork per trial keeps each allocator's call sites
 * monomorphic (a fork loads exactly one implementation of {@link NativeAllocator}); a fixed heap
 * keeps GC timing (and {@code ByteBuffer.allocateDirect}'s limit, which defaults to the heap
 * size) the same for every peer. The runner ({@code io.tinyalloc.bench.report.BenchMain})
 * overrides the iteration counts and times for its quick and full sets.
 */
public final class BenchDefaults {

    /** FFM downcalls (mmap, malloc, mimalloc) need native access; benchmarks run on the class path. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    public static final String HEAP_MIN = "-Xms1g";
    public static final String HEAP_MAX = "-Xmx1g";

    public static final int FORKS = 1;
    public static final int WARMUP_ITERATIONS = 3;
    public static final int WARMUP_MILLIS = 1000;
    public static final int MEASUREMENT_ITERATIONS = 5;
    public static final int MEASUREMENT_MILLIS = 1000;

    private BenchDefaults() {
    }
}
