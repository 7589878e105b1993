package io.tinyalloc.bench.report;

import io.tinyalloc.bench.peers.Peers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which {@link io.tinyalloc.bench.NativeAllocator} peers this machine can run, and how: in this
 * JVM, or in a child JVM with a preloaded library (jemalloc). Missing peers become a printed line
 * saying how to install them, never a failure.
 *
 * @param inProcess    peers usable in any JVM
 * @param preloaded    peers usable only in a JVM started with an environment, with that environment
 * @param notes        one line per skipped peer
 */
record PeerAvailability(List<String> inProcess, Map<String, Map<String, String>> preloaded, List<String> notes) {

    static PeerAvailability detect() {
        List<String> inProcess = new ArrayList<>();
        Map<String, Map<String, String>> preloaded = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String name : Peers.NAMES) {
            Optional<String> missing = Peers.notInstalledLine(name);
            if (missing.isPresent()) {
                notes.add(missing.get());
                continue;
            }
            Peers.needsPreload(name).ifPresentOrElse(
                    library -> preloaded.put(name, library.preloadEnvironment()),
                    () -> inProcess.add(name));
        }
        return new PeerAvailability(List.copyOf(inProcess), Map.copyOf(preloaded), List.copyOf(notes));
    }

    boolean has(String name) {
        return inProcess.contains(name) || preloaded.containsKey(name);
    }
}
