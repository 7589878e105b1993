package io.tinyalloc;

import java.io.Serial;

/**
 * An address that an {@link Allocator} refused: not one of its blocks, a pointer into the middle
 * of a block, or a block that is no longer live. The allocator checks the address before it
 * reads anything from it, so nothing was changed: the call had no effect.
 *
 * <p>The message names the call, the address in hex and the reason, for example
 * {@code "free(0x7f3a12345678): a second free of the same block"}.
 */
public final class InvalidAddressException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** What was wrong with the address. */
    public enum Reason {
        /** The address is not inside any block of this allocator. */
        NOT_OWNED,
        /** The address points inside a block, not at its start. */
        INTERIOR,
        /** The block was freed already (for {@code free}: a double free). */
        DOUBLE_FREE,
        /** The address is where a block could start, but no block was ever handed out there. */
        NOT_ALLOCATED,
        /**
         * The segment belongs to an {@link java.lang.foreign.Arena} made by
         * {@link Allocator#newArena()}: its blocks are freed by closing the arena.
         */
        ARENA_SEGMENT,
        /**
         * The segment's scope is closed: the arena that owned it (one from
         * {@link Allocator#newArena()} or any other) has already freed the memory behind it.
         */
        CLOSED_SCOPE
    }

    private final long address;
    private final Reason reason;

    InvalidAddressException(String message, long address, Reason reason) {
        super(message);
        this.address = address;
        this.reason = reason;
    }

    /** The address that was refused. */
    public long address() {
        return address;
    }

    public Reason reason() {
        return reason;
    }
}
