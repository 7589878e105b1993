module io.tinyalloc.bitmap {
    requires transitive io.tinyalloc.sys;
}
