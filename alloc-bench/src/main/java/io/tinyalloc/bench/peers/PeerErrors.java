package io.tinyalloc.bench.peers;

/** Every exception the peers throw, built in one place with the values in the message. */
final class PeerErrors {

    private PeerErrors() {
    }

    static IllegalArgumentException negativeSize(String peer, String function, long byteSize) {
        return new IllegalArgumentException(peer + " " + function + ": byteSize must be >= 0: byteSize=" + byteSize);
    }

    static OutOfMemoryError outOfMemory(String peer, String function, long byteSize) {
        return new OutOfMemoryError(peer + " " + function + " returned NULL: byteSize=" + byteSize);
    }

    static IllegalArgumentException negativeCalloc(String peer, long count, long byteSize) {
        return new IllegalArgumentException(peer + " calloc: count and byteSize must be >= 0: count=" + count
                + " byteSize=" + byteSize);
    }

    static OutOfMemoryError callocOutOfMemory(String peer, long count, long byteSize) {
        return new OutOfMemoryError(peer + " calloc returned NULL: count=" + count + " byteSize=" + byteSize);
    }

    static IllegalStateException downcallFailed(String peer, Throwable cause) {
        return new IllegalStateException(peer + ": native call failed", cause);
    }

    static IllegalStateException libraryMissing(String peer, String library, String installHint) {
        return new IllegalStateException(peer + " not installed: cannot load " + library + "; " + installHint);
    }

    static IllegalStateException notPreloaded(String peer, String library) {
        return new IllegalStateException(peer + " is not preloaded in this JVM: it cannot be dlopen'ed into a"
                + " running JVM (static TLS), start the JVM with LD_PRELOAD=" + library
                + " (the benchmark runner does this in a separate fork)");
    }

    static IllegalArgumentException unknownPeer(String name, Iterable<String> known) {
        return new IllegalArgumentException("unknown allocator: name=" + name + " known=" + String.join(",", known));
    }

    static IllegalArgumentException emptyFreeList(long blockByteSize) {
        return new IllegalArgumentException("floor free list cannot grow: blockByteSize=" + blockByteSize);
    }

    static IllegalArgumentException badBlockSize(long blockByteSize) {
        return new IllegalArgumentException("floor block size must be in [8, 2^31): blockByteSize=" + blockByteSize);
    }
}
