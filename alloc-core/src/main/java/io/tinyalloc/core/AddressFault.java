package io.tinyalloc.core;

/**
 * Why the heap refused an address handed to {@code free}, {@code realloc} or {@code usableSize}.
 * The heap reports a fault instead of throwing so that the hot path stays exception-free; the API
 * layer turns it into an exception whose message names the address and {@link #describe()}.
 *
 * <p>Every fault leaves the heap exactly as it was: detecting it reads only the page map and
 * headers of memory the heap owns, never the memory the address points to.
 */
public enum AddressFault {
    /** No segment or large block of this heap covers the address, or it points into a header or tail. */
    NOT_OWNED("not allocated by this allocator"),
    /** The address lies inside a block of this heap but is not the block's start. */
    INTERIOR("points inside a block, not at its start"),
    /** The address is the start of a block that is already free. */
    DOUBLE_FREE("already freed (double free)"),
    /** The address is the start of a block slot this heap has never handed out. */
    NOT_ALLOCATED("never allocated");

    private final String description;

    AddressFault(String description) {
        this.description = description;
    }

    /** A short phrase for an error message, for example "points inside a block, not at its start". */
    public String describe() {
        return description;
    }
}
