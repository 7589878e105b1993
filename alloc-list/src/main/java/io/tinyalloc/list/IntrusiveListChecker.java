package io.tinyalloc.list;

/**
 * The executable invariants of {@link IntrusiveList}, in two levels: {@link #checkEnds} is O(1)
 * and runs under {@code assert} after every change; {@link #checkWalks} is O(size) and runs in
 * tests. Both read the list only through its public view and the raw links, and throw
 * {@link IllegalStateException} naming the first broken invariant and the node where it broke.
 */
final class IntrusiveListChecker {

    private IntrusiveListChecker() {
    }

    /** size == 0 iff either end is 0; the ends are members and have no outer neighbour. */
    static void checkEnds(IntrusiveList list) {
        long size = list.size();
        long first = list.peekFirst();
        long last = list.peekLast();
        boolean empty = size == 0;
        if (size < 0 || empty != (first == 0) || empty != (last == 0)) {
            throw ListErrors.brokenList(list.ownerId(), "size=" + size + " disagrees with first="
                    + ListErrors.hex(first) + " last=" + ListErrors.hex(last), first);
        }
        if (!empty) {
            checkMember(list, first);
            checkMember(list, last);
            checkLink(list, first, "prev of first", Link.prevUnchecked(first + list.linkOffset()), 0);
            checkLink(list, last, "next of last", Link.nextUnchecked(last + list.linkOffset()), 0);
        }
    }

    /** Both directions reach exactly size members, each linked back to its neighbour, end to end. */
    static void checkWalks(IntrusiveList list) {
        checkWalk(list, true);
        checkWalk(list, false);
    }

    private static void checkWalk(IntrusiveList list, boolean forward) {
        long linkOffset = list.linkOffset();
        long size = list.size();
        long count = 0;
        long behind = 0;
        long node = forward ? list.peekFirst() : list.peekLast();
        while (node != 0) {
            if (count == size) {
                throw ListErrors.brokenList(list.ownerId(), "more than size=" + size + " nodes "
                        + direction(forward) + " (a cycle?)", node);
            }
            checkMember(list, node);
            long link = node + linkOffset;
            long backLink = forward ? Link.prevUnchecked(link) : Link.nextUnchecked(link);
            checkLink(list, node, forward ? "prev" : "next", backLink, behind);
            behind = node;
            node = forward ? Link.nextUnchecked(link) : Link.prevUnchecked(link);
            count++;
        }
        if (count != size) {
            throw ListErrors.brokenList(list.ownerId(), direction(forward) + " count=" + count + " size=" + size,
                    behind);
        }
        checkLink(list, behind, "end reached " + direction(forward), behind,
                forward ? list.peekLast() : list.peekFirst());
    }

    private static String direction(boolean forward) {
        return forward ? "forward" : "backward";
    }

    private static void checkMember(IntrusiveList list, long node) {
        if (!IntrusiveList.isValidNodeAddress(node, list.linkOffset())) {
            throw ListErrors.brokenList(list.ownerId(), "invalid node address", node);
        }
        long nodeOwnerId = Link.ownerUnchecked(node + list.linkOffset());
        if (nodeOwnerId != list.ownerId()) {
            throw ListErrors.brokenList(list.ownerId(), "node owner=" + nodeOwnerId, node);
        }
    }

    private static void checkLink(IntrusiveList list, long node, String what, long actualNode, long expectedNode) {
        if (actualNode != expectedNode) {
            throw ListErrors.brokenList(list.ownerId(), what + "=" + ListErrors.hex(actualNode) + " expected "
                    + ListErrors.hex(expectedNode), node);
        }
    }
}
