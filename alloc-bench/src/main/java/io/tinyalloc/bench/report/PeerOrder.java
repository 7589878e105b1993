package io.tinyalloc.bench.report;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The order of peers in tables, legends and colors: TinyAlloc first, then C, Netty and JDK peers. */
final class PeerOrder {

    static final String TINYALLOC = "tinyalloc";
    static final String GLIBC = "glibc";

    private static final List<String> KNOWN = List.of(TINYALLOC, "tinyalloc-segment", "floor", "floor-thread-local", GLIBC, "mimalloc",
            "jemalloc", "netty-adaptive", "netty-pooled", "arena-confined", "arena-shared", "allocate-direct");

    static final int KNOWN_COUNT = KNOWN.size();

    private PeerOrder() {
    }

    static int rank(String peer) {
        int index = KNOWN.indexOf(peer);
        return index < 0 ? KNOWN.size() : index;
    }

    static List<String> sorted(Collection<String> peers) {
        return peers.stream().distinct()
                .sorted(Comparator.comparingInt(PeerOrder::rank).thenComparing(peer -> peer)).toList();
    }

    /** TinyAlloc's own entries (long API, MemorySegment API), which the others are compared with. */
    static boolean isTinyAlloc(String peer) {
        return peer.startsWith(TINYALLOC);
    }
}
