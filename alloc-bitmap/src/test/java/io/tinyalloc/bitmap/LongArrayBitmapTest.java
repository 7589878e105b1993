package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

class LongArrayBitmapTest extends BitmapSpec {

    @Override
    Bitmap create(int bitCount) {
        return new LongArrayBitmap(bitCount);
    }

    @org.junit.jupiter.api.Test
    void shouldUseOneWordPerSixtyFourBits() {
        assertThat(new LongArrayBitmap(64).wordCount).isEqualTo(1);
        assertThat(new LongArrayBitmap(65).wordCount).isEqualTo(2);
        assertThat(new LongArrayBitmap(128).wordCount).isEqualTo(2);
    }
}
