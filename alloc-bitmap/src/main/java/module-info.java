/**
 * Bitmaps over 64-bit words: plain ones in native memory or on the heap for single-threaded
 * bookkeeping, and an atomic one whose bits threads claim and release with CAS.
 */
module io.tinyalloc.bitmap {
    requires transitive io.tinyalloc.sys;

    exports io.tinyalloc.bitmap;
}
