package io.tinyalloc.list;

/**
 * Every check and exception of this package, in one place, so that messages are uniform and
 * always carry the values involved (addresses in hex, owner ids in decimal).
 */
final class ListErrors {

    /** Byte alignment every node, link and next pointer needs: one aligned 8-byte word. */
    static final long WORD_BYTE_SIZE = Long.BYTES;

    /** Largest offset of a link or next pointer inside a node (1 GiB): anything larger is a bug. */
    static final long MAX_FIELD_OFFSET = 1L << 30;

    private ListErrors() {
    }

    static boolean isWordAligned(long address) {
        return (address & (WORD_BYTE_SIZE - 1)) == 0;
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    // ---- checks that return their argument ----------------------------------------------------

    static long requireLinkAddress(long linkAddress) {
        if (linkAddress <= 0 || !isWordAligned(linkAddress)) {
            throw new IllegalArgumentException("linkAddress=" + hex(linkAddress)
                    + " must be a non-zero positive multiple of " + WORD_BYTE_SIZE);
        }
        return linkAddress;
    }

    static long requireFieldOffset(String name, long offset) {
        if (offset < 0 || offset > MAX_FIELD_OFFSET || !isWordAligned(offset)) {
            throw new IllegalArgumentException(name + "=" + offset + " must be a multiple of "
                    + WORD_BYTE_SIZE + " in [0, " + MAX_FIELD_OFFSET + "]");
        }
        return offset;
    }

    // ---- IntrusiveList --------------------------------------------------------------------------

    static IllegalArgumentException badListNode(long nodeAddress, long listOwnerId) {
        return new IllegalArgumentException("node=" + hex(nodeAddress)
                + " must be a non-zero positive multiple of " + WORD_BYTE_SIZE
                + ": listOwner=" + listOwnerId);
    }

    static IllegalArgumentException alreadyLinked(long nodeAddress, long nodeOwnerId, long listOwnerId) {
        String where = nodeOwnerId == listOwnerId ? "this list" : "another list";
        return new IllegalArgumentException("node=" + hex(nodeAddress) + " is already linked in "
                + where + ": nodeOwner=" + nodeOwnerId + " listOwner=" + listOwnerId);
    }

    static IllegalArgumentException notOwned(long nodeAddress, long nodeOwnerId, long listOwnerId) {
        return new IllegalArgumentException("node=" + hex(nodeAddress) + " is not in this list: nodeOwner="
                + nodeOwnerId + " listOwner=" + listOwnerId);
    }

    static IllegalStateException brokenList(long listOwnerId, String problem, long nodeAddress) {
        return new IllegalStateException("list invariant broken: " + problem + " at node=" + hex(nodeAddress)
                + " listOwner=" + listOwnerId);
    }

    // ---- TaggedStack ----------------------------------------------------------------------------

    static IllegalArgumentException badStackNode(long nodeAddress, long maxAddress) {
        return new IllegalArgumentException("node=" + hex(nodeAddress) + " must be a non-zero multiple of "
                + WORD_BYTE_SIZE + " not above " + hex(maxAddress));
    }

    static IllegalArgumentException unreachableChainLast(long firstNodeAddress, long lastNodeAddress,
                                                         long reachedNodeAddress) {
        return new IllegalArgumentException("chain last=" + hex(lastNodeAddress) + " is not reachable from first="
                + hex(firstNodeAddress) + ": the chain ends at node=" + hex(reachedNodeAddress)
                + " (or a node on the way is not a valid address)");
    }

    static IllegalArgumentException badChainCount(long nodeCount) {
        return new IllegalArgumentException("nodeCount=" + nodeCount + " must be >= 1");
    }

    static IllegalStateException brokenStack(String problem, long nodeAddress, long count) {
        return new IllegalStateException("stack invariant broken: " + problem + " at node=" + hex(nodeAddress)
                + " count=" + count);
    }
}
