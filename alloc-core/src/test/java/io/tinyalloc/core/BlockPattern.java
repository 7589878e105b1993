package io.tinyalloc.core;

import io.tinyalloc.sys.Memory;

/**
 * A seeded pattern that tests write into blocks and check later: the long at each
 * {@code strideBytes} step depends on the block's first address, the offset and the seed, so a
 * block moved by realloc is checked against where it was filled, and two blocks never match.
 */
record BlockPattern(long seed, long strideBytes) {

    void fill(long address, long byteSize) {
        for (long offset = 0; offset + Long.BYTES <= byteSize; offset += strideBytes) {
            Memory.putLong(address + offset, at(address, offset));
        }
    }

    /** Checks the block filled at {@code address}, still there. */
    void verify(long address, long byteSize) {
        verify(address, address, byteSize);
    }

    /** Checks the pattern filled at {@code origin}, now at {@code address} (where realloc left it). */
    void verify(long address, long origin, long byteSize) {
        for (long offset = 0; offset + Long.BYTES <= byteSize; offset += strideBytes) {
            long expected = at(origin, offset);
            long actual = Memory.getLong(address + offset);
            if (actual != expected) {
                throw new AssertionError("corrupted block: address=0x" + Long.toHexString(address) + " offset="
                        + offset + " expected=0x" + Long.toHexString(expected) + " actual=0x"
                        + Long.toHexString(actual) + " seed=" + seed);
            }
        }
    }

    private long at(long origin, long offset) {
        long x = (origin + offset) * 0x9E3779B97F4A7C15L ^ seed;
        return x ^ (x >>> 31);
    }
}
