/** The allocator's engine: size classes, segments, arenas, page map, large mappings. */
module io.tinyalloc.core {
    requires transitive io.tinyalloc.sys;
    requires io.tinyalloc.bitmap;
    requires io.tinyalloc.list;
    requires io.tinyalloc.array;

    exports io.tinyalloc.core to io.tinyalloc.api;
}
