/** The public TinyAlloc API: {@code io.tinyalloc.Allocator} and its builder, stats and errors. */
module io.tinyalloc.api {
    requires io.tinyalloc.core;
}
