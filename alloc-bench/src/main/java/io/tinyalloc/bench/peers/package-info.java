/**
 * The allocators TinyAlloc is measured against, each a {@link io.tinyalloc.bench.NativeAllocator}
 * (glibc, mimalloc, jemalloc through FFM downcalls; TinyAlloc's long API) or a JMH state (the floor,
 * Netty's allocators, TinyAlloc's MemorySegment API), and the registry that finds them and says how
 * to install the missing ones.
 */
package io.tinyalloc.bench.peers;
