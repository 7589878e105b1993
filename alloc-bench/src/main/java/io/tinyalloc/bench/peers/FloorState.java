package io.tinyalloc.bench.peers;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The floor peer for one JMH thread: a {@link FloorFreeList} of the benchmark's {@code byteSize}
 * parameter. Being thread-scoped, it is reached like a register-held thread cache would be.
 */
@State(Scope.Thread)
public class FloorState {

    /** Slabs of at most this many bytes (and at most {@link #MAX_BLOCKS_PER_SLAB} blocks). */
    private static final long SLAB_BYTE_SIZE = 64L << 20;
    private static final int MAX_BLOCKS_PER_SLAB = 4096;

    public FloorFreeList list;

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        list = newList(Long.parseLong(params.getParam("byteSize")));
    }

    /** A floor list of {@code byteSize} blocks, in slabs of at most 64 MiB and 4096 blocks. */
    static FloorFreeList newList(long byteSize) {
        int blocksPerSlab = (int) Math.max(1, Math.min(MAX_BLOCKS_PER_SLAB, SLAB_BYTE_SIZE / byteSize));
        return new FloorFreeList(byteSize, blocksPerSlab);
    }

    @TearDown(Level.Trial)
    public void close() {
        list.close();
    }
}
