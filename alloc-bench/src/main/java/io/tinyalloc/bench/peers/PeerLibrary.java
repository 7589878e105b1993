package io.tinyalloc.bench.peers;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A native malloc shipped as a shared library by a Debian package: where to find it, how to install
 * it, and (for libraries that cannot be dlopen'ed into a running JVM) how to preload it.
 *
 * @param peerName          the allocator's name in benchmarks and reports
 * @param soname            the library's file name
 * @param installCommand    what installs it, printed when it is missing
 * @param overrideProperty  a system property that may name the library's file explicitly
 */
public record PeerLibrary(String peerName, String soname, String installCommand, String overrideProperty) {

    public static final PeerLibrary MIMALLOC = new PeerLibrary(MimallocAllocator.NAME, "libmimalloc.so.2",
            "apt-get install libmimalloc2.0", "tinyalloc.bench.mimalloc");
    public static final PeerLibrary JEMALLOC = new PeerLibrary(JemallocAllocator.NAME, "libjemalloc.so.2",
            "apt-get install libjemalloc2", "tinyalloc.bench.jemalloc");

    public Optional<Path> locate() {
        return NativeLibraries.locate(soname, overrideProperty);
    }

    /** The line a run prints when it skips this peer because it is not installed, if it is not. */
    public Optional<String> notInstalledLine() {
        return locate().isPresent() ? Optional.empty() : Optional.of(peerName + " not installed: " + installCommand);
    }

    /** The located file, or an exception that says how to install the library. */
    Path requireLibrary() {
        return locate().orElseThrow(() -> PeerErrors.libraryMissing(peerName, soname, installCommand));
    }

    /** True if this JVM was started with the library preloaded (it is mapped before any dlopen). */
    public boolean isPreloaded() {
        return NativeLibraries.isMappedInProcess(soname);
    }

    /** The library of a peer that must be preloaded, or an exception explaining how to preload it. */
    Path requirePreloaded() {
        Path library = requireLibrary();
        if (!isPreloaded()) {
            throw PeerErrors.notPreloaded(peerName, library.toString());
        }
        return library;
    }

    /** The environment that makes a child JVM's plain malloc this library. */
    public Map<String, String> preloadEnvironment() {
        return Map.of("LD_PRELOAD", requireLibrary().toString());
    }
}
