package io.tinyalloc.bench.peers;

import io.tinyalloc.bench.NativeAllocator;

class GlibcAllocatorTest extends NativeAllocatorContract {

    @Override
    NativeAllocator create() {
        return Peers.create("glibc");
    }

    @Override
    String expectedName() {
        return "glibc";
    }
}
