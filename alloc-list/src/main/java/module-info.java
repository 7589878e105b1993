module io.tinyalloc.list {
    requires transitive io.tinyalloc.sys;
}
