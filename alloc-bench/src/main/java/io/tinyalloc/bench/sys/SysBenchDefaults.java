package io.tinyalloc.bench.sys;

/**
 * Iteration settings of this package, shorter than {@link io.tinyalloc.bench.BenchDefaults}'s so
 * that the whole package (about 20 benchmark/parameter pairs) runs in a minute or two: the
 * operations measured here are either a few nanoseconds, and reach a steady state in well under a
 * second, or system calls whose noise no longer run would remove. Forks, heap and native-access
 * flags come from {@code BenchDefaults}.
 */
final class SysBenchDefaults {

    static final int WARMUP_ITERATIONS = 2;
    static final int WARMUP_MILLIS = 500;
    static final int MEASUREMENT_ITERATIONS = 3;
    static final int MEASUREMENT_MILLIS = 500;

    private SysBenchDefaults() {
    }
}
