package io.tinyalloc.bench.peers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyalloc.bench.NativeAllocator;

class MimallocAllocatorTest extends NativeAllocatorContract {

    @Override
    NativeAllocator create() {
        assumeTrue(PeerLibrary.MIMALLOC.notInstalledLine().isEmpty(), "mimalloc not installed");
        return Peers.create("mimalloc");
    }

    @Override
    String expectedName() {
        return "mimalloc";
    }
}
