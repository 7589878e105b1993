package io.tinyalloc.bench.peers;

/**
 * mimalloc (Debian package {@code libmimalloc2.0}) through FFM downcalls to its {@code mi_*}
 * functions. It can be dlopen'ed into a running JVM, unlike jemalloc. Check
 * {@link PeerLibrary#notInstalledLine()} before touching this class: its initialization loads the
 * library.
 */
public final class MimallocAllocator extends LibcStyleAllocator {

    public static final String NAME = "mimalloc";

    private static final Functions FUNCTIONS =
            Functions.find(NAME, NativeLibraries.load(PeerLibrary.MIMALLOC.requireLibrary()), "mi_");

    @Override
    Functions functions() {
        return FUNCTIONS;
    }
}
