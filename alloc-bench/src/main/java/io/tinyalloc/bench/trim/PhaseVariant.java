package io.tinyalloc.bench.trim;

import io.tinyalloc.bench.peers.GlibcAllocator;
import io.tinyalloc.bench.peers.MimallocAllocator;
import io.tinyalloc.bench.peers.TinyAllocAllocator;
import java.util.List;

/**
 * One allocator setup of the phase benchmark: a peer, the JVM options of its fork, and whether
 * the workload calls glibc's {@code malloc_trim(0)} at the start of each valley.
 */
enum PhaseVariant {
    TINYALLOC("tinyalloc", TinyAllocAllocator.NAME, List.of(), false),
    TINYALLOC_NO_TRIM_THREAD("tinyalloc-notrim", TinyAllocAllocator.NAME,
            List.of("-Dtinyalloc.disableTrimThread=true"), false),
    MIMALLOC("mimalloc", MimallocAllocator.NAME, List.of(), false),
    GLIBC("glibc", GlibcAllocator.NAME, List.of(), false),
    GLIBC_MALLOC_TRIM("glibc+malloc_trim", GlibcAllocator.NAME, List.of(), true);

    final String label;
    final String peer;
    final List<String> jvmOptions;
    final boolean mallocTrim;

    PhaseVariant(String label, String peer, List<String> jvmOptions, boolean mallocTrim) {
        this.label = label;
        this.peer = peer;
        this.jvmOptions = jvmOptions;
        this.mallocTrim = mallocTrim;
    }

    static PhaseVariant byLabel(String label) {
        for (PhaseVariant variant : values()) {
            if (variant.label.equals(label)) {
                return variant;
            }
        }
        throw new IllegalArgumentException("unknown variant: " + label + " (expected one of "
                + java.util.Arrays.stream(values()).map(v -> v.label).toList() + ")");
    }
}
