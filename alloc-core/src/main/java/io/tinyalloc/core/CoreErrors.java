package io.tinyalloc.core;

/** The exceptions of this package that are not {@link HeapExhaustedException}s, built in one place. */
final class CoreErrors {

    private CoreErrors() {
    }

    static IllegalStateException closed() {
        return new IllegalStateException("the heap is closed");
    }

    static IllegalStateException stillOpen() {
        return new IllegalStateException("the heap is open: close it before unmapping its memory");
    }

    static IllegalArgumentException negativeSize(long byteSize) {
        return new IllegalArgumentException("byteSize must be >= 0: byteSize=" + byteSize);
    }

    static IllegalArgumentException badAlignment(long byteAlignment) {
        return new IllegalArgumentException("byteAlignment must be a power of two in [1, "
                + Heap.MAX_ALIGNMENT + "]: byteAlignment=" + byteAlignment);
    }

    static IllegalArgumentException tooLarge(long byteSize) {
        return new IllegalArgumentException("byteSize too large: byteSize=" + byteSize
                + " maxByteSize=" + Heap.MAX_BYTE_SIZE);
    }

    static IllegalArgumentException badAddress(long address, AddressFault fault) {
        return new IllegalArgumentException("invalid address: address=0x" + Long.toHexString(address)
                + " " + fault.describe());
    }
}
