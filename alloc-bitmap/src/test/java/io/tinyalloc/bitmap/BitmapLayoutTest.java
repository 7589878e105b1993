package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitmapLayoutTest {

    @Test
    void shouldSizeWordsForAnyPositiveBitCount() {
        assertThat(BitmapLayout.wordCountFor(1)).isEqualTo(1);
        assertThat(BitmapLayout.wordCountFor(64)).isEqualTo(1);
        assertThat(BitmapLayout.wordCountFor(65)).isEqualTo(2);
        assertThat(BitmapLayout.wordCountFor(Integer.MAX_VALUE)).isEqualTo(1 << 25);
        assertThat(BitmapLayout.byteSizeFor(129)).isEqualTo(24);
        assertThat(BitmapLayout.wordOffset(3)).isEqualTo(24);
        assertThatThrownBy(() -> BitmapLayout.wordCountFor(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bitCount must be > 0: bitCount=-1");
    }

    @Test
    void shouldMaskTheRealBitsOfTheLastWord() {
        assertThat(BitmapLayout.lastWordMask(64)).isEqualTo(-1L);
        assertThat(BitmapLayout.lastWordMask(70)).isEqualTo(0x3FL);
        assertThat(BitmapLayout.lastWordMask(1)).isEqualTo(1L);
    }

    @Test
    void shouldFindRunStartsInsideAWordLikeABruteForceScan() {
        Random random = new Random(42);
        for (int trial = 0; trial < 20_000; trial++) {
            long free = random.nextLong() | random.nextLong();
            if (trial % 3 == 0) {
                free |= random.nextLong();
            }
            int count = 1 + random.nextInt(64);

            assertThat(BitmapLayout.runStarts(free, count)).as("free=%x count=%d", free, count)
                    .isEqualTo(bruteForceRunStarts(free, count));
        }
        assertThat(BitmapLayout.runStarts(-1L, 64)).isEqualTo(1L);
        assertThat(BitmapLayout.runStarts(-1L, 63)).isEqualTo(3L);
    }

    @Test
    void shouldBuildRunMasksUpToAWholeWord() {
        assertThat(BitmapLayout.runMask(0, 64)).isEqualTo(-1L);
        assertThat(BitmapLayout.runMask(4, 3)).isEqualTo(0x70L);
        assertThat(BitmapLayout.runMask(63, 1)).isEqualTo(Long.MIN_VALUE);
    }

    private static long bruteForceRunStarts(long free, int count) {
        long starts = 0;
        for (int position = 0; position + count <= 64; position++) {
            long mask = BitmapLayout.runMask(position, count);
            if ((free & mask) == mask) {
                starts |= 1L << position;
            }
        }
        return starts;
    }
}
