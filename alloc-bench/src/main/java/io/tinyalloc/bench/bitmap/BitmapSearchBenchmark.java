package io.tinyalloc.bench.bitmap;

import io.tinyalloc.bench.BenchDefaults;
import io.tinyalloc.bitmap.AtomicBitmap;
import io.tinyalloc.bitmap.Bitmap;
import io.tinyalloc.bitmap.BitmapLayout;
import io.tinyalloc.bitmap.LongArrayBitmap;
import io.tinyalloc.bitmap.OffHeapBitmap;
import java.lang.foreign.Arena;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Searches over mostly full bitmaps of 1, 64 and 4096 words, where the answer is at the very
 * end so every word is looked at: the three bitmaps of alloc-bitmap side by side, with
 * {@link BitSet} (what a Java programmer would reach for) as the reference.
 *
 * <ul>
 *   <li>{@code findFirstClear}: every bit set except the last {@value #RUN_COUNT}.</li>
 *   <li>{@code findClearRun}: the same, plus a hole of {@value #HOLE_COUNT} clear bits (too short)
 *       in every eighth word, so the run search keeps starting candidates and rejecting them.</li>
 * </ul>
 *
 * <p>{@code OFF_HEAP} reads words with plain loads, {@code ATOMIC} with acquire loads (the price
 * of sharing), {@code LONG_ARRAY} and {@code BIT_SET} from a {@code long[]} with bounds checks.
 * Each trial forks, so only one implementation is loaded and the calls stay monomorphic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {BenchDefaults.NATIVE_ACCESS, BenchDefaults.HEAP_MIN,
        BenchDefaults.HEAP_MAX})
@Warmup(iterations = 2, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
public class BitmapSearchBenchmark {

    static final int RUN_COUNT = 8;
    static final int HOLE_COUNT = 4;
    private static final int HOLE_WORD_STRIDE = 8;

    public enum Kind { OFF_HEAP, LONG_ARRAY, ATOMIC, BIT_SET }

    /** The two searches, whatever the bitmap. */
    interface Search {
        int findFirstClear();

        int findClearRun(int count);
    }

    @Param({"1", "64", "4096"})
    public int wordCount;

    @Param
    public Kind kind;

    private Arena arena;
    private Search lastRunOnly;
    private Search withHoles;

    @Setup
    public void fill() {
        arena = Arena.ofShared();
        int bitCount = wordCount * BitmapLayout.BITS_PER_WORD;
        lastRunOnly = create(bitCount, false);
        withHoles = create(bitCount, true);
        if (withHoles.findClearRun(RUN_COUNT) != bitCount - RUN_COUNT
                || lastRunOnly.findFirstClear() != bitCount - RUN_COUNT) {
            throw new IllegalStateException("the searches must find the run at the end: kind=" + kind);
        }
    }

    @TearDown
    public void free() {
        arena.close();
    }

    @Benchmark
    public int findFirstClear() {
        return lastRunOnly.findFirstClear();
    }

    @Benchmark
    public int findClearRun() {
        return withHoles.findClearRun(RUN_COUNT);
    }

    private Search create(int bitCount, boolean holes) {
        BitSet pattern = new BitSet(bitCount);
        pattern.set(0, bitCount - RUN_COUNT);
        if (holes) {
            for (int hole = 3; hole + HOLE_COUNT < bitCount - RUN_COUNT; hole += HOLE_WORD_STRIDE * 64) {
                pattern.clear(hole, hole + HOLE_COUNT);
            }
        }
        return switch (kind) {
            case OFF_HEAP -> plain(new OffHeapBitmap(allocateWords(bitCount), bitCount), pattern);
            case LONG_ARRAY -> plain(new LongArrayBitmap(bitCount), pattern);
            case ATOMIC -> atomic(new AtomicBitmap(allocateWords(bitCount), bitCount), pattern);
            case BIT_SET -> bitSet(pattern, bitCount);
        };
    }

    private long allocateWords(int bitCount) {
        return arena.allocate(BitmapLayout.byteSizeFor(bitCount), 64).address();
    }

    private static Search plain(Bitmap bitmap, BitSet pattern) {
        pattern.stream().forEach(bitmap::set);
        return new Search() {
            @Override
            public int findFirstClear() {
                return bitmap.findFirstClear();
            }

            @Override
            public int findClearRun(int count) {
                return bitmap.findClearRun(count);
            }
        };
    }

    private static Search atomic(AtomicBitmap bitmap, BitSet pattern) {
        pattern.stream().forEach(bitmap::tryClaim);
        return new Search() {
            @Override
            public int findFirstClear() {
                return bitmap.findFirstClear();
            }

            @Override
            public int findClearRun(int count) {
                return bitmap.findClearRun(count);
            }
        };
    }

    /** The same walk over clear runs, with the JDK's nextClearBit/nextSetBit. */
    private static Search bitSet(BitSet bits, int bitCount) {
        return new Search() {
            @Override
            public int findFirstClear() {
                int index = bits.nextClearBit(0);
                return index < bitCount ? index : -1;
            }

            @Override
            public int findClearRun(int count) {
                int start = bits.nextClearBit(0);
                while (start <= bitCount - count) {
                    int blocker = bits.nextSetBit(start);
                    if (blocker < 0 || blocker >= start + count) {
                        return start;
                    }
                    start = bits.nextClearBit(blocker);
                }
                return -1;
            }
        };
    }
}
