package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operation sequences on both plain bitmaps, with {@link BitSet} as the model. After every
 * step all queries are compared, including searches from the step's arguments; arguments range a
 * little outside the bitmap so that errors are exercised too, and an error must leave the bitmap
 * equal to the model.
 */
class BitmapProperties {

    enum Storage { OFF_HEAP, LONG_ARRAY }

    enum Kind { SET, CLEAR, FLIP, SET_RANGE, CLEAR_RANGE, SET_ALL, CLEAR_ALL }

    /** One step; {@code a} and {@code b} are raw numbers mapped onto the bitmap's size. */
    record Step(Kind kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(6, Kind.SET), Tuple.of(3, Kind.CLEAR),
                Tuple.of(2, Kind.FLIP), Tuple.of(4, Kind.SET_RANGE),
                Tuple.of(3, Kind.CLEAR_RANGE), Tuple.of(1, Kind.SET_ALL),
                Tuple.of(1, Kind.CLEAR_ALL));
        Arbitrary<Integer> raw = Arbitraries.integers().between(0, 1 << 20);
        return Combinators.combine(kinds, raw, raw).as(Step::new).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 400)
    void shouldBehaveLikeBitSet(@ForAll Storage storage, @ForAll @IntRange(min = 1, max = 300) int bitCount,
                                @ForAll("steps") List<Step> steps) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(BitmapLayout.byteSizeFor(bitCount), Long.BYTES);
            Bitmap bitmap = storage == Storage.OFF_HEAP
                    ? new OffHeapBitmap(words.address(), bitCount)
                    : new LongArrayBitmap(bitCount);
            BitSet model = new BitSet(bitCount);
            for (Step step : steps) {
                apply(step, bitmap, model);
                assertSameQueries(bitmap, model, step);
            }
            if (storage == Storage.OFF_HEAP) {
                assertWordsMatch(words, model);
            }
        }
    }

    @Property(tries = 300)
    void shouldFindTheSameClearRunsAsABruteForceSearch(@ForAll @IntRange(min = 1, max = 400) int bitCount,
                                                       @ForAll("density") int setPercent,
                                                       @ForAll @IntRange(min = 1, max = 140) int count,
                                                       @ForAll @IntRange(min = 0, max = 1 << 20) int rawFrom,
                                                       @ForAll long seed) {
        LongArrayBitmap bitmap = new LongArrayBitmap(bitCount);
        BitSet model = new BitSet(bitCount);
        Random random = new Random(seed);
        for (int index = 0; index < bitCount; index++) {
            if (random.nextInt(100) < setPercent) {
                bitmap.set(index);
                model.set(index);
            }
        }
        int fromIndex = rawFrom % (bitCount + 1);

        assertThat(bitmap.findClearRun(fromIndex, count)).isEqualTo(clearRun(model, bitCount, fromIndex, count));
        assertThat(bitmap.findClearRun(count)).isEqualTo(clearRun(model, bitCount, 0, count));
    }

    @Provide
    Arbitrary<Integer> density() {
        return Arbitraries.of(0, 10, 50, 90, 97, 100);
    }

    // ---- the model ----------------------------------------------------------------------------

    private static void apply(Step step, Bitmap bitmap, BitSet model) {
        int bitCount = bitmap.bitCount();
        int index = Math.floorMod(step.a(), bitCount + 4) - 2;
        int fromIndex = Math.floorMod(step.a(), bitCount + 3) - 1;
        int count = Math.floorMod(step.b(), bitCount + 3) - 1;
        switch (step.kind()) {
            case SET -> single(bitmap, model, index, () -> bitmap.set(index), () -> model.set(index));
            case CLEAR -> single(bitmap, model, index, () -> bitmap.clear(index), () -> model.clear(index));
            case FLIP -> single(bitmap, model, index, () -> bitmap.flip(index), () -> model.flip(index));
            case SET_RANGE -> range(bitmap, model, fromIndex, count,
                    () -> bitmap.setRange(fromIndex, count), () -> model.set(fromIndex, fromIndex + count));
            case CLEAR_RANGE -> range(bitmap, model, fromIndex, count,
                    () -> bitmap.clearRange(fromIndex, count), () -> model.clear(fromIndex, fromIndex + count));
            case SET_ALL -> {
                bitmap.setAll();
                model.set(0, bitCount);
            }
            case CLEAR_ALL -> {
                bitmap.clearAll();
                model.clear();
            }
        }
    }

    private static void single(Bitmap bitmap, BitSet model, int index, Runnable onBitmap, Runnable onModel) {
        if (index < 0 || index >= bitmap.bitCount()) {
            assertThatThrownBy(onBitmap::run).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("index=" + index + " bitCount=" + bitmap.bitCount());
        } else {
            onBitmap.run();
            onModel.run();
        }
    }

    private static void range(Bitmap bitmap, BitSet model, int fromIndex, int count, Runnable onBitmap, Runnable onModel) {
        if (count < 0) {
            assertThatThrownBy(onBitmap::run).isInstanceOf(IllegalArgumentException.class);
        } else if (fromIndex < 0 || fromIndex + count > bitmap.bitCount()) {
            assertThatThrownBy(onBitmap::run).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("fromIndex=" + fromIndex + " count=" + count + " bitCount=" + bitmap.bitCount());
        } else {
            onBitmap.run();
            onModel.run();
        }
    }

    private static void assertSameQueries(Bitmap bitmap, BitSet model, Step step) {
        int bitCount = bitmap.bitCount();
        assertThat(BitmapSpec.contents(bitmap)).as("contents after %s", step).isEqualTo(model);
        assertThat(bitmap.cardinality()).isEqualTo(model.cardinality());
        assertThat(bitmap.isClear()).isEqualTo(model.isEmpty());
        assertThat(bitmap.isFull()).isEqualTo(model.cardinality() == bitCount);
        assertThat(bitmap.findFirstSet()).isEqualTo(model.nextSetBit(0));
        assertThat(bitmap.findFirstClear()).isEqualTo(nextClear(model, bitCount, 0));

        int fromIndex = Math.floorMod(step.b(), bitCount + 1);
        int runCount = 1 + Math.floorMod(step.a(), Math.min(bitCount, 130));
        assertThat(bitmap.findNextSet(fromIndex)).isEqualTo(model.nextSetBit(fromIndex));
        assertThat(bitmap.findNextClear(fromIndex)).isEqualTo(nextClear(model, bitCount, fromIndex));
        assertThat(bitmap.findClearRun(runCount)).isEqualTo(clearRun(model, bitCount, 0, runCount));
        assertThat(bitmap.findClearRun(fromIndex, runCount)).isEqualTo(clearRun(model, bitCount, fromIndex, runCount));
    }

    private static void assertWordsMatch(MemorySegment words, BitSet model) {
        long[] expected = model.toLongArray();
        for (int wordIndex = 0; wordIndex < words.byteSize() / Long.BYTES; wordIndex++) {
            long word = Memory.getLong(words.address() + BitmapLayout.wordOffset(wordIndex));
            assertThat(word).isEqualTo(wordIndex < expected.length ? expected[wordIndex] : 0L);
        }
    }

    private static int nextClear(BitSet model, int bitCount, int fromIndex) {
        int index = model.nextClearBit(fromIndex);
        return index < bitCount ? index : -1;
    }

    private static int clearRun(BitSet model, int bitCount, int fromIndex, int count) {
        for (int start = fromIndex; start + count <= bitCount; start++) {
            int set = model.nextSetBit(start);
            if (set < 0 || set >= start + count) {
                return start;
            }
        }
        return -1;
    }
}
