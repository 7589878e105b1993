/**
 * The public TinyAlloc API: {@link io.tinyalloc.Allocator} and its builder, stats and errors.
 *
 * <p>Its API uses only {@code java.base} types, so it requires nothing transitively. It calls
 * restricted FFM methods ({@code MemorySegment.reinterpret}) to hand out segments: on the module
 * path run with {@code --enable-native-access=io.tinyalloc.api} (on the class path,
 * {@code ALL-UNNAMED}).
 */
module io.tinyalloc.api {
    requires io.tinyalloc.core;

    exports io.tinyalloc;
}
