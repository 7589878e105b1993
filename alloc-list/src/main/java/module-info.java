/**
 * Intrusive doubly-linked lists over off-heap nodes and a lock-free tagged stack.
 */
module io.tinyalloc.list {
    requires io.tinyalloc.sys;

    exports io.tinyalloc.list;
}
