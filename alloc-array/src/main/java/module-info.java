/**
 * Fixed-capacity arrays: an object array used as a stack, and stacks of {@code long} values
 * (block addresses) on the heap or in native memory, with fast paths that never throw.
 */
module io.tinyalloc.array {
    requires transitive io.tinyalloc.sys;

    exports io.tinyalloc.array;
}
