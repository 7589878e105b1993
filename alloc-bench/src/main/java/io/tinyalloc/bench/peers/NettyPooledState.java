package io.tinyalloc.bench.peers;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Netty's {@link PooledByteBufAllocator} (jemalloc-style arenas) handing out direct buffers, with
 * its default geometry, thread caches for every thread (by default only Netty's own threads get
 * one) and the leak detector off.
 */
@State(Scope.Benchmark)
public class NettyPooledState {

    public ByteBufAllocator allocator;

    @Setup(Level.Trial)
    public void open() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        allocator = new PooledByteBufAllocator(true,
                PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
                PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
                PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
                true);
    }
}
