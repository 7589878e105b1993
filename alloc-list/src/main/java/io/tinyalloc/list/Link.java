package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;

/**
 * Layout of the link that an {@link IntrusiveList} embeds in each of its off-heap nodes.
 *
 * <p>A node is any 8-byte aligned block of native memory; the link sits at a fixed
 * {@code linkOffset} inside it (the same offset for every node of one list), so
 * {@code linkAddress = nodeAddress + linkOffset}. Neighbours are stored as <em>node</em>
 * addresses, not link addresses, so a list hands out exactly what the caller gave it.
 *
 * <pre>
 *  nodeAddress                      linkAddress = nodeAddress + linkOffset
 *  |                                |
 *  v                                v
 *  +------ caller's fields ------+--------------+--------------+--------------+---- ...
 *  |                             | next (node)  | prev (node)  | owner (id)   |
 *  +-----------------------------+--------------+--------------+--------------+---- ...
 *                                 ^ NEXT_OFFSET  ^ PREV_OFFSET  ^ OWNER_OFFSET  BYTE_SIZE = 24
 *                                   = 0            = 8            = 16
 * </pre>
 *
 * <ul>
 *   <li>{@code next}/{@code prev}: the neighbouring node's address, 0 at either end.</li>
 *   <li>{@code owner}: the id of the list the node is in ({@link IntrusiveList#ownerId()}),
 *       0 when the node is in no list. Every id is non-zero and unique in the process.</li>
 * </ul>
 *
 * <p>A link must be zeroed ({@link #init}) before its node is first offered to a list: memory
 * fresh from the kernel is already zero, recycled memory is not, and a stale owner id would make
 * the node look linked.
 */
public final class Link {

    public static final long NEXT_OFFSET = 0;
    public static final long PREV_OFFSET = 8;
    public static final long OWNER_OFFSET = 16;
    public static final long BYTE_SIZE = 24;

    /** Owner id of a link that is in no list. */
    public static final long NO_OWNER = 0;

    private Link() {
    }

    // The public accessors check the address (a zero or misaligned one would crash the JVM or
    // tear); the list itself has already checked its nodes and uses the unchecked ones below.

    /** The next node's address, 0 at the tail. */
    public static long next(long linkAddress) {
        return nextUnchecked(ListErrors.requireLinkAddress(linkAddress));
    }

    /** The previous node's address, 0 at the head. */
    public static long prev(long linkAddress) {
        return prevUnchecked(ListErrors.requireLinkAddress(linkAddress));
    }

    /** The owning list's id, {@link #NO_OWNER} when the node is in no list. */
    public static long owner(long linkAddress) {
        return ownerUnchecked(ListErrors.requireLinkAddress(linkAddress));
    }

    /** Zeroes the link: no neighbours, no owner. */
    public static void init(long linkAddress) {
        initUnchecked(ListErrors.requireLinkAddress(linkAddress));
    }

    static void initUnchecked(long linkAddress) {
        set(linkAddress, 0, 0, NO_OWNER);
    }

    static long nextUnchecked(long linkAddress) {
        return Memory.getLong(linkAddress + NEXT_OFFSET);
    }

    static long prevUnchecked(long linkAddress) {
        return Memory.getLong(linkAddress + PREV_OFFSET);
    }

    static long ownerUnchecked(long linkAddress) {
        return Memory.getLong(linkAddress + OWNER_OFFSET);
    }

    static void setNext(long linkAddress, long nextNodeAddress) {
        Memory.putLong(linkAddress + NEXT_OFFSET, nextNodeAddress);
    }

    static void setPrev(long linkAddress, long prevNodeAddress) {
        Memory.putLong(linkAddress + PREV_OFFSET, prevNodeAddress);
    }

    static void set(long linkAddress, long nextNodeAddress, long prevNodeAddress, long ownerId) {
        Memory.putLong(linkAddress + NEXT_OFFSET, nextNodeAddress);
        Memory.putLong(linkAddress + PREV_OFFSET, prevNodeAddress);
        Memory.putLong(linkAddress + OWNER_OFFSET, ownerId);
    }
}
