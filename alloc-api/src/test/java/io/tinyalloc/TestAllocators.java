package io.tinyalloc;

/** Allocators for tests: small arenas, so that many short-lived allocators stay cheap. */
final class TestAllocators {

    static final long ARENA_BYTE_SIZE = 64L << 20;

    private TestAllocators() {
    }

    static AllocatorBuilder builder() {
        return Allocator.builder().arenaSize(ARENA_BYTE_SIZE);
    }

    static Allocator newAllocator() {
        return builder().build();
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
