package io.tinyalloc.bench.peers;

/**
 * The C library's malloc (glibc on Linux) through FFM downcalls: what a Java program gets when it
 * calls malloc itself, and what {@code Arena} and {@code Unsafe.allocateMemory} sit on.
 *
 * <p>Note that under {@code LD_PRELOAD} of another malloc this is still glibc: the default lookup
 * searches the C library's own handle, not the global scope.
 */
public final class GlibcAllocator extends LibcStyleAllocator {

    public static final String NAME = "glibc";

    private static final Functions FUNCTIONS = Functions.find(NAME, Downcalls.systemLibrary(), "");

    @Override
    Functions functions() {
        return FUNCTIONS;
    }
}
