package io.tinyalloc.bench.api;

import io.tinyalloc.Allocator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An {@link Allocator} built with the default builder for each trial and closed after it, one per
 * benchmark thread: the public API as a program that makes its own allocator gets it (unlike
 * {@code io.tinyalloc.bench.peers.TinyAllocSegments}, which measures the process-wide one).
 */
@State(Scope.Thread)
public class AllocatorState {

    public Allocator allocator;

    @Setup(Level.Trial)
    public void build() {
        allocator = Allocator.builder().build();
    }

    @TearDown(Level.Trial)
    public void close() {
        allocator.close();
    }
}
