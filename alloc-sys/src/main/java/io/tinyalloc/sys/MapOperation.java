package io.tinyalloc.sys;

/** The operations of a {@link Mapper}; a {@link MapException} names the one that failed. */
public enum MapOperation {
    RESERVE,
    COMMIT,
    DECOMMIT,
    PURGE,
    PROTECT,
    REMAP,
    ADVISE,
    RELEASE
}
