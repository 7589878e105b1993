module io.tinyalloc.array {
    requires transitive io.tinyalloc.sys;
}
