package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of {@link Bitmap}, run once per implementation (each subclass says how to make
 * one). Sizes cover one bit, one partial word, exact words and a tail word.
 */
abstract class BitmapSpec {

    abstract Bitmap create(int bitCount);

    static BitSet contents(Bitmap bitmap) {
        BitSet bits = new BitSet(bitmap.bitCount());
        for (int index = 0; index < bitmap.bitCount(); index++) {
            bits.set(index, bitmap.get(index));
        }
        return bits;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 64, 65, 128, 130, 4096})
    void shouldStartClear(int bitCount) {
        Bitmap bitmap = create(bitCount);

        assertThat(bitmap.bitCount()).isEqualTo(bitCount);
        assertThat(bitmap.isClear()).isTrue();
        assertThat(bitmap.isFull()).isFalse();
        assertThat(bitmap.cardinality()).isZero();
        assertThat(bitmap.findFirstSet()).isEqualTo(-1);
        assertThat(bitmap.findFirstClear()).isZero();
        assertThat(bitmap.findClearRun(bitCount)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 62, 63, 64, 65, 127, 128, 129})
    void shouldSetClearAndFlipOneBitWithoutTouchingOthers(int index) {
        Bitmap bitmap = create(130);

        bitmap.set(index);
        assertThat(contents(bitmap).stream().toArray()).containsExactly(index);
        assertThat(bitmap.findFirstSet()).isEqualTo(index);
        assertThat(bitmap.cardinality()).isEqualTo(1);

        bitmap.flip(index);
        assertThat(bitmap.isClear()).isTrue();

        bitmap.flip(index);
        assertThat(bitmap.get(index)).isTrue();

        bitmap.clear(index);
        assertThat(bitmap.get(index)).isFalse();
        assertThat(bitmap.isClear()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 130})
    void shouldSetAllExactlyBitCountBits(int bitCount) {
        Bitmap bitmap = create(bitCount);

        bitmap.setAll();

        assertThat(bitmap.cardinality()).isEqualTo(bitCount);
        assertThat(bitmap.isFull()).isTrue();
        assertThat(bitmap.findFirstClear()).isEqualTo(-1);
        assertThat(bitmap.findClearRun(1)).isEqualTo(-1);

        bitmap.clearAll();
        assertThat(bitmap.isClear()).isTrue();
    }

    @Test
    void shouldSetAndClearRangesAcrossWords() {
        Bitmap bitmap = create(200);

        bitmap.setRange(60, 80);
        assertThat(bitmap.cardinality()).isEqualTo(80);
        assertThat(bitmap.findFirstSet()).isEqualTo(60);
        assertThat(bitmap.findNextClear(60)).isEqualTo(140);

        bitmap.clearRange(64, 64);
        assertThat(contents(bitmap)).isEqualTo(bitsOf(60, 64, 128, 140));
    }

    @Test
    void shouldTreatAnEmptyRangeAsNothingToDo() {
        Bitmap bitmap = create(64);

        bitmap.setRange(64, 0);
        bitmap.setRange(0, 0);
        assertThat(bitmap.isClear()).isTrue();

        bitmap.setAll();
        bitmap.clearRange(10, 0);
        assertThat(bitmap.isFull()).isTrue();
    }

    @Test
    void shouldFindNextSetAndClearBitsFromAnyStart() {
        Bitmap bitmap = create(130);
        bitmap.set(3);
        bitmap.set(64);
        bitmap.set(129);

        assertThat(bitmap.findNextSet(0)).isEqualTo(3);
        assertThat(bitmap.findNextSet(4)).isEqualTo(64);
        assertThat(bitmap.findNextSet(65)).isEqualTo(129);
        assertThat(bitmap.findNextSet(130)).isEqualTo(-1);
        assertThat(bitmap.findNextClear(3)).isEqualTo(4);
        assertThat(bitmap.findNextClear(129)).isEqualTo(-1);
        assertThat(bitmap.findNextClear(130)).isEqualTo(-1);
    }

    @Test
    void shouldVisitEverySetBitWithTheIdiomaticLoop() {
        Bitmap bitmap = create(300);
        int[] expected = {0, 1, 63, 64, 200, 299};
        for (int index : expected) {
            bitmap.set(index);
        }

        BitSet visited = new BitSet();
        for (int index = bitmap.findFirstSet(); index >= 0; index = bitmap.findNextSet(index + 1)) {
            visited.set(index);
        }

        assertThat(visited.stream().toArray()).containsExactly(expected);
    }

    @Test
    void shouldFindTheLowestClearRunThatIsLongEnough() {
        Bitmap bitmap = create(256);
        bitmap.setAll();
        bitmap.clearRange(10, 3);
        bitmap.clearRange(60, 10);
        bitmap.clearRange(200, 56);

        assertThat(bitmap.findClearRun(1)).isEqualTo(10);
        assertThat(bitmap.findClearRun(3)).isEqualTo(10);
        assertThat(bitmap.findClearRun(4)).isEqualTo(60);
        assertThat(bitmap.findClearRun(10)).isEqualTo(60);
        assertThat(bitmap.findClearRun(11)).isEqualTo(200);
        assertThat(bitmap.findClearRun(56)).isEqualTo(200);
        assertThat(bitmap.findClearRun(57)).isEqualTo(-1);
    }

    @Test
    void shouldFindClearRunsStartingAtOrAfterFromIndex() {
        Bitmap bitmap = create(200);
        bitmap.setRange(50, 100);

        assertThat(bitmap.findClearRun(0, 50)).isZero();
        assertThat(bitmap.findClearRun(1, 50)).isEqualTo(150);
        assertThat(bitmap.findClearRun(49, 1)).isEqualTo(49);
        assertThat(bitmap.findClearRun(150, 50)).isEqualTo(150);
        assertThat(bitmap.findClearRun(151, 50)).isEqualTo(-1);
        assertThat(bitmap.findClearRun(200, 1)).isEqualTo(-1);
    }

    @Test
    void shouldNotFindARunLongerThanTheBitmap() {
        Bitmap bitmap = create(70);

        assertThat(bitmap.findClearRun(70)).isZero();
        assertThat(bitmap.findClearRun(71)).isEqualTo(-1);
        assertThat(bitmap.findClearRun(Integer.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void shouldNotCountTheTailOfTheLastWordAsClear() {
        Bitmap bitmap = create(70);
        bitmap.setRange(0, 66);

        assertThat(bitmap.findClearRun(5)).isEqualTo(-1);
        assertThat(bitmap.findClearRun(4)).isEqualTo(66);
        assertThat(bitmap.findNextClear(66)).isEqualTo(66);

        bitmap.setRange(66, 4);
        assertThat(bitmap.findFirstClear()).isEqualTo(-1);
        assertThat(bitmap.isFull()).isTrue();
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void shouldRejectAnIndexAtOrPastBitCountNamingBoth() {
        Bitmap bitmap = create(64);
        bitmap.set(5);

        assertThatThrownBy(() -> bitmap.set(64))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("index=64 bitCount=64");
        assertThatThrownBy(() -> bitmap.get(70))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("index=70 bitCount=64");
        assertThatThrownBy(() -> bitmap.clear(64)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.flip(Integer.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(contents(bitmap)).isEqualTo(bitsOf(5, 6));
    }

    @Test
    void shouldRejectANegativeIndex() {
        Bitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.set(-1))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("index=-1 bitCount=64");
        assertThatThrownBy(() -> bitmap.flip(Integer.MIN_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(bitmap.isClear()).isTrue();
    }

    @Test
    void shouldRejectARangePastTheEndWithoutChangingAnything() {
        Bitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.setRange(60, 10))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("fromIndex=60 count=10 bitCount=64");
        assertThatThrownBy(() -> bitmap.setRange(-1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.setRange(1, Integer.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(bitmap.isClear()).isTrue();

        bitmap.setAll();
        assertThatThrownBy(() -> bitmap.clearRange(0, 65)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(bitmap.isFull()).isTrue();
    }

    @Test
    void shouldRejectANegativeCount() {
        Bitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.setRange(10, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be >= 0: fromIndex=10 count=-1");
        assertThatThrownBy(() -> bitmap.clearRange(10, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(bitmap.isClear()).isTrue();
    }

    @Test
    void shouldRejectARunLengthBelowOne() {
        Bitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.findClearRun(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be > 0: count=0");
        assertThatThrownBy(() -> bitmap.findClearRun(3, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectASearchStartOutsideZeroToBitCount() {
        Bitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.findNextSet(65))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("fromIndex=65 bitCount=64");
        assertThatThrownBy(() -> bitmap.findNextClear(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.findClearRun(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.findClearRun(65, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldRejectANonPositiveBitCount() {
        assertThatThrownBy(() -> create(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bitCount must be > 0: bitCount=0");
        assertThatThrownBy(() -> create(-64)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDescribeItselfWithSizeAndCardinality() {
        Bitmap bitmap = create(70);
        bitmap.setRange(0, 3);

        assertThat(bitmap.toString()).contains("bitCount=70").contains("cardinality=3");
    }

    static BitSet bitsOf(int fromIndex, int toIndex) {
        BitSet bits = new BitSet();
        bits.set(fromIndex, toIndex);
        return bits;
    }

    static BitSet bitsOf(int fromA, int toA, int fromB, int toB) {
        BitSet bits = bitsOf(fromA, toA);
        bits.set(fromB, toB);
        return bits;
    }
}
