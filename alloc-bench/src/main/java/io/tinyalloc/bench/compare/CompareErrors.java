package io.tinyalloc.bench.compare;

/** The exceptions of the comparison benchmarks, with the values in the message. */
final class CompareErrors {

    private CompareErrors() {
    }

    static IllegalStateException lostContents(String allocator, long address) {
        return new IllegalStateException("realloc lost the block's first byte: allocator=" + allocator
                + " address=0x" + Long.toHexString(address));
    }
}
