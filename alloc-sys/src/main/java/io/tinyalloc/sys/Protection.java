package io.tinyalloc.sys;

/** Access rights of a mapped range, as {@code mprotect} understands them. */
public enum Protection {
    /** No access: touching the range faults. Used for reservations and guard pages. */
    NONE(0),
    /** Read only. */
    READ(1),
    /** Read and write: committed memory. */
    READ_WRITE(1 | 2);

    private final int posixFlags;

    Protection(int posixFlags) {
        this.posixFlags = posixFlags;
    }

    /** The {@code PROT_*} bits for {@code mmap}/{@code mprotect}. */
    public int posixFlags() {
        return posixFlags;
    }
}
