package io.tinyalloc.bench.peers;

/**
 * jemalloc (Debian package {@code libjemalloc2}) through FFM downcalls.
 *
 * <p>jemalloc uses initial-exec TLS and so cannot be dlopen'ed into a running JVM; it works only
 * in a JVM started with {@code LD_PRELOAD} of the library, where plain {@code malloc} is jemalloc
 * for the JVM itself too. The symbols are taken from the already-mapped library (opening it again
 * returns the same handle), because the system lookup would still find glibc's malloc. The
 * benchmark runner starts such JVMs ({@link PeerLibrary#preloadEnvironment()}).
 */
public final class JemallocAllocator extends LibcStyleAllocator {

    public static final String NAME = "jemalloc";

    private static final Functions FUNCTIONS =
            Functions.find(NAME, NativeLibraries.load(PeerLibrary.JEMALLOC.requirePreloaded()), "");

    @Override
    Functions functions() {
        return FUNCTIONS;
    }
}
