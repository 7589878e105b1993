package io.tinyalloc.bench.peers;

import io.tinyalloc.bench.NativeAllocator;
import java.util.List;
import java.util.Optional;

/**
 * The registry of {@link NativeAllocator} peers by name, as used by the {@code allocator} parameter
 * of the comparison benchmarks and workloads.
 */
public final class Peers {

    /** Every peer, in report order. */
    public static final List<String> NAMES = List.of(TinyAllocAllocator.NAME, GlibcAllocator.NAME, MimallocAllocator.NAME,
            JemallocAllocator.NAME);

    private Peers() {
    }

    /**
     * Why {@code name} cannot be created anywhere on this machine, as the line a run prints when it
     * skips it; empty if it can (jemalloc then still needs a preloaded JVM, see {@link #needsPreload}).
     */
    public static Optional<String> notInstalledLine(String name) {
        return switch (name) {
            case TinyAllocAllocator.NAME -> tinyAllocUnavailableLine();
            case GlibcAllocator.NAME -> Optional.empty();
            case MimallocAllocator.NAME -> PeerLibrary.MIMALLOC.notInstalledLine();
            case JemallocAllocator.NAME -> PeerLibrary.JEMALLOC.notInstalledLine();
            default -> throw PeerErrors.unknownPeer(name, NAMES);
        };
    }

    /**
     * TinyAlloc is always on the class path, but its global allocator may refuse to start (a bad
     * {@code tinyalloc.*} setting, no address space): then the run goes on with the peers and says why.
     */
    private static Optional<String> tinyAllocUnavailableLine() {
        try {
            TinyAllocAllocator allocator = new TinyAllocAllocator();
            allocator.free(allocator.malloc(16));
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            return Optional.of(TinyAllocAllocator.NAME + " unavailable: " + e);
        }
    }

    /** The library that must be preloaded for {@code name} to work in a JVM, if any. */
    public static Optional<PeerLibrary> needsPreload(String name) {
        return JemallocAllocator.NAME.equals(name) ? Optional.of(PeerLibrary.JEMALLOC) : Optional.empty();
    }

    /** A new instance of the peer; fails with a message saying how to install or preload it. */
    public static NativeAllocator create(String name) {
        return switch (name) {
            case TinyAllocAllocator.NAME -> new TinyAllocAllocator();
            case GlibcAllocator.NAME -> new GlibcAllocator();
            case MimallocAllocator.NAME -> {
                PeerLibrary.MIMALLOC.requireLibrary();
                yield new MimallocAllocator();
            }
            case JemallocAllocator.NAME -> {
                PeerLibrary.JEMALLOC.requirePreloaded();
                yield new JemallocAllocator();
            }
            default -> throw PeerErrors.unknownPeer(name, NAMES);
        };
    }
}
