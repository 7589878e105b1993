package io.tinyalloc.bench.peers;

import io.tinyalloc.Allocator;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * TinyAlloc through its {@code MemorySegment} API ({@code allocate(byteSize, byteAlignment)} and
 * {@code free(MemorySegment)}), the peer of Netty's buffers and the JDK's arenas for code that
 * works with segments rather than addresses.
 */
@State(Scope.Benchmark)
public class TinyAllocState {

    public final Allocator allocator = Allocator.global();
}
