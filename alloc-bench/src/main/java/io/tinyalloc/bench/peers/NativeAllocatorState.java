package io.tinyalloc.bench.peers;

import io.tinyalloc.bench.NativeAllocator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link NativeAllocator} peer named by the {@code allocator} parameter. A JMH fork runs one
 * parameter combination, so each fork loads one implementation and its call sites stay
 * monomorphic. The runner overrides the list with the peers available on the machine (jemalloc
 * only in its preloaded fork); a peer that cannot be created fails its setup with a message that
 * says how to install it.
 */
@State(Scope.Benchmark)
public class NativeAllocatorState {

    @Param({"tinyalloc", "glibc", "mimalloc"})
    public String allocator;

    public NativeAllocator peer;

    @Setup(Level.Trial)
    public void open() {
        peer = Peers.create(allocator);
    }

    @TearDown(Level.Trial)
    public void close() {
        peer.close();
    }
}
