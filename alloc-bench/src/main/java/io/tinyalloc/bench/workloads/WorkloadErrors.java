package io.tinyalloc.bench.workloads;

/** Every exception of the workloads, built in one place with the values in the message. */
final class WorkloadErrors {

    private WorkloadErrors() {
    }

    static BlockCorruptedException corrupted(String kernel, long address, long offset, long expected, long actual) {
        return new BlockCorruptedException("block contents changed while it was live: kernel=" + kernel
                + " address=0x" + Long.toHexString(address) + " offset=" + offset
                + " expected=0x" + Long.toHexString(expected) + " actual=0x" + Long.toHexString(actual));
    }

    static BlockCorruptedException notZeroed(String kernel, long address, long byteSize) {
        return new BlockCorruptedException("calloc returned a block that is not zeroed: kernel=" + kernel
                + " address=0x" + Long.toHexString(address) + " byteSize=" + byteSize);
    }

    static IllegalArgumentException badThreadCount(String kernel, int threadCount) {
        return new IllegalArgumentException("threadCount must be >= 1: kernel=" + kernel + " threadCount=" + threadCount);
    }

    static IllegalArgumentException unknownKernel(String name, Iterable<String> known) {
        return new IllegalArgumentException("unknown kernel: name=" + name + " known=" + String.join(",", known));
    }

    static IllegalStateException workerFailed(String kernel, Throwable cause) {
        return new IllegalStateException("a worker thread failed: kernel=" + kernel + " cause=" + cause, cause);
    }

    static IllegalStateException interrupted(String kernel) {
        return new IllegalStateException("interrupted while waiting for workers: kernel=" + kernel);
    }

    static void requireThreads(String kernel, int threadCount) {
        if (threadCount < 1) {
            throw badThreadCount(kernel, threadCount);
        }
    }
}
