package io.tinyalloc.bench.peers;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Netty 4.2's default allocator, {@link AdaptiveByteBufAllocator}, handing out direct buffers, at
 * its best: magazines cached for threads that are not Netty event loops too (the JMH threads and
 * workload threads are plain threads), and the leak detector off (it samples buffers, it is not
 * the allocator).
 */
@State(Scope.Benchmark)
public class NettyAdaptiveState {

    public ByteBufAllocator allocator;

    @Setup(Level.Trial)
    public void open() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        allocator = new AdaptiveByteBufAllocator(true, true);
    }
}
