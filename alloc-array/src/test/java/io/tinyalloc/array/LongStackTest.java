package io.tinyalloc.array;

class LongStackTest extends FixedLongStackSpec {

    @Override
    FixedLongStack create(int capacity) {
        return new LongStack(capacity);
    }
}
