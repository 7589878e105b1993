package io.tinyalloc.bench.peers;

import io.tinyalloc.bench.NativeAllocator;

class TinyAllocAllocatorTest extends NativeAllocatorContract {

    @Override
    NativeAllocator create() {
        return Peers.create("tinyalloc");
    }

    @Override
    String expectedName() {
        return "tinyalloc";
    }
}
