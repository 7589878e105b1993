package io.tinyalloc.bitmap;

class LongArrayBitmapTest extends BitmapSpec {

    @Override
    Bitmap create(int bitCount) {
        return new LongArrayBitmap(bitCount);
    }
}
