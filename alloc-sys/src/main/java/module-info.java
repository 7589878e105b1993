/**
 * The lowest layer of TinyAlloc: absolute-address memory access, kernel mappings and platform
 * facts, all through the Foreign Function and Memory API.
 */
module io.tinyalloc.sys {
    exports io.tinyalloc.sys;
}
